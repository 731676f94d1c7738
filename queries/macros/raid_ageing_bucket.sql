-- raid_ageing_bucket
-- The ageing bucket of an open RAID item judged at a date, with the limits of config [raid]
-- (settings_raid): '0-30', '31-60', '61-90', 'over 90' by default (days since raised). Closed
-- items and items without a raised date have none.
-- params: (none; the macro's arguments are the item's open flag, raised date and the date judged at)
-- reads: settings_raid
-- grain: one value
-- columns: raid_ageing_bucket (a scalar macro: the bucket's label, NULL when closed or never raised)
create or replace macro raid_ageing_bucket(is_open, created_date, judged_at) as
    case when not is_open or created_date is null then null
         when datediff('day', created_date, judged_at) <= (select ageing_1 from settings_raid)
             then '0-' || (select ageing_1 from settings_raid)
         when datediff('day', created_date, judged_at) <= (select ageing_2 from settings_raid)
             then ((select ageing_1 from settings_raid) + 1) || '-' || (select ageing_2 from settings_raid)
         when datediff('day', created_date, judged_at) <= (select ageing_3 from settings_raid)
             then ((select ageing_2 from settings_raid) + 1) || '-' || (select ageing_3 from settings_raid)
         else 'over ' || (select ageing_3 from settings_raid) end
