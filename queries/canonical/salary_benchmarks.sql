-- salary_benchmarks
-- Market pay benchmarks as imported (amounts in their own currency and basis; salary_market
-- converts them).
-- params: (none)
-- reads: seg_salary_benchmarks
-- grain: one row per benchmark row
-- columns: source, reference_date, job_title, soc_code, level, country, area, company, currency, basis, p10, p25, p50, p75, p90, mean, sample_size, top_coded
select * exclude (_ingest_id) from seg_salary_benchmarks
