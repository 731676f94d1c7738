-- salaries
-- Staff and pay, base salary in the reporting currency at the rate valid at the export date.
-- params: (none)
-- reads: _fx, _fx_first, seg_salaries, settings_general
-- grain: employee_id
-- columns: employee_id, employee_name, job_title, job_family, level, department, country, city, currency, base_salary_original, fte, is_pmo, as_of, source, base_salary
select s.* exclude (base_salary, _ingest_id),
       s.base_salary_original * coalesce(fx.rate_to_reporting, ff.rate) as base_salary
from seg_salaries s
cross join settings_general g
asof left join _fx fx on fx.currency = coalesce(s.currency, g.reporting_currency) and s.as_of >= fx.valid_from
left join _fx_first ff on ff.currency = coalesce(s.currency, g.reporting_currency)
