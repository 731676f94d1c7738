-- _scope_projects
-- The projects a role limited to some portfolios and/or departments may see (config/roles.toml,
-- reaching SQL as rows of the `_scope` table, never as SQL text). An empty list of a limited
-- dimension means nothing, not everything (pmo/query/scope.py writes a NULL marker row for it).
-- params: (none)
-- reads: _scope, projects
-- grain: project_id
-- columns: project_id
select project_id
from projects p
where (not exists (select 1 from _scope where dimension = 'portfolio')
       or p.portfolio in (select value from _scope where dimension = 'portfolio' and value is not null))
  and (not exists (select 1 from _scope where dimension = 'department')
       or p.department in (select value from _scope where dimension = 'department' and value is not null))
