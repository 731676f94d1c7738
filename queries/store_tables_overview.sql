-- store_tables_overview
-- What is loaded: per canonical table, its rows, the tools it came from and the latest as-of date.
-- params: (none)
-- grain: table_name
-- columns: table_name, row_count, sources, latest_as_of
with counts as (
    select 'projects' as table_name, count(*) as row_count, string_agg(distinct split_part(source, ':', 1), ', ') as sources from projects
    union all select 'status_snapshots', count(*), string_agg(distinct split_part(source, ':', 1), ', ') from status_snapshots
    union all select 'tasks', count(*), string_agg(distinct split_part(source, ':', 1), ', ') from tasks
    union all select 'financials', count(*), string_agg(distinct split_part(source, ':', 1), ', ') from financials
    union all select 'risks', count(*), string_agg(distinct split_part(source, ':', 1), ', ') from risks
    union all select 'salaries', count(*), string_agg(distinct split_part(source, ':', 1), ', ') from salaries
    union all select 'salary_benchmarks', count(*), string_agg(distinct split_part(source, ':', 1), ', ') from salary_benchmarks
    union all select 'fx_rates', count(*), null from seg_fx_rates
),
ingest_tables as (
    select unnest(string_split(tables, ',')) as table_name, as_of from ingests
),
latest as (
    select table_name, max(as_of) as latest_as_of from ingest_tables group by table_name
),
final as (
    select c.table_name, c.row_count, c.sources, l.latest_as_of
    from counts c left join latest l using (table_name)
)
select * from final
