-- project_scores
-- Prioritisation driver scores (the canonical table, from a scoring sheet or the Prioritisation
-- page), the project resolved through project aliases (a Jira key or a name -> the project code).
-- params: (none)
-- reads: _project_alias, seg_project_scores
-- grain: project_id, criterion
-- columns: project_id, criterion, score, rating, scored_by, scored_at, note, source, as_of
select
    coalesce(a.project_id, s.project_id) as project_id,
    s.criterion,
    s.score,
    s.rating,
    s.scored_by,
    s.scored_at,
    s.note,
    s.source,
    s.as_of
from seg_project_scores s
left join _project_alias a on a.alias = s.project_id
