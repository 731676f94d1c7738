-- capacity
-- Capacity facts (contracts, leave, public holidays, a tool's stated capacity) with person_id (a holiday belongs to a location, not a person).
-- params: (none)
-- reads: _resource_hr_emails, _resource_hr_ids, _resource_hr_names, _resource_id_names, _resource_person, resource_name_key, seg_capacity
-- grain: one row per row
-- columns: kind, person_name, email, employee_id, resource_id, role, department, location, country, start_date, end_date, hours, days, weekly_hours, default_weekly_hours, fte, base_hours, description, source, as_of, person_id
select t.* exclude (_ingest_id, _nk),
           case when t.kind <> 'holiday' then
               _resource_person(hi.person_id, he.person_id, hn.person_id, t._nk, t.email, t.resource_id)
           end as person_id
    from (select x.*, coalesce(resource_name_key(x.person_name), n.name_key) as _nk from seg_capacity x
          left join _resource_id_names n on n.rid_key = lower(trim(x.resource_id))) t
    left join _resource_hr_ids hi on hi.id_key = lower(trim(t.employee_id))
    left join _resource_hr_emails he on he.email_key = lower(trim(t.email))
    left join _resource_hr_names hn on hn.name_key = t._nk
