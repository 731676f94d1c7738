-- raid_history
-- RAID exposure and open counts per project and status date, from the dated RAID exports
-- (raid_snapshots), like the health history: at each date any export was taken, every source
-- counts with its newest export on or before that date (a source exported monthly keeps its last
-- figures until its next export). Open at that date: raid_is_open. Exposure as in raid_items
-- (probability score x impact score, 1-25, banded by config [raid]); open_exposure sums it over
-- open risks.
-- params: (none)
-- reads: projects, raid_band, raid_impact_score, raid_is_open, raid_probability_score, raid_snapshots
-- grain: project_id, as_of
-- columns: project_id, as_of, open_items, open_risks, open_issues, open_assumptions, open_dependencies, open_exposure, max_exposure, critical_risks, high_risks, medium_risks, low_risks, unscored_risks, closed_items, portfolio
with
snapshots as (
    select * from raid_snapshots where project_id is not null and as_of is not null
),

dates as (
    select distinct as_of from snapshots
),

exports as (
    select distinct source, as_of from snapshots
),

newest as (
    -- per date and source: the newest export of that source on or before the date
    select d.as_of as status_date, e.source, max(e.as_of) as export_date
    from dates d
    join exports e on e.as_of <= d.as_of
    group by all
),

items as (
    select
        n.status_date,
        s.*,
        raid_is_open(s.status_category, s.status, s.closed_date, n.status_date) as is_open,
        raid_probability_score(s.probability) * raid_impact_score(s.impact, s.impact_scale) as exposure
    from newest n
    join snapshots s on s.source = n.source and s.as_of = n.export_date
    where s.created_date is null or s.created_date <= n.status_date
),

banded as (
    select *, raid_band(exposure) as band from items
),

final as (
    select
        b.project_id,
        b.status_date as as_of,
        count(*) filter (where is_open) as open_items,
        count(*) filter (where is_open and kind = 'risk') as open_risks,
        count(*) filter (where is_open and kind = 'issue') as open_issues,
        count(*) filter (where is_open and kind = 'assumption') as open_assumptions,
        count(*) filter (where is_open and kind = 'dependency') as open_dependencies,
        coalesce(sum(exposure) filter (where is_open and kind = 'risk'), 0)::bigint as open_exposure,
        max(exposure) filter (where is_open and kind = 'risk') as max_exposure,
        count(*) filter (where is_open and kind = 'risk' and band = 'critical') as critical_risks,
        count(*) filter (where is_open and kind = 'risk' and band = 'high') as high_risks,
        count(*) filter (where is_open and kind = 'risk' and band = 'medium') as medium_risks,
        count(*) filter (where is_open and kind = 'risk' and band = 'low') as low_risks,
        count(*) filter (where is_open and kind = 'risk' and exposure is null) as unscored_risks,
        count(*) filter (where not is_open) as closed_items
    from banded b
    group by b.project_id, b.status_date
)

select f.*, p.portfolio
from final f
left join projects p on p.project_id = f.project_id
