-- raid_snapshots
-- Every dated RAID export's items (the canonical history table), the project resolved through
-- project aliases. The RAID history view turns it into exposure and open counts per status date.
-- params: (none)
-- reads: _project_alias, seg_raid_snapshots
-- grain: project_id, item_id, source, as_of
-- columns: item_id, project_id, kind, status, status_category, probability, impact, impact_scale, cost, currency, created_date, closed_date, source, as_of
select
    s.item_id,
    coalesce(a.project_id, s.project_id) as project_id,
    s.kind,
    s.status,
    s.status_category,
    s.probability,
    s.impact,
    s.impact_scale,
    s.cost,
    s.currency,
    s.created_date,
    s.closed_date,
    s.source,
    s.as_of
from seg_raid_snapshots s
left join _project_alias a on a.alias = s.project_id
