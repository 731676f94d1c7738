-- _scope_salaries
-- Whether salary rows may be read at all: not by a role that hides salaries, and not by a role
-- limited to portfolios only (salaries have no portfolio; a department limit decides which).
-- params: (none)
-- reads: _scope
-- grain: one row
-- columns: allowed
select (select count(*) from _scope where dimension = 'hide_salaries') = 0
       and (not exists (select 1 from _scope where dimension = 'portfolio')
            or exists (select 1 from _scope where dimension = 'department')) as allowed
