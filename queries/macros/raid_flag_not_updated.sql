-- raid_flag_not_updated
-- An open RAID item not updated for more than config [raid] not_updated_days (default 30) at the
-- date judged: counted from its last update, else from its raised date. Never NULL.
-- params: (none; the macro's arguments are the open flag, last update, raised date and the date judged at)
-- reads: settings_raid
-- grain: one value
-- columns: raid_flag_not_updated (a scalar macro: boolean)
create or replace macro raid_flag_not_updated(is_open, updated_date, created_date, judged_at) as
    coalesce(is_open and datediff('day', coalesce(updated_date, created_date), judged_at)
             > (select not_updated_days from settings_raid), false)
