-- Roles are held per cité: an account's role in one cité gives nothing in
-- another. An account may also hold a role on the instance itself.
CREATE TABLE memberships (
    email        TEXT NOT NULL REFERENCES accounts (email) ON DELETE CASCADE ON UPDATE CASCADE COLLATE NOCASE,
    cite         TEXT NOT NULL,
    role         TEXT NOT NULL CHECK (role IN ('administrateur', 'troika', 'referent', 'contributeur')),
    organisation TEXT,
    created_at   TEXT NOT NULL,
    PRIMARY KEY (email, cite)
) STRICT;
CREATE INDEX memberships_by_cite ON memberships (cite, role);

-- Until now an instance held one cité: every account's role was its role
-- there (the first cité stored; 'roubaix' on a database without entities).
INSERT INTO memberships (email, cite, role, organisation, created_at)
SELECT email,
       COALESCE((SELECT cite FROM entities WHERE kind = 'cite' ORDER BY rowid LIMIT 1), 'roubaix'),
       role, organisation, created_at
FROM accounts;

ALTER TABLE accounts ADD COLUMN instance_role TEXT
    CHECK (instance_role IS NULL OR instance_role IN ('administrateur-instance', 'lecteur-national'));
ALTER TABLE accounts DROP COLUMN role;
ALTER TABLE accounts DROP COLUMN organisation;

-- An invitation is to a role in a cité, or to a role on the instance.
ALTER TABLE links ADD COLUMN cite TEXT;
ALTER TABLE links ADD COLUMN instance_role TEXT
    CHECK (instance_role IS NULL OR instance_role IN ('administrateur-instance', 'lecteur-national'));
UPDATE links SET cite = COALESCE((SELECT cite FROM entities WHERE kind = 'cite' ORDER BY rowid LIMIT 1), 'roubaix')
WHERE purpose = 'invitation';

-- The activity log says which cité a line is about (NULL: the instance's
-- own, such as signing in). The lines already written were all about the
-- one cité of the time; the log stays append-only for everything else.
ALTER TABLE activity ADD COLUMN cite TEXT;
DROP TRIGGER activity_is_append_only_update;
UPDATE activity SET cite = COALESCE((SELECT cite FROM entities WHERE kind = 'cite' ORDER BY rowid LIMIT 1), 'roubaix')
WHERE action <> 'sign-in';
CREATE TRIGGER activity_is_append_only_update BEFORE UPDATE ON activity
BEGIN SELECT RAISE(ABORT, 'the activity log is append-only'); END;
CREATE INDEX activity_by_cite ON activity (cite, id);
