-- project_facts
-- One project at the selected status date: register facts, the computed RAG per dimension with
-- the reasons, the RAG it reported, and earned value with EAC by the chosen method. Health and
-- EVM columns are NULL when the project had no status on or before the date.
-- params: $project_id VARCHAR, $as_of DATE (NULL = latest), $eac_method VARCHAR ('cpi' | 'plan' | 'cpi_spi'; NULL = configured)
-- reads: project_health, projects
-- grain: project_id
-- columns: project_id, project_name, portfolio, program, department, manager, sponsor, stage, priority, currency, start_date, baseline_start_date, baseline_finish_date, actual_finish_date, status_date, percent_complete, forecast_finish_date, schedule_slip_days, schedule_slip_pct, overall_health, schedule_health, cost_health, work_health, reported_health, reported_schedule_health, reported_cost_health, reported_scope_health, health_reason, schedule_reason, cost_reason, work_reason, evm_note, status_comment, bac, pv, ev, ac, sv, cv, spi, cpi, eac, etc, vac, tcpi, eac_method, eac_cpi, eac_plan, eac_cpi_spi, cost_overrun_pct, pv_method, ac_source
with
project as (
    select *
    from projects
    where project_id = $project_id
),

at_date as (
    select
        *,
        case $eac_method when 'cpi' then eac_cpi when 'plan' then eac_plan
                         when 'cpi_spi' then eac_cpi_spi else eac end as eac_chosen
    from project_health
    where project_id = $project_id and ($as_of::date is null or as_of <= $as_of::date)
    qualify row_number() over (order by as_of desc) = 1
),

final as (
    select
        p.project_id,
        p.project_name,
        p.portfolio,
        p.program,
        p.department,
        p.manager,
        p.sponsor,
        p.stage,
        p.priority,
        p.currency,
        p.start_date,
        p.baseline_start_date,
        p.baseline_finish_date,
        p.actual_finish_date,
        h.as_of as status_date,
        h.percent_complete,
        h.forecast_finish_date,
        h.schedule_slip_days,
        h.schedule_slip_pct,
        h.overall_health,
        h.schedule_health,
        h.cost_health,
        h.work_health,
        h.reported_health,
        h.reported_schedule_health,
        h.reported_cost_health,
        h.reported_scope_health,
        h.health_reason,
        h.schedule_reason,
        h.cost_reason,
        h.work_reason,
        h.evm_note,
        h.status_comment,
        h.bac,
        h.pv,
        h.ev,
        h.ac,
        h.sv,
        h.cv,
        h.spi,
        h.cpi,
        h.eac_chosen as eac,
        h.eac_chosen - h.ac as etc,
        h.bac - h.eac_chosen as vac,
        h.tcpi,
        case when $eac_method in ('cpi', 'plan', 'cpi_spi') then $eac_method
             else h.eac_method end as eac_method,
        h.eac_cpi,
        h.eac_plan,
        h.eac_cpi_spi,
        (h.eac_chosen - h.bac) / nullif(h.bac, 0) as cost_overrun_pct,
        h.pv_method,
        h.ac_source
    from project p
    left join at_date h on true
)

select * from final
