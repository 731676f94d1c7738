-- _resource_id_names
-- A tool's person id named in one row and not in another (Project Online's AssignmentTimephasedDataSet has ResourceId only; its ResourceTimephasedDataSet has the name): the name where only one is known.
-- params: (none)
-- reads: resource_name_key, seg_allocations, seg_capacity, seg_time_entries
-- grain: one row per row
-- columns: rid_key, name_key
select lower(trim(resource_id)) as rid_key, any_value(name_key) as name_key from (
        select resource_id, resource_name_key(person_name) as name_key from seg_capacity
        union all select resource_id, resource_name_key(person_name) from seg_allocations
        union all select resource_id, resource_name_key(person_name) from seg_time_entries)
    where nullif(trim(resource_id), '') is not null and name_key is not null
    group by 1 having count(distinct name_key) = 1
