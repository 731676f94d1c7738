-- raid_is_open
-- Is a RAID item open at a date? Not when it was closed on or before that date; else the
-- importer's status_category when it read one; else not when the status says closed, resolved,
-- done, complete, cancelled (and the like).
-- params: (none; the macro's arguments are status_category, status, closed_date and the date)
-- reads: (none)
-- grain: one value
-- columns: raid_is_open (a scalar macro: true | false)
create or replace macro raid_is_open(status_category, status, closed_date, at_date) as
    case when closed_date is not null and closed_date <= at_date then false
         when closed_date is not null then true
         when status_category is not null then status_category = 'open'
         else not regexp_matches(lower(coalesce(status, '')),
                                 '\b(closed?|resolved|done|complete[d]?|cancell?ed|retired|withdrawn|rejected|removed|obsolete|expired|converted)\b')
    end
