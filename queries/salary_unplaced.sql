-- salary_unplaced
-- PMO staff without a market band, grouped by why: a title the title map does not know, no
-- benchmark for their country, pay or FX missing. Nobody is dropped silently.
-- params: $country VARCHAR (NULL = all), $department VARCHAR (NULL = all), $level VARCHAR (NULL = all)
-- reads: salary_positions
-- grain: match_status, job_title, benchmark_role, country
-- columns: match_status, job_title, benchmark_role, country, staff_count
with
positions as (
    select * from salary_positions
    where match_status <> 'placed'
        and (coalesce(is_pmo, true) or benchmark_role is not null)
        and ($country is null or country = $country)
        and ($department is null or department = $department)
        and ($level is null or level = $level)
),
final as (
    select match_status, job_title, benchmark_role, country, count(*) as staff_count
    from positions
    group by all
)
select * from final
order by match_status desc, staff_count desc, job_title
