-- salary_bands
-- Market bands per PMO role (salary_market): p10..p90 annual, aged and converted, with source,
-- reference date, sample size and flags, primary source first. Benchmark titles no role uses
-- (is_unmapped_title) come after the roles under their own title: what the data adds.
-- params: $role VARCHAR (NULL = all), $country VARCHAR (NULL = all)
-- reads: salary_countries, salary_market
-- grain: benchmark_role, benchmark_id
-- columns: benchmark_role, role_order, rule_order, is_placeable, benchmark_id, source, reference_date, job_title, soc_code, level, country, area, area_kind, company, currency, basis, p10, p25, p50, p75, p90, sample_size, is_small_sample, top_coded, is_annualised, aging_factor, fx_rate, age_to, is_unmapped_title
with
market as (
    -- a benchmark title no role uses is shown as a market entry of its own, after the roles
    select
        * replace (
            coalesce(benchmark_role, job_title) as benchmark_role,
            coalesce(role_order, 1000 + dense_rank() over (order by job_title)) as role_order),
        benchmark_role is null as is_unmapped_title
    from salary_market
),
bands as (
    select * from market
    where $role is null or benchmark_role = $role
),
final as (
    select
        benchmark_role, role_order, rule_order, is_placeable, benchmark_id, source, reference_date,
        job_title, soc_code, level, country, area, area_kind, company, currency, basis,
        p10, p25, p50, p75, p90, sample_size, is_small_sample, top_coded, is_annualised,
        aging_factor, fx_rate, age_to, is_unmapped_title
    from bands
    -- the filter holds the HR spelling ('United States of America'); bands use the title map's
    where $country is null
        or country = coalesce((select c.country from salary_countries c
                               where c.alias_key = lower(trim($country))), $country)
)
select * from final
order by role_order, rule_order,
    case area_kind when 'national' then 1 when 'state' then 2 when 'metro' then 3 else 4 end,
    area, company, reference_date desc
