-- Accounts of the people who edit and contribute. The password is an
-- argon2id PHC string; an email is unique whatever its case.
CREATE TABLE accounts (
    email         TEXT    NOT NULL PRIMARY KEY COLLATE NOCASE,
    name          TEXT    NOT NULL,
    role          TEXT    NOT NULL CHECK (role IN ('administrateur', 'troika', 'referent', 'contributeur')),
    organisation  TEXT,
    active        INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    password_hash TEXT    NOT NULL,
    created_at    TEXT    NOT NULL
) STRICT;
