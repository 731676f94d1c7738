-- staff_without_benchmark
-- Staff with no benchmark match (an unmapped title, no benchmark for their country, no pay or FX rate).
-- reads: salary_positions
-- grain: match_status, job_title, country
-- columns: item, detail
select job_title || ' (' || coalesce(country, 'no country') || ')' as item,
       count(*) || case when count(*) = 1 then ' person: ' else ' people: ' end || replace(match_status, '_', ' ') as detail
from salary_positions
where match_status <> 'placed' and (coalesce(is_pmo, true) or benchmark_role is not null)
group by job_title, country, match_status
order by item
