"""Step 2, validate: read a returned workbook, convert and check its values, report findings."""
