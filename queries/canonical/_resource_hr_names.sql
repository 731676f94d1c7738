-- _resource_hr_names
-- Name keys only one HR person has (a name two people share matches nobody).
-- params: (none)
-- reads: _resource_hr
-- grain: one row per person
-- columns: name_key, person_id
select name_key, any_value(person_id) as person_id from _resource_hr
    where name_key is not null group by name_key having count(*) = 1
