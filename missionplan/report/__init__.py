"""report: the review pack, one self-contained HTML file of the merged plan."""
