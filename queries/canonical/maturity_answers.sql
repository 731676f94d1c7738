-- maturity_answers
-- PMO maturity self-assessment answers (the canonical table): one row per assessment and
-- question, level 0 (unknown) to 5, evidence and who answered.
-- params: (none)
-- reads: seg_maturity_answers
-- grain: assessment, question_id
-- columns: assessment, assessed_on, question_id, answer_level, evidence, answered_by, answered_at, source, as_of
select assessment, assessed_on, question_id, answer_level, evidence, answered_by, answered_at, source, as_of
from seg_maturity_answers
