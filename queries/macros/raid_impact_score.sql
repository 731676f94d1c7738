-- raid_impact_score
-- A RAID item's impact on the 1-5 scale from the tool's own scale 1..impact_scale, linearly:
-- 1 + (impact - 1) x 4 / (impact_scale - 1), rounded half up, kept within 1-5. Scale 5 keeps its
-- value; Project Online 1-10: 1-2 -> 1, 3-4 -> 2, 5-6 -> 3, 7-8 -> 4, 9-10 -> 5; ServiceNow 1-3
-- (High = 3): 1, 3, 5; Azure DevOps severity 1-4 (Critical = 4): 1, 2, 4, 5 (docs/raid.md).
-- params: (none; the macro's arguments are the impact and its scale)
-- reads: (none)
-- grain: one value
-- columns: raid_impact_score (a scalar macro: the score 1-5, NULL without an impact or a scale above 1)
create or replace macro raid_impact_score(impact, impact_scale) as
    case when impact is null or impact_scale is null or impact_scale <= 1 then null
         else least(5, greatest(1, floor(1 + (impact - 1) * 4 / (impact_scale - 1) + 0.5 + 1e-9)))::integer end
