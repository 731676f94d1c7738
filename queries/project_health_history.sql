-- project_health_history
-- One project's status history up to the selected date: what it reported and what the rules
-- computed at every status date, with the earned value behind it.
-- params: $project_id VARCHAR, $as_of DATE (NULL = latest)
-- reads: project_health
-- grain: as_of
-- columns: as_of, overall_health, schedule_health, cost_health, work_health, reported_health, reported_schedule_health, reported_cost_health, reported_scope_health, percent_complete, forecast_finish_date, schedule_slip_days, bac, pv, ev, ac, spi, cpi, health_reason, status_comment
with
history as (
    select *
    from project_health
    where project_id = $project_id and ($as_of::date is null or as_of <= $as_of::date)
),

final as (
    select
        as_of, overall_health, schedule_health, cost_health, work_health, reported_health,
        reported_schedule_health, reported_cost_health, reported_scope_health, percent_complete,
        forecast_finish_date, schedule_slip_days, bac, pv, ev, ac, spi, cpi, health_reason,
        status_comment
    from history
)

select * from final
order by as_of
