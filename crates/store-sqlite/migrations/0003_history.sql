-- Every version of every entity, and who made it: the history behind
-- "restore this version". Append-only: triggers refuse UPDATE and DELETE.
CREATE TABLE history (
    id      INTEGER PRIMARY KEY,
    cite    TEXT    NOT NULL,
    kind    TEXT    NOT NULL,
    key     TEXT    NOT NULL,
    version INTEGER NOT NULL,
    -- NULL when this version is the entity's removal.
    body    TEXT    CHECK (body IS NULL OR json_valid(body)),
    actor   TEXT    NOT NULL,
    at      TEXT    NOT NULL,
    UNIQUE (cite, kind, key, version)
) STRICT;

CREATE TRIGGER history_is_append_only_update BEFORE UPDATE ON history
BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;
CREATE TRIGGER history_is_append_only_delete BEFORE DELETE ON history
BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;

-- What people did, for administrators. Append-only as well.
CREATE TABLE activity (
    id     INTEGER PRIMARY KEY,
    actor  TEXT NOT NULL,
    at     TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT ''
) STRICT;

CREATE TRIGGER activity_is_append_only_update BEFORE UPDATE ON activity
BEGIN SELECT RAISE(ABORT, 'the activity log is append-only'); END;
CREATE TRIGGER activity_is_append_only_delete BEFORE DELETE ON activity
BEGIN SELECT RAISE(ABORT, 'the activity log is append-only'); END;

-- The entities already stored start their history at their current version.
INSERT INTO history (cite, kind, key, version, body, actor, at)
SELECT cite, kind, key, version, body, 'migration', updated_at FROM entities;
