-- salary_positions
-- One row per employee of the HR export, placed on the market band of their benchmark role and
-- location. The job title maps to a role through config/title_map.toml; the band is the first
-- benchmark rule of that role (config order = primary source) with a row for the person's
-- country, preferring their metro area, then their state, then the whole country, then the
-- latest reference date. base_salary is annual full-time-equivalent pay and p10..p90 are aged,
-- converted and annualised bands (salary_market), all in the reporting currency at the rate
-- valid at settings_salaries.age_to (so base_salary can differ from the salaries view, which
-- converts at the export's as_of date).
-- compa_ratio = base_salary / p50; range_position = (base_salary - p10) / (p90 - p10).
-- cost_to_p25 / cost_to_p50 = the yearly cost of raising the person to p25 / p50: the FTE gap
-- times fte (a 60% part-timer's raise costs 60% of the full-time gap; fte NULL = 1); 0 when at or
-- above, NULL when the person has no band.
-- match_status says why a person has no band ('unmapped title', 'no benchmark for <country>', ...).
-- params: (none)
-- cache: summary
-- reads: _fx, _fx_first, salaries, salary_countries, salary_locations, salary_market, settings_salaries, title_map
-- grain: employee_id
-- columns: employee_id, job_title, benchmark_role, benchmark_source, country, base_salary, p10, p25, p50, p75, p90, compa_ratio, range_position, department, level, city, fte, is_pmo, match_status, pay_zone, cost_to_p25, cost_to_p50, benchmark_id, benchmark_country, benchmark_area, area_kind, benchmark_reference_date, benchmark_basis, is_annualised, reporting_currency, as_of
with
settings as (
    select * from settings_salaries
),
staff as (
    select
        s.* exclude (base_salary),
        -- converted with the rate valid at age_to, as the bands are: same-currency comparisons
        -- stay FX-neutral (a EUR salary against a EUR band keeps its euro compa-ratio)
        coalesce(s.base_salary_original * coalesce(fx.rate_to_reporting, ff.rate), s.base_salary)
            as base_salary,
        tm.benchmark_role,
        coalesce(c.country, trim(s.country)) as country_name,
        l.state,
        l.metro
    from salaries s
    left join title_map tm on tm.title_key = lower(trim(regexp_replace(s.job_title, '\s+', ' ', 'g')))
    left join salary_countries c on c.alias_key = lower(trim(s.country))
    left join salary_locations l
        on l.city_key = lower(trim(s.city))
        and (l.country is null or l.country = coalesce(c.country, trim(s.country)))
    cross join settings st
    asof left join _fx fx
        on fx.currency = coalesce(s.currency, st.reporting_currency) and st.age_to >= fx.valid_from
    left join _fx_first ff on ff.currency = coalesce(s.currency, st.reporting_currency)
),
candidates as (
    select
        st.employee_id,
        m.*,
        case
            when m.area is null then 3
            when st.metro is not null and m.area ilike st.metro then 1
            -- before the city test: New York the state is not New York the city
            when st.state is not null and lower(m.area) = lower(st.state) then 2
            when m.area_kind <> 'state' and lower(m.area) = lower(trim(st.city)) then 1
        end as area_rank
    from staff st
    join salary_market m
        on m.benchmark_role = st.benchmark_role
        and m.is_placeable
        and m.country = st.country_name
),
band as (
    select *
    from candidates
    where area_rank is not null
    qualify row_number() over (
        partition by employee_id
        order by (p50 is null), rule_order, area_rank, reference_date desc nulls last, benchmark_id) = 1
),
placed as (
    select
        st.*,
        b.benchmark_id,
        b.source as benchmark_source,
        b.country as benchmark_country,
        b.area as benchmark_area,
        b.area_kind,
        b.reference_date as benchmark_reference_date,
        b.basis as benchmark_basis,
        b.is_annualised,
        b.p10, b.p25, b.p50, b.p75, b.p90,
        (select reporting_currency from settings) as reporting_currency
    from staff st
    left join band b using (employee_id)
),
final as (
    select
        employee_id,
        job_title,
        benchmark_role,
        benchmark_source,
        country,
        base_salary,
        p10,
        p25,
        p50,
        p75,
        p90,
        base_salary / nullif(p50, 0) as compa_ratio,
        (base_salary - p10) / nullif(p90 - p10, 0) as range_position,
        department,
        level,
        city,
        fte,
        is_pmo,
        case
            when benchmark_role is null then 'unmapped title'
            when benchmark_id is null and country_name is null then 'no benchmark: country missing'
            when benchmark_id is null then 'no benchmark for ' || country_name
            when p50 is null then 'benchmark currency has no FX rate'
            when base_salary is null then 'pay missing or its currency has no FX rate'
            else 'placed'
        end as match_status,
        case
            when base_salary is null or p50 is null then null
            when base_salary < p10 then 'below p10'
            when base_salary < p25 then 'p10-p25'
            when base_salary < p50 then 'p25-p50'
            when p75 is null then 'above p50'          -- p75 top-coded (OEWS '#'): not known
            when base_salary <= p75 then 'p50-p75'
            when p90 is null then 'above p75'          -- p90 top-coded
            when base_salary <= p90 then 'p75-p90'
            else 'above p90'
        end as pay_zone,
        case when base_salary is not null and p25 is not null
             then greatest(p25 - base_salary, 0) * coalesce(fte, 1.0) end as cost_to_p25,
        case when base_salary is not null and p50 is not null
             then greatest(p50 - base_salary, 0) * coalesce(fte, 1.0) end as cost_to_p50,
        benchmark_id,
        benchmark_country,
        benchmark_area,
        area_kind,
        benchmark_reference_date,
        benchmark_basis,
        is_annualised,
        reporting_currency,
        as_of
    from placed
)
select * from final
