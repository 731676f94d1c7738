-- resource_holidays
-- Public holidays per location (lower-case city or country): an imported calendar for a location replaces the default calendar (config [resources] holidays) for it.
-- params: (none)
-- reads: capacity, resource_default_holidays
-- grain: one row per row
-- columns: location_key, location, holiday_date, days, description
with imported as (
        select lower(trim(h.location)) as location_key, h.location,
               cast(unnest(generate_series(h.start_date, coalesce(h.end_date, h.start_date), interval 1 day)) as date)
                   as holiday_date,
               least(coalesce(h.days, 1.0), 1.0) as days, h.description
        from capacity h
        where h.kind = 'holiday' and h.start_date is not null and nullif(trim(h.location), '') is not null
    )
    select location_key, any_value(location) as location, holiday_date, max(days) as days,
           any_value(description) as description
    from imported group by location_key, holiday_date
    union all
    select d.location_key, d.location, d.holiday_date, d.days, d.description
    from resource_default_holidays d
    where d.location_key not in (select location_key from imported)
