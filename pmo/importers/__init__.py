"""Importers: one module per tool. See `base.py` for what a module provides and `registry.py`
for how a file is matched to one."""
