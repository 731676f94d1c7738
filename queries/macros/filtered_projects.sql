-- filtered_projects
-- The projects the shared filters select (portfolio, program, department, manager, stage; NULL =
-- all): one table macro, so every page query filters projects the same way. Call it with the
-- page's bound parameters: `from filtered_projects($portfolio, $program, $department, $manager, $stage)`.
-- params: (none; the macro's own arguments are f_portfolio .. f_stage)
-- reads: projects
-- grain: project_id
-- columns: every column of `projects`
create or replace macro filtered_projects(f_portfolio, f_program, f_department, f_manager, f_stage) as table
    select *
    from projects
    where (f_portfolio is null or portfolio = f_portfolio)
      and (f_program is null or program = f_program)
      and (f_department is null or department = f_department)
      and (f_manager is null or manager = f_manager)
      and (f_stage is null or stage = f_stage)
