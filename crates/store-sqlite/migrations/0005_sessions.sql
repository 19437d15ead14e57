-- Signed-in sessions. Only the SHA-256 of the cookie's token is kept.
CREATE TABLE sessions (
    token_hash TEXT    NOT NULL PRIMARY KEY,
    email      TEXT    NOT NULL REFERENCES accounts (email) ON DELETE CASCADE,
    csrf       TEXT    NOT NULL,
    created_at TEXT    NOT NULL,
    expires_at INTEGER NOT NULL
) STRICT;
CREATE INDEX sessions_by_email ON sessions (email);
