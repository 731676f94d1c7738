-- portfolio_critical_risks
-- Per selected project, its open critical risks at the selected date (raid_items_at; band from
-- config [raid], default exposure 16-25): how many and the one with the highest exposure, so
-- Portfolio health's reasons can cite it.
-- cache: saved, per project (every figure is counted within one project's own RAID items)
-- params: $portfolio VARCHAR (NULL = all), $program VARCHAR (NULL = all), $department VARCHAR (NULL = all), $manager VARCHAR (NULL = all), $stage VARCHAR (NULL = all), $as_of DATE (NULL = the newest exports)
-- reads: filtered_projects, raid_items_at
-- grain: project_id
-- columns: project_id, critical_risk_count, top_risk_id, top_risk_title, top_risk_exposure
with
selected as (
    select project_id from filtered_projects($portfolio, $program, $department, $manager, $stage)
),

critical as (
    select i.*
    from raid_items_at($as_of::date) i
    join selected s on s.project_id = i.project_id
    where i.is_open and i.kind = 'risk' and i.exposure_band = 'critical'
)

select
    project_id,
    count(*) as critical_risk_count,
    arg_min(item_id, rank) as top_risk_id,
    arg_min(title, rank) as top_risk_title,
    max(exposure_score) as top_risk_exposure
from (select *, row_number() over (partition by project_id order by exposure_score desc, item_id, source) as rank
      from critical)
group by project_id
order by project_id
