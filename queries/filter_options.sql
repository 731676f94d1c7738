-- filter_options
-- Every value the shared filters can take, one row per (dimension, value), in display order.
-- params: (none)
-- reads: projects, status_dates
-- grain: dimension, value
-- columns: dimension, value
with values_ as (
    select 'portfolio' as dimension, portfolio as value from projects
    union select 'program', program from projects
    union select 'department', department from projects
    union select 'manager', manager from projects
    union select 'stage', stage from projects
    union select 'as_of', strftime(as_of, '%Y-%m-%d') from status_dates
)
select dimension, value from values_
where value is not null
order by dimension, value
