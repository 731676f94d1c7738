-- resource_name_key
-- A person's name as a matching key: 'Müller, Jonas' -> 'jonas muller'. Accents, case,
-- punctuation and a 'Last, First' order do not matter (pmo.resources.name_key does the same).
-- params: (none)
-- reads: (none)
-- grain: one value
-- columns: resource_name_key (a scalar macro: the key, NULL for no name)
create or replace macro resource_name_key(n) as nullif(trim(regexp_replace(lower(strip_accents(
    case when contains(n, ',') then split_part(n, ',', 2) || ' ' || split_part(n, ',', 1) else n end)),
    '[^0-9a-z]+', ' ', 'g')), '')
