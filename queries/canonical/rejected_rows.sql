-- rejected_rows
-- What ingests did not take as written, kept with the raw file: a rejected row (not stored) or a
-- cleared cell (the row stored with that value left empty), with the file's row number, the
-- column, the value and the reason. Files written before `kind` existed are classified by their
-- reason ("...; left empty" = a cleared cell). A scoped role sees none (raw values of any project).
-- params: (none)
-- reads: seg_rejected_rows
-- grain: ingest_id, table_name, row_number, column_name
-- columns: ingest_id, file_name, table_name, row_number, column_name, value, reason, kind
select ingest_id, file_name, table_name, row_number, column_name, value, reason,
       coalesce(kind, case when reason like '%left empty%' then 'cell cleared' else 'row rejected' end) as kind
from seg_rejected_rows
