-- maturity_assessments
-- Every PMO maturity self-assessment's answers, oldest assessment first.
-- params: (none)
-- reads: maturity_answers
-- grain: assessment, question_id
-- columns: assessment, assessed_on, question_id, answer_level, evidence, answered_by, answered_at
select assessment, assessed_on, question_id, answer_level, evidence, answered_by, answered_at
from maturity_answers
order by assessed_on, assessment, question_id
