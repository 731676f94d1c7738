"""The Data page's parts (the page's layout is pages/4_Data.py): upload and publish, the column
mapper, projects to match, history and rollback, data quality, the drop folder. Everything that
changes the store goes through pmo.ingest (the same code as the CLI); pure helpers live in
pmo.uploads and pmo.inbox."""
