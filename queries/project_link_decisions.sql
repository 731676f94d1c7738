-- project_link_decisions
-- The decisions analysts took on the Data page about projects other tools name: linked to a
-- register project, or kept as their own (the project_links table of the current version).
-- params: (none)
-- reads: seg_project_links
-- grain: alias
-- columns: alias, project_id, decision, decided_by, decided_at, note
select alias, project_id, decision, decided_by, decided_at, note
from seg_project_links
order by decided_at desc, alias
