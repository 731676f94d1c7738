-- project_risks
-- One project's risks and issues known at the selected date (created by then), open ones first,
-- by exposure. Open = not closed by that date.
-- params: $project_id VARCHAR, $as_of DATE (NULL = latest)
-- reads: risks, status_dates
-- grain: item_id
-- columns: item_id, kind, title, category, owner, status, probability, impact, exposure, due_date, created_date, closed_date, is_open
with
cutoff as (
    select coalesce($as_of::date, (select max(as_of) from status_dates), current_date) as as_of_date
),

items as (
    select r.*, c.as_of_date
    from risks r
    cross join cutoff c
    where r.project_id = $project_id
      and (r.created_date is null or r.created_date <= c.as_of_date)
),

final as (
    select
        item_id, kind, title, category, owner, status, probability, impact, exposure, due_date,
        created_date, closed_date,
        case when closed_date is not null then closed_date > as_of_date
             else not regexp_matches(lower(coalesce(status, '')), 'clos|resolv|done|cancel|mitigated')
        end as is_open
    from items
)

select * from final
order by is_open desc, exposure desc nulls last, item_id
