"""The demo: the whole cycle on the built-in framework, and the one factory of sample values."""
