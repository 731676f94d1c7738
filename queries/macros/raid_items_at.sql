-- raid_items_at
-- The RAID register as it was known at a date: per source, the items of its newest export on or
-- before that date (raid_snapshots), raised by then, scored and judged at that date exactly as
-- raid_items judges an item at its export date (open, exposure and band, age and bucket, days to
-- due, the three flags). Without a date (NULL): each source's newest export judged at its own
-- export date, which is raid_items row for row. Title, owner, due date, mitigation and the other
-- words come from the newest export (the history keeps only the scoring fields); a last update
-- after the date is not known then, so the not-updated flag counts from the raised date.
-- params: (none; the macro's argument is the date, NULL = the newest exports)
-- reads: _fx, _fx_first, raid_ageing_bucket, raid_band, raid_flag_not_updated, raid_impact_score, raid_is_open, raid_items, raid_probability_score, raid_snapshots
-- grain: project_id, item_id, source
-- columns: project_id, item_id, kind, title, owner, status, is_open, probability, impact, impact_scale, probability_score, impact_score, exposure_score, exposure_band, cost_reporting, cost_exposure, due_date, days_to_due, created_date, updated_date, closed_date, age_days, ageing_bucket, flag_overdue, flag_no_owner, flag_not_updated, flag_count, category, priority, description, mitigation, contingency, source, tool, export_date, judged_at
create or replace macro raid_items_at(at_date) as table
with
exports as (
    select source, max(coalesce(as_of, current_date)) as export_date
    from raid_snapshots
    where at_date is null or coalesce(as_of, current_date) <= at_date
    group by source
),

snap as (
    select s.* exclude (as_of), e.export_date, coalesce(at_date, e.export_date) as judged_at
    from raid_snapshots s
    join exports e on e.source = s.source and e.export_date = coalesce(s.as_of, current_date)
    where s.project_id is not null
      and (at_date is null or s.created_date is null or s.created_date <= at_date)
),

described as (
    select
        s.*,
        raid_is_open(s.status_category, s.status, s.closed_date, s.judged_at) as is_open,
        raid_probability_score(s.probability) as probability_score,
        raid_impact_score(s.impact, s.impact_scale) as impact_score,
        coalesce(s.currency, i.currency) as cost_currency,
        coalesce(i.title, s.item_id) as title, i.owner, i.due_date, i.category, i.priority,
        i.description, i.mitigation, i.contingency,
        case when at_date is null or i.updated_date <= at_date then i.updated_date end as updated_date
    from snap s
    left join raid_items i on i.project_id = s.project_id and i.item_id = s.item_id and i.source = s.source
),

costed as (
    select
        d.*,
        case when d.cost is null then null
             when d.cost_currency is null then d.cost
             else d.cost * coalesce(fx.rate_to_reporting, ff.rate) end as cost_reporting
    from described d
    asof left join _fx fx on fx.currency = d.cost_currency and d.judged_at >= fx.valid_from
    left join _fx_first ff on ff.currency = d.cost_currency
),

judged as (
    select
        c.*,
        c.probability_score * c.impact_score as exposure_score,
        case when c.is_open then datediff('day', c.created_date, c.judged_at)
             else datediff('day', c.created_date, c.closed_date) end as age_days,
        raid_ageing_bucket(c.is_open, c.created_date, c.judged_at) as ageing_bucket,
        coalesce(c.is_open and c.due_date < c.judged_at, false) as flag_overdue,
        c.is_open and nullif(trim(c.owner), '') is null as flag_no_owner,
        raid_flag_not_updated(c.is_open, c.updated_date, c.created_date, c.judged_at) as flag_not_updated
    from costed c
)

select
    project_id, item_id, kind, title, owner, status, is_open, probability, impact, impact_scale,
    probability_score, impact_score, exposure_score, raid_band(exposure_score) as exposure_band,
    cost_reporting, cost_reporting * probability as cost_exposure,
    due_date, datediff('day', judged_at, due_date) as days_to_due,
    created_date, updated_date, closed_date, age_days, ageing_bucket,
    flag_overdue, flag_no_owner, flag_not_updated,
    flag_overdue::integer + flag_no_owner::integer + flag_not_updated::integer as flag_count,
    category, priority, description, mitigation, contingency, source,
    split_part(source, ':', 1) as tool, export_date, judged_at
from judged
