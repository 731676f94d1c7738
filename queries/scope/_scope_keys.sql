-- _scope_keys
-- Every id a row of an allowed project may carry: the project ids and their aliases (a Jira key,
-- a name a status report uses ...), so rows are kept whichever id their export used.
-- params: (none)
-- reads: _project_alias, _scope_projects
-- grain: key
-- columns: key
select project_id as key from _scope_projects
union
select alias from _project_alias where project_id in (select project_id from _scope_projects)
