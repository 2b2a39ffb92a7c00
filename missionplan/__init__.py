"""missionplan: planning workbooks for UN peace operations.

Distribute a planning workbook to each mission component, validate the
workbooks they send back, and merge them into one mission plan.
"""

__version__ = "0.1.0"
