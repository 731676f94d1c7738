-- projects
-- One row per project, from every export that describes it (_project_rows). Each field comes
-- from the first source, in the precedence of its field group (config [projects.precedence]),
-- that gives a value; within one rank an export's own project row comes before one derived from
-- its tasks or status reports, then the newest. Groups: identity (name, portfolio, program,
-- department, manager, sponsor, stage, priority), dates (start, finish, baselines, actual
-- finish), budget (budget with its currency), progress (% complete), health (reported health).
-- The budget is converted to the reporting currency at the rate valid at its row's date; the
-- currency is the budget's, else the first the budget group's precedence gives.
-- `sources` lists every source describing the project; `source` is the one its identity comes
-- from; `as_of` is its newest row's date (a project only a ledger names: the newest ingest's).
-- params: (none)
-- cache: summary
-- reads: _fx, _fx_first, _project_rows, ingests, settings_general
-- grain: project_id
-- columns: project_id, project_name, portfolio, program, department, manager, sponsor, stage, priority, start_date, finish_date, baseline_start_date, baseline_finish_date, actual_finish_date, percent_complete, budget, reported_health, currency, budget_original, external_ids, source, as_of, sources
with ranked as (
    select
        *,
        -- smaller wins: the field group's rank, then own rows before derived ones, then the newest
        coalesce(datediff('day', date '1970-01-01', as_of), 0) as days
    from _project_rows
),

keyed as (
    select
        *,
        (identity_rank * 10 + derived) * 1000000 - days as k_identity,
        (dates_rank * 10 + derived) * 1000000 - days as k_dates,
        (budget_rank * 10 + derived) * 1000000 - days as k_budget,
        (progress_rank * 10 + derived) * 1000000 - days as k_progress,
        (health_rank * 10 + derived) * 1000000 - days as k_health
    from ranked
),

merged as (
    select
        project_id,
        arg_min(project_name, k_identity) filter (where project_name is not null) as project_name,
        arg_min(portfolio, k_identity) filter (where portfolio is not null) as portfolio,
        arg_min(program, k_identity) filter (where program is not null) as program,
        arg_min(department, k_identity) filter (where department is not null) as department,
        arg_min(manager, k_identity) filter (where manager is not null) as manager,
        arg_min(sponsor, k_identity) filter (where sponsor is not null) as sponsor,
        arg_min(stage, k_identity) filter (where stage is not null) as stage,
        arg_min(priority, k_identity) filter (where priority is not null) as priority,
        arg_min(start_date, k_dates) filter (where start_date is not null) as start_date,
        arg_min(finish_date, k_dates) filter (where finish_date is not null) as finish_date,
        arg_min(baseline_start_date, k_dates) filter (where baseline_start_date is not null) as baseline_start_date,
        arg_min(baseline_finish_date, k_dates) filter (where baseline_finish_date is not null) as baseline_finish_date,
        arg_min(actual_finish_date, k_dates) filter (where actual_finish_date is not null) as actual_finish_date,
        arg_min(percent_complete, k_progress) filter (where percent_complete is not null) as percent_complete,
        arg_min(reported_health, k_health) filter (where reported_health is not null) as reported_health,
        arg_min({'amount': budget_original, 'currency': currency, 'as_of': as_of}, k_budget)
            filter (where budget_original is not null) as budget_row,
        -- the project's own currency also without a budget (a RAID cost is in it)
        arg_min(currency, k_budget) filter (where currency is not null) as any_currency,
        list_distinct(flatten(list(coalesce(external_ids, [])))) as external_ids,
        arg_min(source, k_identity) as source,
        max(as_of) as as_of,
        list(distinct source order by source) as sources
    from keyed
    group by project_id
),

final as (
    select
        m.project_id,
        coalesce(m.project_name, m.project_id) as project_name,
        m.portfolio, m.program, m.department, m.manager, m.sponsor, m.stage, m.priority,
        m.start_date, m.finish_date, m.baseline_start_date, m.baseline_finish_date,
        m.actual_finish_date, m.percent_complete,
        m.budget_row.amount * coalesce(fx.rate_to_reporting, ff.rate) as budget,
        m.reported_health,
        coalesce(m.budget_row.currency, m.any_currency) as currency,
        m.budget_row.amount as budget_original,
        m.external_ids,
        m.source,
        coalesce(m.as_of, (select max(as_of) from ingests)) as as_of,
        m.sources
    from merged m
    cross join settings_general g
    asof left join _fx fx
        on fx.currency = coalesce(m.budget_row.currency, g.reporting_currency)
       and coalesce(m.budget_row.as_of, m.as_of) >= fx.valid_from
    left join _fx_first ff on ff.currency = coalesce(m.budget_row.currency, g.reporting_currency)
)

select * from final
