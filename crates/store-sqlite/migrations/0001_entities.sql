-- Every catalogue entity of every cité, keyed by (cité, kind, key); the body
-- is the entity's JSON as the domain serialises it.
CREATE TABLE entities (
    cite       TEXT    NOT NULL,
    kind       TEXT    NOT NULL CHECK (kind IN ('cite', 'programme', 'axis', 'action', 'organisation', 'person', 'territory', 'seminar')),
    key        TEXT    NOT NULL,
    body       TEXT    NOT NULL CHECK (json_valid(body)),
    version    INTEGER NOT NULL DEFAULT 1,
    updated_at TEXT    NOT NULL,
    PRIMARY KEY (cite, kind, key)
) STRICT;

-- One row per import that changed something.
CREATE TABLE imports (
    id       INTEGER PRIMARY KEY,
    cite     TEXT    NOT NULL,
    source   TEXT    NOT NULL,
    at       TEXT    NOT NULL,
    added    INTEGER NOT NULL,
    updated  INTEGER NOT NULL,
    removed  INTEGER NOT NULL
) STRICT;
