-- Passerelle's schema on PostgreSQL: the same tables as the SQLite store's
-- migrations 0001 to 0008 arrive at, with PostgreSQL's types.

-- Email addresses compare without regard to case, as SQLite's NOCASE does.
CREATE COLLATION nocase (provider = icu, locale = 'und-u-ks-level2', deterministic = false);

-- A table whose rows are never changed nor removed.
CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END
$$;

-- Every catalogue entity of every cité, keyed by (cité, kind, key); the body
-- is the entity's JSON as the domain serialises it.
CREATE TABLE entities (
    id         BIGINT  GENERATED ALWAYS AS IDENTITY UNIQUE,
    cite       TEXT    NOT NULL,
    kind       TEXT    NOT NULL CHECK (kind IN ('cite', 'programme', 'axis', 'action', 'organisation', 'person', 'territory', 'seminar')),
    key        TEXT    NOT NULL,
    body       TEXT    NOT NULL CHECK (body::jsonb IS NOT NULL),
    version    BIGINT  NOT NULL DEFAULT 1,
    updated_at TEXT    NOT NULL,
    archived   BOOLEAN NOT NULL DEFAULT false,
    PRIMARY KEY (cite, kind, key)
);

-- One row per import that changed something, with its quality report.
CREATE TABLE imports (
    id      BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    cite    TEXT   NOT NULL,
    source  TEXT   NOT NULL,
    at      TEXT   NOT NULL,
    added   BIGINT NOT NULL,
    updated BIGINT NOT NULL,
    removed BIGINT NOT NULL,
    report  TEXT   NOT NULL DEFAULT '[]' CHECK (report::jsonb IS NOT NULL)
);

-- Every version of every entity, and who made it. Append-only.
CREATE TABLE history (
    id      BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    cite    TEXT   NOT NULL,
    kind    TEXT   NOT NULL,
    key     TEXT   NOT NULL,
    version BIGINT NOT NULL,
    -- NULL when this version is the entity's removal.
    body    TEXT   CHECK (body IS NULL OR body::jsonb IS NOT NULL),
    actor   TEXT   NOT NULL,
    at      TEXT   NOT NULL,
    event   TEXT   NOT NULL DEFAULT 'save' CHECK (event IN ('save', 'archive', 'unarchive')),
    UNIQUE (cite, kind, key, version)
);
CREATE TRIGGER history_is_append_only BEFORE UPDATE OR DELETE ON history
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER history_is_not_truncated BEFORE TRUNCATE ON history
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();

-- What people did, for administrators (cite NULL: the instance's own, such
-- as signing in). Append-only.
CREATE TABLE activity (
    id     BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    cite   TEXT,
    actor  TEXT NOT NULL,
    at     TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX activity_by_cite ON activity (cite, id);
CREATE TRIGGER activity_is_append_only BEFORE UPDATE OR DELETE ON activity
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER activity_is_not_truncated BEFORE TRUNCATE ON activity
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();

-- Accounts; the password is an argon2id PHC string.
CREATE TABLE accounts (
    email         TEXT COLLATE nocase NOT NULL PRIMARY KEY,
    name          TEXT    NOT NULL,
    active        BOOLEAN NOT NULL DEFAULT true,
    instance_role TEXT    CHECK (instance_role IS NULL OR instance_role IN ('administrateur-instance', 'lecteur-national')),
    password_hash TEXT    NOT NULL,
    created_at    TEXT    NOT NULL
);

-- Roles are held per cité.
CREATE TABLE memberships (
    email        TEXT COLLATE nocase NOT NULL REFERENCES accounts (email) ON DELETE CASCADE ON UPDATE CASCADE,
    cite         TEXT NOT NULL,
    role         TEXT NOT NULL CHECK (role IN ('administrateur', 'troika', 'referent', 'contributeur')),
    organisation TEXT,
    created_at   TEXT NOT NULL,
    PRIMARY KEY (email, cite)
);
CREATE INDEX memberships_by_cite ON memberships (cite, role);

CREATE TABLE sessions (
    token_hash TEXT   NOT NULL PRIMARY KEY,
    email      TEXT COLLATE nocase NOT NULL REFERENCES accounts (email) ON DELETE CASCADE,
    csrf       TEXT   NOT NULL,
    created_at TEXT   NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_by_email ON sessions (email);

-- One-time links: an invitation (to a role in a cité, or on the instance),
-- or a password reset.
CREATE TABLE links (
    token_hash    TEXT   NOT NULL PRIMARY KEY,
    purpose       TEXT   NOT NULL CHECK (purpose IN ('invitation', 'reset')),
    email         TEXT COLLATE nocase NOT NULL,
    name          TEXT   NOT NULL DEFAULT '',
    cite          TEXT,
    role          TEXT   CHECK (role IS NULL OR role IN ('administrateur', 'troika', 'referent', 'contributeur')),
    organisation  TEXT,
    instance_role TEXT   CHECK (instance_role IS NULL OR instance_role IN ('administrateur-instance', 'lecteur-national')),
    created_by    TEXT   NOT NULL,
    created_at    TEXT   NOT NULL,
    expires_at    BIGINT NOT NULL,
    used_at       TEXT
);

CREATE TABLE api_tokens (
    token_hash TEXT NOT NULL PRIMARY KEY,
    email      TEXT COLLATE nocase NOT NULL REFERENCES accounts (email) ON DELETE CASCADE,
    label      TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (email, label)
);

CREATE TABLE registrations (
    id           BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    cite         TEXT    NOT NULL,
    event        TEXT    NOT NULL,
    event_date   TEXT    NOT NULL,
    token_hash   TEXT    NOT NULL UNIQUE,
    name         TEXT    NOT NULL,
    email        TEXT COLLATE nocase,
    organisation TEXT    NOT NULL DEFAULT '',
    kind         TEXT    NOT NULL,
    choices      TEXT    NOT NULL DEFAULT '[]' CHECK (choices::jsonb IS NOT NULL),
    status       TEXT    NOT NULL CHECK (status IN ('confirmed', 'waiting', 'cancelled')),
    workshop     BIGINT,
    created_at   TEXT    NOT NULL,
    anonymised   BOOLEAN NOT NULL DEFAULT false
);
CREATE INDEX registrations_by_event ON registrations (cite, event, id);
CREATE UNIQUE INDEX registrations_one_per_email ON registrations (cite, event, email)
    WHERE email IS NOT NULL AND status <> 'cancelled';

CREATE TABLE participants (
    token_hash TEXT NOT NULL PRIMARY KEY,
    cite       TEXT NOT NULL,
    event      TEXT NOT NULL,
    csrf       TEXT NOT NULL,
    name       TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);

CREATE TABLE contributions (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    cite          TEXT   NOT NULL,
    event         TEXT   NOT NULL,
    question      TEXT   NOT NULL,
    text          TEXT   NOT NULL CHECK (length(text) BETWEEN 1 AND 2000),
    author        TEXT   NOT NULL,
    author_id     TEXT   NOT NULL,
    fiche         BIGINT,
    created_at    TEXT   NOT NULL,
    hidden_reason TEXT,
    hidden_by     TEXT
);
CREATE INDEX contributions_by_event ON contributions (cite, event, question, id);

CREATE TABLE supports (
    contribution BIGINT NOT NULL REFERENCES contributions (id) ON DELETE CASCADE,
    supporter    TEXT   NOT NULL,
    created_at   TEXT   NOT NULL,
    PRIMARY KEY (contribution, supporter)
);

CREATE TABLE syntheses (
    cite       TEXT NOT NULL,
    event      TEXT NOT NULL,
    question   TEXT NOT NULL,
    text       TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (cite, event, question)
);

-- Each cité's catalogue version, raised in every transaction that changes
-- what its pages show, and announced on the channel `passerelle_changes`
-- (`NOTIFY` is delivered when the transaction commits).
CREATE TABLE cite_versions (
    cite    TEXT   NOT NULL PRIMARY KEY,
    version BIGINT NOT NULL
);

-- Failed attempts (a wrong password, a wrong event code) by key, counted
-- over a window from `since` (Unix seconds): shared by every server.
CREATE TABLE failures (
    key   TEXT   NOT NULL PRIMARY KEY,
    count BIGINT NOT NULL,
    since BIGINT NOT NULL
);
