-- allocations
-- Planned demand, one row per assignment and period (a timephased day or a booking's span), with person_id (placeholders have none) and project aliases resolved.
-- params: (none)
-- reads: _project_alias, _resource_hr_emails, _resource_hr_ids, _resource_hr_names, _resource_id_names, _resource_person, resource_name_key, seg_allocations
-- grain: one row per row
-- columns: project_name, task_id, task_name, allocation_id, person_name, email, employee_id, resource_id, role, is_placeholder, start_date, end_date, hours, hours_per_day, allocation_pct, actual_hours, remaining_hours, baseline_hours, status, source, as_of, project_id, person_id
select t.* exclude (project_id, _ingest_id, _nk),
           coalesce(a.project_id, t.project_id) as project_id,
           case when not coalesce(t.is_placeholder, false) then
               _resource_person(hi.person_id, he.person_id, hn.person_id, t._nk, t.email, t.resource_id)
           end as person_id
    from (select x.*, coalesce(resource_name_key(x.person_name), n.name_key) as _nk from seg_allocations x
          left join _resource_id_names n on n.rid_key = lower(trim(x.resource_id))) t
    left join _project_alias a on a.alias = t.project_id
    left join _resource_hr_ids hi on hi.id_key = lower(trim(t.employee_id))
    left join _resource_hr_emails he on he.email_key = lower(trim(t.email))
    left join _resource_hr_names hn on hn.name_key = t._nk
