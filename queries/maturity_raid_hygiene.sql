-- maturity_raid_hygiene
-- RAID hygiene measured for the maturity page: open RAID items of the shared filters' projects,
-- and those with none of the register's flags (no owner, mitigation overdue, not updated).
-- params: $portfolio VARCHAR (NULL = all), $program VARCHAR (NULL = all), $department VARCHAR (NULL = all), $manager VARCHAR (NULL = all), $stage VARCHAR (NULL = all)
-- reads: filtered_projects, raid_items
-- grain: one row
-- columns: raid_open_items, raid_clean_items
select
    count(*) as raid_open_items,
    count(*) filter (where flag_count = 0) as raid_clean_items
from raid_items
where is_open
  and project_id in (select project_id from filtered_projects($portfolio, $program, $department, $manager, $stage))
