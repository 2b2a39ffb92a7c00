"""The contract: what a planning sheet holds, the checks on it, and the findings they produce."""
