-- _resource_person
-- _resource_person: the person key a row gets (docs/resources.md, "people"): the HR employee id matched by id, e-mail or a name only one HR person has, else name:/email:/id: of what the row says.
-- params: (none)
-- reads: (none)
-- grain: one row per row
-- columns: _resource_person (a scalar macro: the person key)
create or replace macro _resource_person(hr_id, hr_email, hr_name, nk, mail, rid) as
    coalesce(hr_id, hr_email, hr_name,
             'name:' || nk,
             'email:' || lower(trim(nullif(mail, ''))),
             'id:' || trim(nullif(rid, '')))
