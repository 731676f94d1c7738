-- governance_portfolio_compliance
-- Standards compliance per portfolio and status date: checks passed / checks judged over the
-- portfolio's projects judged on that date (each project's newest finding per check, as in the
-- project compliance view), with how many projects pass every check they can be judged on.
-- params: (none)
-- reads: governance_compliance, projects
-- grain: portfolio, as_of
-- columns: portfolio, as_of, projects, projects_fully_compliant, checks_judged, checks_passed, checks_failed, compliance
select
    portfolio,
    as_of,
    count(*) as projects,
    count(*) filter (where checks_failed = 0 and checks_judged > 0) as projects_fully_compliant,
    sum(checks_judged)::bigint as checks_judged,
    sum(checks_passed)::bigint as checks_passed,
    sum(checks_failed)::bigint as checks_failed,
    sum(checks_passed) / nullif(sum(checks_judged), 0) as compliance
from governance_compliance
group by portfolio, as_of
