-- Each cité's catalogue version, raised in every transaction that changes
-- what its pages show: a server whose snapshot is older is behind.
CREATE TABLE cite_versions (
    cite    TEXT    NOT NULL PRIMARY KEY,
    version INTEGER NOT NULL
) STRICT;
INSERT INTO cite_versions (cite, version) SELECT DISTINCT cite, 1 FROM entities;

-- Failed attempts (a wrong password, a wrong event code) by key
-- (`email:…`, `ip:…`), counted over a window from `since` (Unix seconds).
CREATE TABLE failures (
    key   TEXT    NOT NULL PRIMARY KEY,
    count INTEGER NOT NULL,
    since INTEGER NOT NULL
) STRICT;
