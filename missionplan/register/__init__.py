"""The submission register: every workbook received, exactly as received, in a database.

SQLite next to the plan by default, PostgreSQL for a shared register; one code path
(SQLAlchemy Core) for both. This layer stores and queries; it neither validates nor prints.
"""
