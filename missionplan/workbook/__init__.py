"""The .xlsx mechanics the steps share: safety, reading, metadata, writing, files, styles."""
