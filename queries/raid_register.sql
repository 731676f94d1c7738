-- raid_register
-- The RAID register of the selected projects as known at the selected date (raid_items_at: each
-- source's newest export on or before it, judged at it; NULL = each source's newest export at its
-- own date, as raid_items): every risk, assumption, issue and dependency with its 1-5 scores,
-- exposure and band, age and ageing bucket, days to due and the three flags. The RAID page's heat
-- map, ranking, ageing, flags, issues and assumptions are all cuts of these rows.
-- params: $portfolio VARCHAR (NULL = all), $program VARCHAR (NULL = all), $department VARCHAR (NULL = all), $manager VARCHAR (NULL = all), $stage VARCHAR (NULL = all), $as_of DATE (NULL = the newest exports)
-- reads: filtered_projects, raid_items_at
-- grain: project_id, item_id, source
-- columns: project_id, project_name, portfolio, item_id, kind, title, owner, status, is_open, probability_score, impact_score, exposure_score, exposure_band, cost_exposure, due_date, days_to_due, created_date, updated_date, closed_date, age_days, ageing_bucket, flag_overdue, flag_no_owner, flag_not_updated, flag_count, priority, mitigation, tool, export_date, judged_at
with
selected as (
    select project_id, project_name, portfolio
    from filtered_projects($portfolio, $program, $department, $manager, $stage)
)

select
    i.project_id, s.project_name, s.portfolio, i.item_id, i.kind, i.title, i.owner, i.status, i.is_open,
    i.probability_score, i.impact_score, i.exposure_score, i.exposure_band, i.cost_exposure,
    i.due_date, i.days_to_due, i.created_date, i.updated_date, i.closed_date, i.age_days, i.ageing_bucket,
    i.flag_overdue, i.flag_no_owner, i.flag_not_updated, i.flag_count, i.priority, i.mitigation,
    i.tool, i.export_date, i.judged_at
from raid_items_at($as_of::date) i
join selected s on s.project_id = i.project_id
order by i.is_open desc, i.exposure_score desc nulls last, i.project_id, i.item_id, i.source
