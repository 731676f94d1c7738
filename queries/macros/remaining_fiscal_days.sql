-- remaining_fiscal_days
-- The days still to staff (after the last logged day, actuals_through; every day when no timesheet
-- is loaded), each with its fiscal quarter: period_start (the quarter's first day), fiscal_year
-- and fiscal_quarter, for a fiscal year starting in month start_month. Shared by the role capacity
-- and role demand of the Prioritisation page (priority_role_capacity, priority_role_demand).
-- params: (none; the macro's argument is start_month, the first month of the fiscal year)
-- reads: resource_calendar
-- grain: day
-- columns: day, period_start, fiscal_year, fiscal_quarter
create or replace macro remaining_fiscal_days(start_month) as table
select c.day,
       cast(c.month_start - to_months((month(c.month_start) - start_month + 12) % 12 % 3) as date)
           as period_start,
       year(c.day) + case when start_month > 1 and month(c.day) >= start_month then 1 else 0 end
           as fiscal_year,
       (month(c.day) - start_month + 12) % 12 // 3 + 1 as fiscal_quarter
from resource_calendar c
where c.actuals_through is null or c.day > c.actuals_through
