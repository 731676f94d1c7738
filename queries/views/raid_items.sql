-- raid_items
-- The RAID register scored: every risk, assumption, issue and dependency with probability and
-- impact on 1-5 (raid_probability_score, raid_impact_score: docs/raid.md has the table per source),
-- exposure = probability score x impact score (1-25) and its band (config [raid]), cost exposure =
-- cost x probability, in the reporting currency at the export date's rate. Judged at the item's
-- export date (as_of): open or not (raid_is_open), age (as_of - raised for open items, closed -
-- raised for closed ones) and its bucket (0-30, 31-60, 61-90, over 90 days by default), days to
-- the due date, and three flags for open items: mitigation overdue (due date passed), no owner,
-- not updated for more than [raid] not_updated_days (default 30; last update, else raised date).
-- Issues and assumptions usually have no probability: no exposure then.
-- params: (none)
-- reads: _fx, _fx_first, projects, raid_ageing_bucket, raid_band, raid_flag_not_updated, raid_impact_score, raid_is_open, raid_probability_score, risks
-- grain: project_id, item_id, source
-- columns: project_id, item_id, kind, title, owner, status, is_open, probability, impact, impact_scale, probability_score, impact_score, exposure, exposure_band, cost, currency, cost_reporting, cost_exposure, due_date, days_to_due, created_date, updated_date, closed_date, age_days, ageing_bucket, flag_overdue, flag_no_owner, flag_not_updated, flag_count, category, priority, description, mitigation, contingency, source, tool, as_of, project_name, portfolio, program, department, manager
with
base as (
    select
        r.*,
        coalesce(r.as_of, current_date) as judged_at,
        raid_is_open(r.status_category, r.status, r.closed_date, coalesce(r.as_of, current_date)) as is_open,
        raid_probability_score(r.probability) as probability_score,
        raid_impact_score(r.impact, r.impact_scale) as impact_score,
        p.project_name, p.portfolio, p.program, p.department, p.manager,
        coalesce(r.currency, p.currency) as cost_currency
    from risks r
    left join projects p on p.project_id = r.project_id
),

costed as (
    select
        b.*,
        case when b.cost is null then null
             when b.cost_currency is null then b.cost
             else b.cost * coalesce(fx.rate_to_reporting, ff.rate) end as cost_reporting
    from base b
    asof left join _fx fx on fx.currency = b.cost_currency and b.judged_at >= fx.valid_from
    left join _fx_first ff on ff.currency = b.cost_currency
),

final as (
    select
        c.project_id, c.item_id, c.kind, c.title, c.owner, c.status, c.is_open,
        c.probability, c.impact, c.impact_scale, c.probability_score, c.impact_score,
        c.probability_score * c.impact_score as exposure,
        raid_band(c.probability_score * c.impact_score) as exposure_band,
        c.cost, c.cost_currency as currency, c.cost_reporting,
        c.cost_reporting * c.probability as cost_exposure,
        c.due_date,
        datediff('day', c.judged_at, c.due_date) as days_to_due,
        c.created_date, c.updated_date, c.closed_date,
        case when c.is_open then datediff('day', c.created_date, c.judged_at)
             else datediff('day', c.created_date, c.closed_date) end as age_days,
        raid_ageing_bucket(c.is_open, c.created_date, c.judged_at) as ageing_bucket,
        coalesce(c.is_open and c.due_date < c.judged_at, false) as flag_overdue,
        c.is_open and nullif(trim(c.owner), '') is null as flag_no_owner,
        raid_flag_not_updated(c.is_open, c.updated_date, c.created_date, c.judged_at) as flag_not_updated,
        c.category, c.priority, c.description, c.mitigation, c.contingency, c.source,
        split_part(c.source, ':', 1) as tool,
        c.as_of,
        c.project_name, c.portfolio, c.program, c.department, c.manager
    from costed c
)

select
    * exclude (category, priority, description, mitigation, contingency, source, tool, as_of, project_name,
               portfolio, program, department, manager),
    flag_overdue::integer + flag_no_owner::integer + flag_not_updated::integer as flag_count,
    category, priority, description, mitigation, contingency, source, tool, as_of,
    project_name, portfolio, program, department, manager
from final
