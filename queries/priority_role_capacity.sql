-- priority_role_capacity
-- The capacity left to staff projects, per role and fiscal quarter, for the Prioritisation page's
-- "Respect role capacity" option (docs/prioritisation.md): the capacity hours of every person
-- whose capacity is known (HR contract or a tool's stated capacity; resource_capacity_days: contract
-- hours less leave and public holidays) on the days after the last logged day (actuals_through;
-- every day when no timesheet is loaded), totalled by the person's role and the fiscal quarter
-- ($fiscal_start_month = the first month of the fiscal year). A person without a role counts under
-- 'No role given'. Hours, as the capacity exports give them.
-- params: $fiscal_start_month INTEGER
-- reads: remaining_fiscal_days, resource_capacity_days, resource_people
-- warm: fiscal_start_month = config general.fiscal_year_start_month
-- grain: capacity_role, period_start
-- columns: capacity_role, period_start, fiscal_year, fiscal_quarter, role_capacity_hours, capacity_people
with
remaining as materialized (
    select * from remaining_fiscal_days(cast($fiscal_start_month as integer))
),
people as (
    select person_id, coalesce(nullif(trim(role), ''), 'No role given') as capacity_role
    from resource_people
    where has_contract or coalesce(has_stated_capacity, false)
)
select p.capacity_role, r.period_start, r.fiscal_year, r.fiscal_quarter,
       sum(k.capacity_hours) as role_capacity_hours,
       count(distinct k.person_id) as capacity_people
from resource_capacity_days k
join people p using (person_id)
join remaining r on r.day = k.day
group by p.capacity_role, r.period_start, r.fiscal_year, r.fiscal_quarter
order by p.capacity_role, r.period_start
