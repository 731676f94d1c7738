-- _time_exports
-- Each timesheet export (source and ingest) with the dataset and the period it covers: a source ending in @<first day>..<last day> (the importers set it).
-- params: (none)
-- reads: seg_time_entries
-- grain: one row per row
-- columns: source, _ingest_id, as_of, dataset, first_day, last_day
select source, _ingest_id, any_value(as_of) as as_of,
           nullif(regexp_extract(source, '^(.*)@\d{4}-\d{2}-\d{2}\.\.\d{4}-\d{2}-\d{2}$', 1), '') as dataset,
           try_cast(nullif(regexp_extract(source, '@(\d{4}-\d{2}-\d{2})\.\.\d{4}-\d{2}-\d{2}$', 1), '') as date) as first_day,
           try_cast(nullif(regexp_extract(source, '\.\.(\d{4}-\d{2}-\d{2})$', 1), '') as date) as last_day
    from seg_time_entries group by source, _ingest_id
