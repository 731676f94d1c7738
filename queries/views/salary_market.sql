-- salary_market
-- Market pay bands in one currency, one date and one basis: every row of salary_benchmarks with
-- the PMO role(s) it represents (config/title_map.toml; benchmark_role NULL = the row matches no
-- role: a title the data adds; area NULL = the whole country, 'National' and the like included).
-- Company-level rows are never placeable (small samples). p10..p90 and mean are annualised (hourly x hours_per_year),
-- aged to settings_salaries.age_to (x (1 + aging_rate) ^ (calendar months from reference_date to
-- age_to / 12), as salary surveys age by month) and converted to the reporting currency with the fx_rates rate valid at age_to.
-- A row whose currency has no rate gives NULL figures. *_original keep the source's own figures.
-- is_small_sample: fewer reports than [salaries] small_sample (a company row without a count too).
-- params: (none)
-- reads: _fx, _fx_first, salary_benchmarks, salary_countries, salary_locations, salary_role_sources, salary_roles, settings_salaries
-- grain: benchmark_role, benchmark_id (a benchmark row appears once per role it represents)
-- columns: benchmark_role, role_order, rule_order, is_placeable, benchmark_id, source, reference_date, job_title, soc_code, level, country, area, area_kind, company, currency, basis, p10, p25, p50, p75, p90, mean, p10_original, p25_original, p50_original, p75_original, p90_original, sample_size, is_small_sample, top_coded, is_annualised, annualise_factor, aging_factor, fx_rate, age_to, reporting_currency
with
settings as (
    select * from settings_salaries
),
numbered as (
    select
        row_number() over (order by source, reference_date, country, area, company, job_title,
                           soc_code, level, basis, p50, sample_size) as benchmark_id,
        *
    from salary_benchmarks
),
bench as (
    select
        n.* replace (
            -- 'National', 'U.S.', the country's own name ... = the whole country
            case
                when n.area is null or trim(n.area) = '' then null
                when lower(trim(n.area)) in ('national', 'nationwide', 'all', 'total')
                    or lower(trim(n.area)) = lower(trim(n.country)) then null
                when ca.country is not null and ca.country = coalesce(c.country, trim(n.country)) then null
                else trim(n.area)
            end as area),
        coalesce(c.country, trim(n.country)) as country_name
    from numbered n
    left join salary_countries c on c.alias_key = lower(trim(n.country))
    left join salary_countries ca on ca.alias_key = lower(trim(n.area))
),
matched as (
    select
        b.*,
        r.benchmark_role,
        r.rule_order,
        -- company-level rows are small samples: context only, never a band to place staff on
        r.place and b.company is null as is_placeable
    from bench b
    left join salary_role_sources r
        on (r.soc_code is null or trim(b.soc_code) = r.soc_code)
        and (r.job_title is null or b.job_title ilike r.job_title)
        and (r.level is null or b.level ilike r.level)
        and (r.company is null or b.company ilike r.company)
        and (r.source is null or b.source ilike r.source)
    -- a row matched by several rules of one role keeps the first rule
    qualify row_number() over (partition by b.benchmark_id, r.benchmark_role order by r.rule_order) = 1
),
factors as (
    select
        m.*,
        coalesce(m.currency, s.reporting_currency) as currency_code,
        case when m.basis = 'hourly' then s.hours_per_year else 1.0 end as annualise_factor,
        coalesce(power(1 + s.aging_rate, datediff('month', m.reference_date, s.age_to) / 12), 1.0)
            as aging_factor,
        s.age_to,
        s.reporting_currency,
        s.small_sample
    from matched m
    cross join settings s
),
with_fx as (
    select
        f.*,
        coalesce(fx.rate_to_reporting, ff.rate) as fx_rate
    from factors f
    asof left join _fx fx on fx.currency = f.currency_code and f.age_to >= fx.valid_from
    left join _fx_first ff on ff.currency = f.currency_code
),
final as (
    select
        w.benchmark_role,
        ro.role_order,
        w.rule_order,
        coalesce(w.is_placeable, false) as is_placeable,
        w.benchmark_id,
        w.source,
        w.reference_date,
        w.job_title,
        w.soc_code,
        w.level,
        w.country_name as country,
        w.area,
        case
            when w.area is null then 'national'
            when exists (select 1 from salary_locations l where w.area ilike l.metro) then 'metro'
            when exists (select 1 from salary_locations l where lower(w.area) = lower(l.state)) then 'state'
            else 'area'
        end as area_kind,
        w.company,
        w.currency_code as currency,
        coalesce(w.basis, 'annual') as basis,
        w.p10 * w.annualise_factor * w.aging_factor * w.fx_rate as p10,
        w.p25 * w.annualise_factor * w.aging_factor * w.fx_rate as p25,
        w.p50 * w.annualise_factor * w.aging_factor * w.fx_rate as p50,
        w.p75 * w.annualise_factor * w.aging_factor * w.fx_rate as p75,
        w.p90 * w.annualise_factor * w.aging_factor * w.fx_rate as p90,
        w.mean * w.annualise_factor * w.aging_factor * w.fx_rate as mean,
        w.p10 as p10_original,
        w.p25 as p25_original,
        w.p50 as p50_original,
        w.p75 as p75_original,
        w.p90 as p90_original,
        w.sample_size,
        coalesce(w.sample_size < w.small_sample, w.company is not null) as is_small_sample,
        coalesce(w.top_coded, false) as top_coded,
        w.basis = 'hourly' as is_annualised,
        w.annualise_factor,
        w.aging_factor,
        w.fx_rate,
        w.age_to,
        w.reporting_currency
    from with_fx w
    left join salary_roles ro on ro.benchmark_role = w.benchmark_role
)
select * from final
