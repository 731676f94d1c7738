-- raid_probability_score
-- A RAID item's probability (a fraction 0-1) on the 1-5 scale: the fifth it falls in, rounded up
-- (0.2 -> 1, 0.21 -> 2, 0.5 -> 3, 0.7 -> 4, 0.9 -> 5; 0 -> 1). ServiceNow's Low 0.25 / Moderate
-- 0.5 / High 0.75 / Absolute 1.0 give 2 / 3 / 4 / 5. Rounded to 6 places first (0.6 x 5 is 3.0).
-- params: (none; the macro's argument is the probability)
-- reads: (none)
-- grain: one value
-- columns: raid_probability_score (a scalar macro: the score 1-5, NULL without a probability)
create or replace macro raid_probability_score(p) as
    case when p is null then null else least(5, greatest(1, ceil(round(p * 5, 6))))::integer end
