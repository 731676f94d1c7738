-- store_tables_overview
-- What is loaded: per canonical table, what it holds in words, its rows, the tools it came from
-- and the latest as-of date of the files that filled it.
-- params: (none)
-- reads: allocations, capacity, dependencies, ingests, ledger_monthly, projects, raid_snapshots, risks, salaries, salary_benchmarks, seg_fx_rates, seg_project_links, stage_gates, status_snapshots, task_links, tasks, time_entries
-- grain: table_name
-- columns: table_label, row_count, sources, latest_as_of, table_name
with counts as (
    select 1 as ord, 'projects' as table_name, 'Projects' as table_label, count(*) as row_count,
           (select string_agg(distinct split_part(s, ':', 1), ', ' order by split_part(s, ':', 1))
            from (select unnest(sources) as s from projects)) as sources
    from projects
    union all select 2, 'status_snapshots', 'Status reports', count(*), string_agg(distinct split_part(source, ':', 1), ', ') from status_snapshots
    union all select 3, 'tasks', 'Tasks and issues', count(*), string_agg(distinct split_part(source, ':', 1), ', ') from tasks
    union all select 4, 'task_links', 'Task dependencies (plans)', count(*), string_agg(distinct split_part(source, ':', 1), ', ') from task_links
    union all select 5, 'financials', 'Ledger lines', cast(coalesce(sum(line_count), 0) as bigint), string_agg(distinct split_part(source, ':', 1), ', ') from ledger_monthly
    union all select 6, 'risks', 'Risks, issues, assumptions, dependencies', count(*), string_agg(distinct split_part(source, ':', 1), ', ') from risks
    union all select 7, 'raid_snapshots', 'RAID history', count(*), string_agg(distinct split_part(source, ':', 1), ', ') from raid_snapshots
    union all select 8, 'dependencies', 'Blocking links', count(*), string_agg(distinct split_part(source, ':', 1), ', ') from dependencies
    union all select 9, 'stage_gates', 'Stage gates', count(*), string_agg(distinct split_part(source, ':', 1), ', ') from stage_gates
    union all select 10, 'time_entries', 'Time entries', count(*), string_agg(distinct split_part(source, ':', 1), ', ') from time_entries
    union all select 11, 'allocations', 'Allocations (planned hours)', count(*), string_agg(distinct split_part(source, ':', 1), ', ') from allocations
    union all select 12, 'capacity', 'Capacity, leave, holidays', count(*), string_agg(distinct split_part(source, ':', 1), ', ') from capacity
    union all select 13, 'salaries', 'Staff and pay', count(*), string_agg(distinct split_part(source, ':', 1), ', ') from salaries
    union all select 14, 'salary_benchmarks', 'Pay benchmarks', count(*), string_agg(distinct split_part(source, ':', 1), ', ') from salary_benchmarks
    union all select 15, 'fx_rates', 'Exchange rates', count(*), case when count(*) > 0 then 'fx' end from seg_fx_rates
    union all select 16, 'project_links', 'Project matching decisions', count(*), case when count(*) > 0 then 'project_links' end from seg_project_links
),
ingest_tables as (
    select unnest(string_split(tables, ',')) as table_name, as_of from ingests
),
latest as (
    select trim(table_name) as table_name, max(as_of) as latest_as_of from ingest_tables group by all
),
final as (
    select c.table_label, c.row_count, c.sources, l.latest_as_of, c.table_name, c.ord
    from counts c left join latest l using (table_name)
)
select table_label, row_count, sources, latest_as_of, table_name from final order by ord
