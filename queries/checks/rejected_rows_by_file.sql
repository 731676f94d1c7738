-- rejected_rows_by_file
-- Rows that ingests did not store, and values they left empty in rows they stored, counted per file, kind and reason (the rows are in `rejected_rows`).
-- reads: rejected_rows
-- grain: file_name, kind, reason
-- columns: item, detail
select file_name as item,
       case when kind = 'cell cleared'
            then count(*) || (case when count(*) = 1 then ' cell' else ' cells' end)
                 || ' cleared (row stored, the value left empty): '
            else count(distinct row_number)
                 || (case when count(distinct row_number) = 1 then ' row' else ' rows' end)
                 || ' rejected (not stored): '
       end || reason || ' (first at row ' || min(row_number) || ')' as detail
from rejected_rows
group by file_name, kind, reason
order by file_name, kind desc, reason
