-- salary_filter_options
-- Values for the salary page's filters: benchmark roles (in title-map order, then benchmark
-- titles no role uses) and the country,
-- department and level of PMO staff in the HR export.
-- params: (none)
-- reads: salary_market, salary_positions, salary_roles
-- grain: dimension, value
-- columns: dimension, value
with
staff as (
    select * from salary_positions where coalesce(is_pmo, true) or benchmark_role is not null
),
options as (
    select 'role' as dimension, benchmark_role as value, role_order as sort_key from salary_roles
    union all
    -- benchmark titles no role uses, after the roles (as salary_bands lists them)
    select distinct 'role', job_title, 1000 from salary_market where benchmark_role is null
    union all
    select distinct 'country', country, null from staff where country is not null
    union all
    select distinct 'department', department, null from staff where department is not null
    union all
    select distinct 'level', level, null from staff where level is not null
),
final as (
    select dimension, value, sort_key from options
)
select dimension, value from final
order by dimension, sort_key nulls last, value
