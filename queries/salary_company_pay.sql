-- salary_company_pay
-- PMO pay by company: the self-reported, company-level figures in the salary benchmarks (a row
-- with a company), one row per company and title, as reported and aged to the bands' date in the
-- reporting currency (salary_market). Never used to place staff on a band (too few reports).
-- params: (none)
-- reads: salary_market
-- grain: source, company, job_title, country, reference_date
-- columns: company, job_title, country, company_pay, pay_as_reported, currency, sample_size, is_small_sample, reference_date, age_to, aging_factor, source
select
    company, job_title, country,
    p50 as company_pay,
    p50_original as pay_as_reported,
    currency, sample_size, is_small_sample, reference_date, age_to, aging_factor, source
from salary_market
where company is not null and p50 is not null
order by company_pay desc, company, job_title
