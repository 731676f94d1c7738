-- priority_scores
-- Every project's raw score per prioritisation criterion (project_scores), newest list.
-- params: (none)
-- reads: project_scores
-- grain: project_id, criterion
-- columns: project_id, criterion, score, rating, scored_by, scored_at, note
select project_id, criterion, score, rating, scored_by, scored_at, note
from project_scores
order by project_id, criterion
