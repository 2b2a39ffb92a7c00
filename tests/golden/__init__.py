"""Golden workbooks: checked-in outputs of the writer, and the helpers that compare with them."""
