-- stage_gates
-- Stage-gate reviews from gate logs (the canonical table), the project resolved through project
-- aliases (a project name or key -> the project code).
-- params: (none)
-- reads: _project_alias, seg_stage_gates
-- grain: project_id, gate, source
-- columns: project_id, gate, stage, gate_order, planned_date, decision_date, decision, decision_category, approver, comment, source, as_of
select
    coalesce(a.project_id, g.project_id) as project_id,
    g.gate,
    g.stage,
    g.gate_order,
    g.planned_date,
    g.decision_date,
    g.decision,
    g.decision_category,
    g.approver,
    g.comment,
    g.source,
    g.as_of
from seg_stage_gates g
left join _project_alias a on a.alias = g.project_id
