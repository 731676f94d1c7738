-- resource_people
-- One row per person: HR facts first, else what the tools say most often.
-- params: (none)
-- reads: _resource_hr, allocations, capacity, time_entries
-- cache: summary
-- grain: one row per person
-- columns: person_id, person_name, employee_id, email, role, team, department, location, country, weekly_hours, default_weekly_hours, fte, contract_start, contract_end, has_contract, has_stated_capacity
with facts as (
        select person_id, person_name, email, employee_id, role, cast(null as varchar) as team, department,
               location, country, kind = 'capacity' as states_capacity
        from capacity where person_id is not null
        union all
        select person_id, person_name, email, employee_id, role, team, null, null, null, false
        from time_entries where person_id is not null
        union all
        select person_id, person_name, email, employee_id, role, null, null, null, null, false
        from allocations where person_id is not null
    )
    select f.person_id,
           coalesce(any_value(h.person_name), mode(f.person_name)) as person_name,
           coalesce(any_value(h.employee_id), mode(f.employee_id)) as employee_id,
           coalesce(any_value(h.email), mode(f.email)) as email,
           coalesce(any_value(h.role), mode(f.role)) as role,
           mode(f.team) as team,
           coalesce(any_value(h.department), mode(f.department)) as department,
           coalesce(any_value(h.location), mode(f.location)) as location,
           coalesce(any_value(h.country), mode(f.country)) as country,
           any_value(h.weekly_hours) as weekly_hours,
           any_value(h.default_weekly_hours) as default_weekly_hours,
           any_value(h.fte) as fte,
           any_value(h.start_date) as contract_start,
           any_value(h.end_date) as contract_end,
           count(h.person_id) > 0 as has_contract,
           bool_or(f.states_capacity) as has_stated_capacity
    from facts f
    left join _resource_hr h on h.person_id = f.person_id
    group by f.person_id
