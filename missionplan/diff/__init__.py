"""`missionplan diff`: what changed between two contract workbooks, item by item."""
