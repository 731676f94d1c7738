-- in_scope
-- The row tests a scoped connection applies to each segment table (pmo/query/scope.py says which
-- test each table takes): a project's rows by any of its ids; salary rows by the salary rule and
-- the department limit; an analyst's project link when either end is in scope.
-- params: (none)
-- reads: _scope, _scope_keys, _scope_salaries
-- grain: one boolean per row tested
-- columns: in_project_scope, in_project_scope_or_null, in_salary_scope, in_link_scope
create or replace macro in_project_scope(pid) as pid in (select key from _scope_keys);
-- a column naming another project (a blocker's): visible when empty or in scope
create or replace macro in_project_scope_or_null(pid) as pid is null or in_project_scope(pid);
create or replace macro in_salary_scope(dept) as
    (select allowed from _scope_salaries)
    and (not exists (select 1 from _scope where dimension = 'department')
         or dept in (select value from _scope where dimension = 'department' and value is not null));
create or replace macro in_link_scope(alias_, pid) as
    alias_ in (select key from _scope_keys) or pid in (select key from _scope_keys)
