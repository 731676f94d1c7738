"""The only Streamlit-aware modules: cached data access, shared filters, page furniture."""
