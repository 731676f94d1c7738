-- store_tables_overview
-- What is loaded: per canonical table, its rows, the tools it came from and the latest as-of date.
-- params: (none)
-- reads: ingests, ledger_monthly, projects, risks, salaries, salary_benchmarks, seg_fx_rates, status_snapshots, tasks
-- grain: table_name
-- columns: table_name, row_count, sources, latest_as_of
with counts as (
    select 1 as ord, 'projects' as table_name, count(*) as row_count, string_agg(distinct split_part(source, ':', 1), ', ') as sources from projects
    union all select 2, 'status_snapshots', count(*), string_agg(distinct split_part(source, ':', 1), ', ') from status_snapshots
    union all select 3, 'tasks', count(*), string_agg(distinct split_part(source, ':', 1), ', ') from tasks
    union all select 4, 'financials', cast(coalesce(sum(line_count), 0) as bigint), string_agg(distinct split_part(source, ':', 1), ', ') from ledger_monthly
    union all select 5, 'risks', count(*), string_agg(distinct split_part(source, ':', 1), ', ') from risks
    union all select 6, 'salaries', count(*), string_agg(distinct split_part(source, ':', 1), ', ') from salaries
    union all select 7, 'salary_benchmarks', count(*), string_agg(distinct split_part(source, ':', 1), ', ') from salary_benchmarks
    union all select 8, 'fx_rates', count(*), case when count(*) > 0 then 'fx' end from seg_fx_rates
),
ingest_tables as (
    select unnest(string_split(tables, ',')) as table_name, as_of from ingests
),
latest as (
    select table_name, max(as_of) as latest_as_of from ingest_tables group by table_name
),
final as (
    select c.table_name, c.row_count, c.sources, l.latest_as_of, c.ord
    from counts c left join latest l using (table_name)
)
select table_name, row_count, sources, latest_as_of from final order by ord
