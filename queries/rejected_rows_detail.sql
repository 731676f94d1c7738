-- rejected_rows_detail
-- Rows that ingests did not store ('row rejected') and values they left empty in stored rows
-- ('cell cleared'), newest ingest first, with the file row, column, value and reason; only the
-- ingests in $ingest_ids (NULL = every ingest in the log); at most $limit rows, with the total
-- count on every row.
-- params: $ingest_ids BIGINT[] (NULL = all), $limit INTEGER
-- reads: rejected_rows
-- grain: ingest_id, table_name, row_number, column_name
-- columns: ingest_id, file_name, table_name, row_number, kind, column_name, value, reason, rejected_total
with
rejected as (
    select ingest_id, file_name, table_name, row_number, kind, column_name, value, reason
    from rejected_rows
    where $ingest_ids is null or list_contains($ingest_ids, ingest_id)
),
final as (
    select *, count(*) over () as rejected_total
    from rejected
    order by ingest_id desc, table_name, row_number, column_name
    limit $limit
)
select * from final
