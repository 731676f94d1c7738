-- _resource_hr_emails
-- E-mail addresses only one HR person has.
-- params: (none)
-- reads: _resource_hr
-- grain: one row per person
-- columns: email_key, person_id
select lower(trim(email)) as email_key, any_value(person_id) as person_id from _resource_hr
    where nullif(trim(email), '') is not null group by 1 having count(*) = 1
