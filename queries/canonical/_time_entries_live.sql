-- _time_entries_live
-- Time entries of the latest export of the same dataset that covers each day: monthly exports add up, a corrected re-export replaces the days it covers.
-- params: (none)
-- reads: _time_exports, seg_time_entries
-- grain: one row per row
-- columns: work_date, hours, project_id, project_name, task_id, task_name, person_name, email, employee_id, resource_id, role, team, billable, cost_rate, cost_rate_original, currency, entry_id, source, as_of, _ingest_id
select t.* from seg_time_entries t
    join _time_exports me on me.source = t.source and me._ingest_id = t._ingest_id
    anti join _time_exports later
        on later.dataset = me.dataset
        and (later.as_of > me.as_of or (later.as_of = me.as_of and later._ingest_id > me._ingest_id))
        and t.work_date between later.first_day and later.last_day
