"""PMO analytics: exports from PM, finance and HR tools in, one versioned store, a dashboard out.

Nothing in this package imports Streamlit except `pmo.ui`, so the logic tests as plain Python.
"""

__version__ = "0.1.0"
