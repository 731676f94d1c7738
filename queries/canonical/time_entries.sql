-- time_entries
-- Hours people logged (actual demand), one row per entry, with person_id (the HR employee id where a row matches HR by employee id, e-mail or a unique name; else name:/email:/id: keys), project aliases resolved and the cost rate in the reporting currency.
-- params: (none)
-- reads: _project_alias, _resource_hr_emails, _resource_hr_ids, _resource_hr_names, _resource_id_names, _resource_person, _time_entries_live, _time_rate, resource_name_key, settings_general
-- grain: one row per row
-- columns: work_date, hours, project_name, task_id, task_name, person_name, email, employee_id, resource_id, role, team, billable, cost_rate_original, currency, entry_id, source, as_of, project_id, cost_rate, person_id
select t.* exclude (project_id, cost_rate, _ingest_id, _nk),
           coalesce(a.project_id, t.project_id) as project_id,
           coalesce(t.cost_rate_original * r.rate, t.cost_rate) as cost_rate,
           _resource_person(hi.person_id, he.person_id, hn.person_id, t._nk, t.email, t.resource_id) as person_id
    from (select x.*, coalesce(resource_name_key(x.person_name), n.name_key) as _nk from _time_entries_live x
          left join _resource_id_names n on n.rid_key = lower(trim(x.resource_id))) t
    left join _project_alias a on a.alias = t.project_id
    left join _time_rate r on r.currency = coalesce(t.currency, (select reporting_currency from settings_general)) and r.work_date = t.work_date
    left join _resource_hr_ids hi on hi.id_key = lower(trim(t.employee_id))
    left join _resource_hr_emails he on he.email_key = lower(trim(t.email))
    left join _resource_hr_names hn on hn.name_key = t._nk
