-- salary_staff
-- PMO staff placed on their market band (salary_positions) with name, role order and filters.
-- In scope: everyone the HR export flags as PMO (or does not flag) and anyone whose title maps
-- to a benchmark role. Names are returned for the page to show only to roles allowed to see them.
-- params: $country VARCHAR (NULL = all), $department VARCHAR (NULL = all), $level VARCHAR (NULL = all)
-- reads: salaries, salary_positions, salary_roles
-- grain: employee_id
-- columns: employee_id, employee_name, job_title, benchmark_role, role_order, department, level, country, city, fte, base_salary, p10, p25, p50, p75, p90, compa_ratio, range_position, pay_zone, cost_to_p25, cost_to_p50, benchmark_id, benchmark_source, benchmark_country, benchmark_area, area_kind, benchmark_reference_date, is_annualised, match_status
with
positions as (
    select * from salary_positions
    where (coalesce(is_pmo, true) or benchmark_role is not null)
        and ($country is null or country = $country)
        and ($department is null or department = $department)
        and ($level is null or level = $level)
),
final as (
    select
        p.employee_id,
        s.employee_name,
        p.job_title,
        p.benchmark_role,
        r.role_order,
        p.department,
        p.level,
        p.country,
        p.city,
        p.fte,
        p.base_salary,
        p.p10,
        p.p25,
        p.p50,
        p.p75,
        p.p90,
        p.compa_ratio,
        p.range_position,
        p.pay_zone,
        p.cost_to_p25,
        p.cost_to_p50,
        p.benchmark_id,
        p.benchmark_source,
        p.benchmark_country,
        p.benchmark_area,
        p.area_kind,
        p.benchmark_reference_date,
        p.is_annualised,
        p.match_status
    from positions p
    left join salaries s using (employee_id)
    left join salary_roles r on r.benchmark_role = p.benchmark_role
)
select * from final
order by role_order nulls last, compa_ratio nulls last, employee_id
