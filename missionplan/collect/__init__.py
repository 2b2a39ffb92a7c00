"""Collect returned workbooks into the register, and read it back: the status board, history."""
