-- governance_report
-- The governance checks of every project judged on a date, as `pmo check --governance` prints
-- them (governance_checks_at): the date is the newest status date on or before $as_of; each check
-- counts with its newest finding on or before it. Ordered by portfolio, project and check;
-- offending task ids also by their task names.
-- params: $as_of DATE (NULL = the newest date judged), $portfolio VARCHAR (NULL = all)
-- reads: governance_checks_at
-- grain: project_id, check_id
-- columns: portfolio, project_id, project_name, as_of, check_id, check_group, check_name, measurable, passed, numerator, denominator, value, threshold, rule, export, note, offending, offending_names, finding_date, check_order
select
    portfolio, project_id, project_name, as_of, check_id, check_group, check_name, measurable, passed,
    numerator, denominator, value, threshold, rule, export, note, offending, offending_names, finding_date,
    check_order
from governance_checks_at($as_of, $portfolio, null, null, null, null)
order by portfolio nulls last, project_id, check_order
