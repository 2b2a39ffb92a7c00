"""Declarations only: the contract's columns and vocabulary, item ids, items, the finding catalogue.

Nothing here reads a file or imports pandas or openpyxl; every other layer imports from here.
"""
