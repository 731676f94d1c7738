-- project_raid
-- One project's RAID items as known at the selected date (raid_items_at, as on the RAID page):
-- open ones first, by exposure.
-- params: $project_id VARCHAR, $as_of DATE (NULL = the newest exports)
-- reads: raid_items_at
-- grain: item_id, source
-- columns: item_id, kind, title, owner, status, is_open, probability_score, impact_score, exposure_score, exposure_band, cost_exposure, due_date, days_to_due, created_date, updated_date, closed_date, age_days, ageing_bucket, flag_overdue, flag_no_owner, flag_not_updated, flag_count, priority, mitigation, tool, export_date, judged_at
select
    item_id, kind, title, owner, status, is_open, probability_score, impact_score, exposure_score,
    exposure_band, cost_exposure, due_date, days_to_due, created_date, updated_date, closed_date, age_days,
    ageing_bucket, flag_overdue, flag_no_owner, flag_not_updated, flag_count, priority, mitigation, tool,
    export_date, judged_at
from raid_items_at($as_of::date)
where project_id = $project_id
order by is_open desc, exposure_score desc nulls last, item_id, source
