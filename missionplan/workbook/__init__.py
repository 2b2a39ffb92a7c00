"""Everything that reads or writes .xlsx files."""
