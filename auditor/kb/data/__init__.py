"""Data files of the officials knowledge base (shipped in the wheel)."""
