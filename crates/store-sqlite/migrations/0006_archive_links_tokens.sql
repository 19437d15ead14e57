-- Archive instead of delete: an archived entity leaves the catalogue but keeps
-- its body and history, and can be restored.
ALTER TABLE entities ADD COLUMN archived INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1));
-- What a version of the history did to its entity.
ALTER TABLE history ADD COLUMN event TEXT NOT NULL DEFAULT 'save'
    CHECK (event IN ('save', 'archive', 'unarchive'));

-- One-time links: invitations and password resets. Only the SHA-256 of the
-- link's token is kept; a link is used once, before it expires.
CREATE TABLE links (
    token_hash   TEXT    NOT NULL PRIMARY KEY,
    purpose      TEXT    NOT NULL CHECK (purpose IN ('invitation', 'reset')),
    email        TEXT    NOT NULL COLLATE NOCASE,
    name         TEXT    NOT NULL DEFAULT '',
    role         TEXT    CHECK (role IS NULL OR role IN ('administrateur', 'troika', 'referent', 'contributeur')),
    organisation TEXT,
    created_by   TEXT    NOT NULL,
    created_at   TEXT    NOT NULL,
    expires_at   INTEGER NOT NULL,
    used_at      TEXT
) STRICT;

-- Personal API tokens (SHA-256 kept), for scripts writing through /api/v1.
CREATE TABLE api_tokens (
    token_hash TEXT NOT NULL PRIMARY KEY,
    email      TEXT NOT NULL REFERENCES accounts (email) ON DELETE CASCADE,
    label      TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (email, label)
) STRICT;
