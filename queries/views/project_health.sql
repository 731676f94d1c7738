-- project_health
-- Earned value and computed health (RAG) per project per status date, with the rule and the
-- input values behind every colour. One row per status snapshot; a project that never reported
-- a status gets one row from the project register. Thresholds come from config [health] through
-- the one-row table settings_health (docs/configuration.md, section "health").
-- BAC = the budget reported at that date, in the reporting currency at that date's FX rate.
-- PV = the time-phased ledger budget to the status date (the status month pro rata; scaled to
-- BAC when the lines cover the whole plan, else capped at BAC; after the ledger's last budget
-- month the rest of BAC linear to the planned finish), else linear between baseline start and
-- baseline finish. EV = % complete x BAC. AC = the actual cost the status report gives
-- (config actual_cost_source = "status", the default), else the ledger's actual lines to the
-- status date; "ledger" reverses the order. A ratio with a zero denominator is NULL and
-- evm_note says why.
-- params: (none)
-- cache: summary
-- reads: _fx, _fx_first, _source_roles, ledger_monthly, projects, settings_health, status_snapshots, tasks
-- grain: project_id, as_of
-- columns: project_id, as_of, bac, pv, ev, ac, sv, cv, spi, cpi, eac, etc, vac, tcpi, schedule_slip_days, schedule_health, cost_health, overall_health, health_reason, work_health, schedule_reason, cost_reason, work_reason, evm_note, percent_complete, schedule_slip_pct, cost_overrun_pct, work_overrun_pct, baseline_start_date, baseline_finish_date, forecast_finish_date, eac_cpi, eac_plan, eac_cpi_spi, eac_method, pv_method, ac_source, estimate_hours, work_hours, reported_health, reported_schedule_health, reported_cost_health, reported_scope_health, status_comment, is_active, is_latest
with
cfg as (
    select * from settings_health
),

snapshots as (
    select
        project_id, as_of, percent_complete, reported_health,
        schedule_health as reported_schedule_health, cost_health as reported_cost_health,
        scope_health as reported_scope_health, finish_date, budget as budget_original,
        actual_cost as actual_cost_original, comment as status_comment
    from status_snapshots s
    left join _source_roles r using (source)
    where project_id is not null and as_of is not null
    -- two exports reporting the same project on the same date: the one config [projects.precedence]
    -- health puts first
    qualify row_number() over (
        partition by project_id, as_of order by coalesce(r.health_rank, 99), source) = 1
),

register_only as (
    -- a project with no status snapshot at all: its register row is its one status
    select
        p.project_id, p.as_of, p.percent_complete, p.reported_health,
        null::varchar as reported_schedule_health, null::varchar as reported_cost_health,
        null::varchar as reported_scope_health, p.finish_date, p.budget_original,
        null::double as actual_cost_original, null::varchar as status_comment
    from projects p
    where p.as_of is not null
      and not exists (select 1 from snapshots s where s.project_id = p.project_id)
),

statuses as (
    select * from snapshots
    union all by name
    select * from register_only
),

based as (
    select
        s.*,
        p.currency,
        p.stage,
        p.budget as register_bac,
        p.baseline_start_date,
        p.baseline_finish_date,
        p.actual_finish_date,
        case when p.currency is null then 1.0 else coalesce(fx.rate_to_reporting, ff.rate) end as rate,
        row_number() over (partition by s.project_id order by s.as_of desc) = 1 as is_latest
    from statuses s
    left join projects p on p.project_id = s.project_id
    asof left join _fx fx on fx.currency = p.currency and s.as_of >= fx.valid_from
    left join _fx_first ff on ff.currency = p.currency
),

ledger as (
    select project_id, kind, period, sum(amount) as amount
    from ledger_monthly
    where kind in ('budget', 'actual') and period is not null and project_id is not null
    group by all
),

budget_span as (
    select project_id, sum(amount) as budget_total, min(period) as first_period,
           max(period) as last_period
    from ledger
    where kind = 'budget'
    group by all
),

ledger_to_date as (
    -- lines to the status date: whole months before it, the status month pro rata by day
    select
        b.project_id,
        b.as_of,
        sum(l.amount * least(greatest(datediff('day', l.period, b.as_of) + 1, 0)
                             / day(last_day(l.period)), 1)) filter (where l.kind = 'budget')
            as budget_to_date,
        sum(l.amount * least(greatest(datediff('day', l.period, b.as_of) + 1, 0)
                             / day(last_day(l.period)), 1)) filter (where l.kind = 'actual')
            as actual_to_date,
        count(*) filter (where l.kind = 'actual' and l.period <= b.as_of) as actual_lines
    from based b
    join ledger l on l.project_id = b.project_id
    group by all
),

task_work as (
    -- leaf tasks that carry an estimate: work = actual + remaining (remaining unknown = the
    -- estimate not yet spent)
    select
        project_id,
        as_of,
        estimate_hours,
        coalesce(actual_hours, 0)
            + coalesce(remaining_hours, greatest(estimate_hours - coalesce(actual_hours, 0), 0))
            as work_hours
    from tasks
    where not coalesce(is_summary, false) and estimate_hours > 0
),

tasks_work as (
    -- work vs the original estimate per project; only where the estimate is an original
    -- estimate, i.e. differs from actual + remaining on some task (a plan's Work field is
    -- actual + remaining by definition, so there is nothing to compare)
    select
        project_id,
        max(as_of) as tasks_as_of,
        sum(estimate_hours) as estimate_hours,
        sum(work_hours) as work_hours
    from task_work
    group by all
    having bool_or(abs(work_hours - estimate_hours) > 0.01)
),

inputs as (
    select
        b.*,
        coalesce(b.budget_original * b.rate, b.register_bac) as bac,
        b.actual_cost_original * b.rate as ac_status,
        case when t.actual_lines > 0 then t.actual_to_date end as ac_ledger,
        t.budget_to_date,
        bs.budget_total,
        bs.last_period,
        coalesce(b.baseline_finish_date, b.finish_date) as plan_finish,
        bs.budget_total > 0
            and bs.last_period >= date_trunc('month', coalesce(b.baseline_finish_date, b.finish_date))
            and (b.baseline_start_date is null or bs.first_period <= b.baseline_start_date)
            as budget_covers_plan,
        datediff('day', b.baseline_start_date, b.baseline_finish_date) as baseline_days,
        coalesce(b.finish_date,
                 case when b.actual_finish_date <= b.as_of then b.actual_finish_date end)
            as forecast_finish_date,
        case when b.is_latest or w.tasks_as_of <= b.as_of then w.estimate_hours end as estimate_hours,
        case when b.is_latest or w.tasks_as_of <= b.as_of then w.work_hours end as work_hours,
        case when b.actual_finish_date is not null then b.actual_finish_date > b.as_of
             else coalesce(b.stage, '') not ilike 'clos%' end as is_active
    from based b
    left join ledger_to_date t on t.project_id = b.project_id and t.as_of = b.as_of
    left join budget_span bs on bs.project_id = b.project_id
    left join tasks_work w on w.project_id = b.project_id
),

planned as (
    select
        i.*,
        case
            when i.bac is null then null
            when i.budget_total > 0 and i.budget_covers_plan
                then i.bac * least(greatest(i.budget_to_date, 0) / i.budget_total, 1)
            when i.budget_total > 0 and i.as_of > last_day(i.last_period) and i.plan_finish > last_day(i.last_period)
                -- after the ledger's last budget month: the rest of BAC linear to the plan's finish
                then least(greatest(i.budget_total, 0) + greatest(i.bac - greatest(i.budget_total, 0), 0)
                     * least(datediff('day', last_day(i.last_period), i.as_of)
                             / datediff('day', last_day(i.last_period), i.plan_finish), 1), i.bac)
            when i.budget_total > 0 then least(greatest(coalesce(i.budget_to_date, 0), 0), i.bac)
            when i.baseline_days > 0
                then i.bac * least(greatest(datediff('day', i.baseline_start_date, i.as_of)
                                            / i.baseline_days, 0), 1)
            when i.baseline_days = 0 then case when i.as_of >= i.baseline_finish_date
                                               then i.bac else 0 end
        end as pv,
        case
            when i.bac is null then null
            when i.budget_total > 0 and i.budget_covers_plan then 'time-phased ledger budget, scaled to BAC'
            when i.budget_total > 0 and i.as_of > last_day(i.last_period) and i.plan_finish > last_day(i.last_period)
                then 'time-phased ledger budget, then linear to BAC at the planned finish'
            when i.budget_total > 0 then 'time-phased ledger budget'
            when i.baseline_days >= 0 then 'linear between baseline start and finish'
        end as pv_method,
        i.percent_complete * i.bac as ev,
        case (select actual_cost_source from cfg)
            when 'ledger' then coalesce(i.ac_ledger, i.ac_status)
            else coalesce(i.ac_status, i.ac_ledger)
        end as ac,
        case (select actual_cost_source from cfg)
            when 'ledger' then case when i.ac_ledger is not null then 'ledger'
                                    when i.ac_status is not null then 'status report' end
            else case when i.ac_status is not null then 'status report'
                      when i.ac_ledger is not null then 'ledger' end
        end as ac_source
    from inputs i
),

indices as (
    select
        p.*,
        p.ev - p.pv as sv,
        p.ev - p.ac as cv,
        p.ev / nullif(p.pv, 0) as spi,
        p.ev / nullif(p.ac, 0) as cpi,
        (p.bac - p.ev) / nullif(p.bac - p.ac, 0) as tcpi_raw
    from planned p
),

estimates as (
    select
        x.*,
        x.bac / nullif(x.cpi, 0) as eac_cpi,
        x.ac + (x.bac - x.ev) as eac_plan,
        x.ac + (x.bac - x.ev) / nullif(x.cpi * x.spi, 0) as eac_cpi_spi,
        case when x.bac - x.ac > 0 then x.tcpi_raw end as tcpi,
        (select eac_method from cfg) as eac_method
    from indices x
),

measured as (
    select
        e.*,
        case e.eac_method when 'plan' then e.eac_plan when 'cpi_spi' then e.eac_cpi_spi
                          else e.eac_cpi end as eac,
        datediff('day', e.baseline_finish_date, e.forecast_finish_date) as schedule_slip_days,
        datediff('day', e.baseline_finish_date, e.forecast_finish_date)
            / nullif(e.baseline_days, 0) as schedule_slip_pct,
        e.work_hours / nullif(e.estimate_hours, 0) - 1 as work_overrun_pct
    from estimates e
),

variances as (
    select
        m.*,
        m.eac - m.ac as etc,
        m.bac - m.eac as vac,
        (m.eac - m.bac) / nullif(m.bac, 0) as cost_overrun_pct
    from measured m
),

rated as (
    -- each rule on its own; ratios are compared after rounding to 6 decimals so that an input
    -- exactly on a threshold (0.95, 10%) is judged as written
    select
        v.*,
        c.overrun_amber, c.overrun_red, c.index_amber, c.index_red, c.overall, c.currency_symbol,
        case when v.schedule_slip_pct is null then null
             when round(v.schedule_slip_pct, 6) >= c.overrun_red then 'red'
             when round(v.schedule_slip_pct, 6) > c.overrun_amber then 'amber'
             else 'green' end as slip_rag,
        case when v.spi is null then null
             when round(v.spi, 6) < c.index_red then 'red'
             when round(v.spi, 6) < c.index_amber then 'amber'
             else 'green' end as spi_rag,
        case when v.cpi is null then null
             when round(v.cpi, 6) < c.index_red then 'red'
             when round(v.cpi, 6) < c.index_amber then 'amber'
             else 'green' end as cpi_rag,
        case when v.cost_overrun_pct is null then null
             when round(v.cost_overrun_pct, 6) >= c.overrun_red then 'red'
             when round(v.cost_overrun_pct, 6) > c.overrun_amber then 'amber'
             else 'green' end as overrun_rag,
        case when v.work_overrun_pct is null then null
             when round(v.work_overrun_pct, 6) >= c.overrun_red then 'red'
             when round(v.work_overrun_pct, 6) > c.overrun_amber then 'amber'
             else 'green' end as work_health
    from variances v
    cross join cfg c
),

dimensions as (
    select
        r.*,
        case
            when r.baseline_start_date is null or r.baseline_finish_date is null then 'grey'
            when r.slip_rag is null and r.spi_rag is null then 'grey'
            else ['grey', 'green', 'amber', 'red'][1 + greatest(
                case r.slip_rag when 'green' then 1 when 'amber' then 2 when 'red' then 3 end,
                case r.spi_rag when 'green' then 1 when 'amber' then 2 when 'red' then 3 end)]
        end as schedule_health,
        case
            when r.bac is null or r.bac <= 0 then 'grey'
            when r.cpi_rag is null and r.overrun_rag is null then 'grey'
            else ['grey', 'green', 'amber', 'red'][1 + greatest(
                case r.cpi_rag when 'green' then 1 when 'amber' then 2 when 'red' then 3 end,
                case r.overrun_rag when 'green' then 1 when 'amber' then 2 when 'red' then 3 end)]
        end as cost_health
    from rated r
),

overall as (
    -- the worst coloured dimension; grey when neither schedule nor cost can be judged and work
    -- is not amber or red (work alone does not make a project green)
    select
        d.*,
        case when d.schedule_health = 'grey' and d.cost_health = 'grey'
                  and coalesce(d.work_health, 'green') = 'green' then 'grey' else
        ['grey', 'green', 'amber', 'red'][1 + coalesce(greatest(
            case d.schedule_health when 'green' then 1 when 'amber' then 2 when 'red' then 3 end,
            case d.cost_health when 'green' then 1 when 'amber' then 2 when 'red' then 3 end,
            case when d.overall = 'worst' then
                case d.work_health when 'green' then 1 when 'amber' then 2 when 'red' then 3 end
            end), 0)] end as overall_health
    from dimensions d
),

texts as (
    -- formatted inputs for the sentences (money as on screen: $1.18M, $950K, $9,500)
    select
        o.*,
        case when o.bac is null then '—' else
            (case when o.bac < 0 then '-' else '' end) || o.currency_symbol ||
            case when abs(o.bac) >= 1e9 then printf('%.2fB', abs(o.bac) / 1e9)
                 when abs(o.bac) >= 1e6 then printf('%.2fM', abs(o.bac) / 1e6)
                 when abs(o.bac) >= 1e4 then printf('%.0fK', abs(o.bac) / 1e3)
                 else format('{:,.0f}', abs(o.bac)) end end as bac_text,
        case when o.eac is null then '—' else
            (case when o.eac < 0 then '-' else '' end) || o.currency_symbol ||
            case when abs(o.eac) >= 1e9 then printf('%.2fB', abs(o.eac) / 1e9)
                 when abs(o.eac) >= 1e6 then printf('%.2fM', abs(o.eac) / 1e6)
                 when abs(o.eac) >= 1e4 then printf('%.0fK', abs(o.eac) / 1e3)
                 else format('{:,.0f}', abs(o.eac)) end end as eac_text,
        printf('%.4g%%', o.overrun_amber * 100) as amber_pct_text,
        printf('%.4g%%', o.overrun_red * 100) as red_pct_text,
        printf('%.2f', o.index_amber) as index_amber_text,
        printf('%.2f', o.index_red) as index_red_text,
        case
            when o.bac is null and o.budget_original is not null and o.rate is null
                then 'no exchange rate for ' || o.currency
            when o.bac is null then 'no budget (BAC)'
            when o.ev is null then 'no % complete reported'
        end as ev_missing,
        case
            when o.pv is null and o.budget_total is null and o.baseline_days is null
                then 'no planned value: no baseline and no time-phased budget'
            when o.pv is null and o.baseline_days < 0 then 'baseline finish is before its start'
            when o.pv = 0 then 'no planned value yet: before the planned start'
        end as pv_missing,
        case
            when o.ac is null then 'no actual cost reported'
            when o.ac = 0 then 'no actual cost yet'
        end as ac_missing
    from overall o
),

fragments as (
    select
        t.*,
        -- schedule: finish vs baseline
        case
            when t.baseline_finish_date is null or t.baseline_start_date is null then null
            when t.forecast_finish_date is null then 'no forecast finish reported'
            when t.baseline_days <= 0 then 'baseline has no duration, so slip cannot be a share of it'
            when t.schedule_slip_days = 0 then 'finish ' || strftime(t.forecast_finish_date, '%-d %b %Y')
                || ' is on the baseline finish'
            else 'finish ' || strftime(t.forecast_finish_date, '%-d %b %Y') || ' is '
                || abs(t.schedule_slip_days) || ' days '
                || case when t.schedule_slip_days > 0 then 'after' else 'before' end
                || ' baseline ' || strftime(t.baseline_finish_date, '%-d %b %Y') || ' ('
                || case when round(t.schedule_slip_pct, 3) in (t.overrun_amber, t.overrun_red)
                              and round(t.schedule_slip_pct, 6) not in (t.overrun_amber, t.overrun_red)
                        then printf('%.3f%%', abs(t.schedule_slip_pct) * 100)
                        else printf('%.1f%%', abs(t.schedule_slip_pct) * 100) end
                || ' of the ' || t.baseline_days || '-day baseline'
                || case t.slip_rag when 'red' then '; ' || t.red_pct_text || ' or more is red'
                                   when 'amber' then '; more than ' || t.amber_pct_text || ' is amber'
                                   else '' end || ')'
        end as slip_text,
        case
            when t.spi is null then 'SPI — (' || coalesce(t.ev_missing, t.pv_missing, 'no planned value') || ')'
            else 'SPI ' || case when round(t.spi, 2) in (t.index_amber, t.index_red)
                                            and round(t.spi, 6) not in (t.index_amber, t.index_red)
                                       then (case when round(t.spi, 3) in (t.index_amber, t.index_red) then printf('%.4f', t.spi)
                                             else printf('%.3f', t.spi) end)
                                       else printf('%.2f', t.spi) end ||
                case t.spi_rag when 'red' then ' is below ' || t.index_red_text
                               when 'amber' then ' is below ' || t.index_amber_text
                               else ' is at or above ' || t.index_amber_text end
        end as spi_text,
        case
            when t.cpi is null then 'CPI — (' || coalesce(t.ev_missing, t.ac_missing, 'no actual cost') || ')'
            else 'CPI ' || case when round(t.cpi, 2) in (t.index_amber, t.index_red)
                                            and round(t.cpi, 6) not in (t.index_amber, t.index_red)
                                       then (case when round(t.cpi, 3) in (t.index_amber, t.index_red) then printf('%.4f', t.cpi)
                                             else printf('%.3f', t.cpi) end)
                                       else printf('%.2f', t.cpi) end ||
                case t.cpi_rag when 'red' then ' is below ' || t.index_red_text
                               when 'amber' then ' is below ' || t.index_amber_text
                               else ' is at or above ' || t.index_amber_text end
        end as cpi_text,
        case
            when t.bac is null or t.bac <= 0 then null
            when t.eac is null then 'EAC — (' || case
                when t.cpi = 0 then 'CPI is 0: cost but no earned value yet'
                else coalesce(t.ev_missing, t.ac_missing, 'needs CPI and SPI') end || ')'
            else 'EAC ' || t.eac_text || ' (' || case t.eac_method when 'plan' then 'AC + (BAC − EV)'
                    when 'cpi_spi' then 'AC + (BAC − EV) ÷ (CPI × SPI)' else 'BAC ÷ CPI' end || ') is '
                || case when round(t.cost_overrun_pct, 6) = 0 then 'equal to BAC ' || t.bac_text
                        else case when round(t.cost_overrun_pct, 3) in (t.overrun_amber, t.overrun_red)
                              and round(t.cost_overrun_pct, 6) not in (t.overrun_amber, t.overrun_red)
                                  then printf('%.3f%%', abs(t.cost_overrun_pct) * 100)
                                  else printf('%.1f%%', abs(t.cost_overrun_pct) * 100) end
                             || case when t.cost_overrun_pct > 0 then ' over' else ' under' end
                             || ' BAC ' || t.bac_text end
                || case t.overrun_rag when 'red' then ' (' || t.red_pct_text || ' or more is red)'
                                      when 'amber' then ' (more than ' || t.amber_pct_text || ' is amber)'
                                      else '' end
        end as overrun_text
    from texts t
),

reasons as (
    select
        f.*,
        'Schedule ' || f.schedule_health || ': ' || case
            when f.baseline_start_date is null or f.baseline_finish_date is null
                then 'no baseline dates, so no schedule variance'
            else concat_ws(' · ', f.slip_text, f.spi_text) end as schedule_reason,
        'Cost ' || f.cost_health || ': ' || case
            when f.bac is null or f.bac <= 0 then coalesce(f.ev_missing, 'no budget (BAC)')
            else concat_ws(' · ', f.cpi_text, f.overrun_text) end as cost_reason,
        case when f.work_health is not null then
            'Work ' || f.work_health || ': actual + remaining ' || format('{:,.0f}', f.work_hours)
            || ' h is ' || case when round(f.work_overrun_pct, 6) = 0 then 'equal to'
                                else case when round(f.work_overrun_pct, 3) in (f.overrun_amber, f.overrun_red)
                              and round(f.work_overrun_pct, 6) not in (f.overrun_amber, f.overrun_red)
                                          then printf('%.3f%%', abs(f.work_overrun_pct) * 100)
                                          else printf('%.1f%%', abs(f.work_overrun_pct) * 100) end
                                     || case when f.work_overrun_pct > 0 then ' over' else ' under' end
                           end
            || ' the ' || format('{:,.0f}', f.estimate_hours) || ' h original estimate'
            || case f.work_health when 'red' then ' (' || f.red_pct_text || ' or more is red)'
                                  when 'amber' then ' (more than ' || f.amber_pct_text || ' is amber)'
                                  else '' end
            || case when f.overall = 'worst' then '' else '; not counted in the overall colour' end
        end as work_reason,
        nullif(concat_ws(' · ',
            case when f.spi is null then 'SPI —: ' || coalesce(f.ev_missing, f.pv_missing, 'no planned value') end,
            case when f.cpi is null then 'CPI —: ' || coalesce(f.ev_missing, f.ac_missing, 'no actual cost') end,
            case when f.eac is null and f.bac is not null then 'EAC —: ' || case
                when f.cpi = 0 then 'CPI is 0 (cost but no earned value yet)'
                else coalesce(f.ev_missing, f.ac_missing, 'needs CPI and SPI') end end,
            case when f.tcpi is null and f.bac is not null and f.ac is not null and f.bac - f.ac <= 0
                then 'TCPI —: the budget is already spent (AC ≥ BAC), no efficiency finishes within BAC' end,
            case when f.pv_method is not null then 'PV: ' || f.pv_method end,
            case when f.ac_source is not null then 'AC: ' || f.ac_source end
        ), '') as evm_note
    from fragments f
),

final as (
    select
        project_id, as_of, bac, pv, ev, ac, sv, cv, spi, cpi, eac, etc, vac, tcpi,
        schedule_slip_days, schedule_health, cost_health, overall_health,
        array_to_string(list_transform(list_sort(list_filter([
            {'rank': case schedule_health when 'red' then 3 when 'amber' then 2 when 'green' then 1 else 0 end,
             'order': 3, 'text': schedule_reason},
            {'rank': case cost_health when 'red' then 3 when 'amber' then 2 when 'green' then 1 else 0 end,
             'order': 2, 'text': cost_reason},
            {'rank': case work_health when 'red' then 3 when 'amber' then 2 when 'green' then 1 else 0 end,
             'order': 1, 'text': work_reason}],
            lambda x: x.text is not null and (overall_health in ('green', 'grey') or x.rank <> 1)), 'DESC'),
            lambda x: x.text), '. ') || '.' as health_reason,
        work_health, schedule_reason, cost_reason, work_reason, evm_note, percent_complete,
        schedule_slip_pct, cost_overrun_pct, work_overrun_pct, baseline_start_date,
        baseline_finish_date, forecast_finish_date, eac_cpi, eac_plan, eac_cpi_spi, eac_method,
        pv_method, ac_source, estimate_hours, work_hours, reported_health, reported_schedule_health,
        reported_cost_health, reported_scope_health, status_comment, is_active, is_latest
    from reasons
)

select * from final
