"""upgrade: carry a workbook filled on an earlier plan or template into the current one."""
