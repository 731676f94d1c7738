-- recent_ingests
-- The ten latest accepted ingests, newest first, for the home page.
-- params: (none)
-- reads: ingests
-- grain: ingest_id
-- columns: ingest_id, file_name, tool, as_of, rows_accepted, rows_rejected, ingested_at, user
select ingest_id, file_name, tool, as_of, rows_accepted, rows_rejected, ingested_at, "user"
from ingests
order by ingest_id desc
limit 10
