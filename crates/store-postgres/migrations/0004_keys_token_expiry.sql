-- Keys the servers of an instance share (the one signing anonymous forms'
-- CSRF tokens): written once by whichever server needs it first.
CREATE TABLE server_keys (
    name       TEXT NOT NULL PRIMARY KEY,
    value      TEXT NOT NULL,
    created_at TEXT NOT NULL
);

-- A personal API token may expire (Unix seconds); NULL: until revoked.
ALTER TABLE api_tokens ADD COLUMN expires_at BIGINT;
