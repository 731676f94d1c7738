-- portfolio_health_projects
-- One row per project with its latest status on or before the selected date: computed RAG per
-- dimension with the reasons, the RAG the project reported, and earned value with EAC by the
-- chosen method. Feeds the charts and the red/amber list of the Portfolio health page.
-- cache: saved, per project (the status date cutoff comes from every project, the rest is per project)
-- params: $portfolio VARCHAR (NULL = all), $program VARCHAR (NULL = all), $department VARCHAR (NULL = all), $manager VARCHAR (NULL = all), $stage VARCHAR (NULL = all), $as_of DATE (NULL = latest), $eac_method VARCHAR ('cpi' | 'plan' | 'cpi_spi'; NULL = configured)
-- warm: eac_method = config health.eac_method
-- reads: filtered_projects, project_health, status_dates
-- grain: project_id
-- columns: project_id, project_name, portfolio, program, department, manager, stage, status_date, is_active, overall_health, schedule_health, cost_health, work_health, reported_health, health_rank, health_reason, schedule_reason, cost_reason, work_reason, evm_note, percent_complete, bac, pv, ev, ac, sv, cv, spi, cpi, eac, etc, vac, tcpi, schedule_slip_days, schedule_slip_pct, cost_overrun_pct, work_overrun_pct, baseline_finish_date, forecast_finish_date, is_late
with
selected as (
    select project_id, project_name, portfolio, program, department, manager, stage, actual_finish_date
    from filtered_projects($portfolio, $program, $department, $manager, $stage)
),

cutoff as (
    select coalesce($as_of::date, (select max(as_of) from status_dates)) as as_of_date
),

at_date as (
    select h.*
    from project_health h
    join selected s on s.project_id = h.project_id
    where $as_of::date is null or h.as_of <= $as_of::date
    qualify row_number() over (partition by h.project_id order by h.as_of desc) = 1
),

estimated as (
    select
        a.*,
        case $eac_method when 'cpi' then a.eac_cpi when 'plan' then a.eac_plan
                         when 'cpi_spi' then a.eac_cpi_spi else a.eac end as eac_chosen
    from at_date a
),

final as (
    select
        s.project_id,
        s.project_name,
        s.portfolio,
        s.program,
        s.department,
        s.manager,
        s.stage,
        e.as_of as status_date,
        case when s.actual_finish_date is not null then s.actual_finish_date > c.as_of_date
             else coalesce(s.stage, '') not ilike 'clos%' end as is_active,
        e.overall_health,
        e.schedule_health,
        e.cost_health,
        e.work_health,
        e.reported_health,
        case e.overall_health when 'red' then 3 when 'amber' then 2 when 'green' then 1 else 0 end
            as health_rank,
        e.health_reason,
        e.schedule_reason,
        e.cost_reason,
        e.work_reason,
        e.evm_note,
        e.percent_complete,
        e.bac,
        e.pv,
        e.ev,
        e.ac,
        e.sv,
        e.cv,
        e.spi,
        e.cpi,
        e.eac_chosen as eac,
        e.eac_chosen - e.ac as etc,
        e.bac - e.eac_chosen as vac,
        e.tcpi,
        e.schedule_slip_days,
        e.schedule_slip_pct,
        (e.eac_chosen - e.bac) / nullif(e.bac, 0) as cost_overrun_pct,
        e.work_overrun_pct,
        e.baseline_finish_date,
        e.forecast_finish_date,
        coalesce(e.schedule_slip_days > 0
                 or (e.forecast_finish_date < c.as_of_date and coalesce(e.percent_complete, 0) < 1),
                 false) as is_late
    from estimated e
    join selected s on s.project_id = e.project_id
    cross join cutoff c
)

select * from final
order by health_rank desc, project_id
