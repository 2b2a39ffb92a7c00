"""Step 1, distribute: which rows go into which component's workbook, and writing them."""
