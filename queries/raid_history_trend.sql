-- raid_history_trend
-- RAID open counts and open risk exposure of the selected projects per status date (raid_history:
-- each source counts with its newest export on or before the date), up to the selected date.
-- params: $portfolio VARCHAR (NULL = all), $program VARCHAR (NULL = all), $department VARCHAR (NULL = all), $manager VARCHAR (NULL = all), $stage VARCHAR (NULL = all), $as_of DATE (NULL = latest)
-- reads: filtered_projects, raid_history
-- grain: as_of
-- columns: as_of, open_items, open_risks, open_issues, open_assumptions, open_dependencies, open_exposure, critical_risks, high_risks, medium_risks, low_risks
with
selected as (
    select project_id from filtered_projects($portfolio, $program, $department, $manager, $stage)
)

select
    h.as_of,
    sum(h.open_items)::bigint as open_items,
    sum(h.open_risks)::bigint as open_risks,
    sum(h.open_issues)::bigint as open_issues,
    sum(h.open_assumptions)::bigint as open_assumptions,
    sum(h.open_dependencies)::bigint as open_dependencies,
    sum(h.open_exposure)::bigint as open_exposure,
    sum(h.critical_risks)::bigint as critical_risks,
    sum(h.high_risks)::bigint as high_risks,
    sum(h.medium_risks)::bigint as medium_risks,
    sum(h.low_risks)::bigint as low_risks
from raid_history h
join selected s on s.project_id = h.project_id
where $as_of::date is null or h.as_of <= $as_of::date
group by h.as_of
order by h.as_of
