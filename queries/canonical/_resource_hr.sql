-- _resource_hr
-- The people HR contracts name (the HR export's scheduled hours): the newest contract row per employee id, with a name key. Whose capacity is known.
-- params: (none)
-- reads: resource_name_key, seg_capacity
-- grain: one row per person
-- columns: kind, person_name, email, employee_id, resource_id, role, department, location, country, start_date, end_date, hours, days, weekly_hours, default_weekly_hours, fte, base_hours, description, source, as_of, person_id, name_key
select * exclude (_n) from (
        select c.* exclude (_ingest_id), trim(c.employee_id) as person_id,
               resource_name_key(c.person_name) as name_key,
               row_number() over (partition by lower(trim(c.employee_id))
                                  order by c.as_of desc, c._ingest_id desc) as _n
        from seg_capacity c
        where c.kind = 'contract' and nullif(trim(c.employee_id), '') is not null)
    where _n = 1
