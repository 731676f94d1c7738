-- rejected_rows_by_file
-- Rows that ingests could not accept, counted per file and reason (the rows are in `rejected_rows`).
-- reads: rejected_rows
-- grain: file_name, reason
-- columns: item, detail
select file_name as item,
       count(*) || ' rows: ' || reason || ' (first at row ' || min(row_number) || ')' as detail
from rejected_rows
group by file_name, reason
order by file_name, reason
