-- raid_band
-- The exposure band of a 1-25 exposure (probability score x impact score), with the limits of
-- config [raid] (settings_raid): up to band_low_max 'low' (default 1-4), up to band_medium_max
-- 'medium' (5-9), up to band_high_max 'high' (10-15), above it 'critical' (16-25).
-- params: (none; the macro's argument is the exposure)
-- reads: settings_raid
-- grain: one value
-- columns: raid_band (a scalar macro: 'low' | 'medium' | 'high' | 'critical', NULL without an exposure)
create or replace macro raid_band(exposure) as
    case when exposure is null then null
         when exposure <= (select band_low_max from settings_raid) then 'low'
         when exposure <= (select band_medium_max from settings_raid) then 'medium'
         when exposure <= (select band_high_max from settings_raid) then 'high'
         else 'critical' end
