-- salary_unused_benchmarks
-- Benchmark titles in the data that no PMO role uses (config/title_map.toml matches none of
-- their rows): what the data adds beyond the configured roles, one row per title and source.
-- Company-level figures are not market bands: salary_company_pay shows them.
-- params: (none)
-- reads: salary_market
-- grain: source, job_title, soc_code
-- columns: source, job_title, soc_code, companies, row_count, latest_reference_date, median_p50
with
unused as (
    select * from salary_market where benchmark_role is null and company is null
),
final as (
    select
        source,
        job_title,
        soc_code,
        string_agg(distinct company, ', ' order by company) as companies,
        count(*) as row_count,
        max(reference_date) as latest_reference_date,
        median(p50) as median_p50
    from unused
    group by all
)
select * from final
order by source, job_title
