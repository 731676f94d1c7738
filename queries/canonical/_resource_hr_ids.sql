-- _resource_hr_ids
-- HR employee ids, lower-cased, for matching the ids other tools carry.
-- params: (none)
-- reads: _resource_hr
-- grain: one row per person
-- columns: id_key, person_id
select lower(person_id) as id_key, person_id from _resource_hr
