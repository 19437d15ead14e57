-- Registrations to an event. The private link's token is kept as SHA-256.
-- `event_date` (ISO) is copied from the event so that registrations can be
-- anonymised a set time after it without reading the catalogue.
CREATE TABLE registrations (
    id           INTEGER PRIMARY KEY,
    cite         TEXT    NOT NULL,
    event        TEXT    NOT NULL,
    event_date   TEXT    NOT NULL,
    token_hash   TEXT    NOT NULL UNIQUE,
    name         TEXT    NOT NULL,
    email        TEXT,
    organisation TEXT    NOT NULL DEFAULT '',
    kind         TEXT    NOT NULL,
    choices      TEXT    NOT NULL DEFAULT '[]' CHECK (json_valid(choices)),
    status       TEXT    NOT NULL CHECK (status IN ('confirmed', 'waiting', 'cancelled')),
    workshop     INTEGER,
    created_at   TEXT    NOT NULL,
    anonymised   INTEGER NOT NULL DEFAULT 0 CHECK (anonymised IN (0, 1))
) STRICT;
CREATE INDEX registrations_by_event ON registrations (cite, event, id);
-- One registration per address and event (anonymised ones have none).
CREATE UNIQUE INDEX registrations_one_per_email ON registrations (cite, event, email COLLATE NOCASE)
    WHERE email IS NOT NULL AND status <> 'cancelled';

-- People who typed the event's code on the day: a cookie token (SHA-256
-- kept) lets them contribute and support without an account.
CREATE TABLE participants (
    token_hash TEXT NOT NULL PRIMARY KEY,
    cite       TEXT NOT NULL,
    event      TEXT NOT NULL,
    csrf       TEXT NOT NULL,
    -- The first name they chose to show, if any.
    name       TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
) STRICT;

-- Contributions to an event's board.
CREATE TABLE contributions (
    id            INTEGER PRIMARY KEY,
    cite          TEXT    NOT NULL,
    event         TEXT    NOT NULL,
    question      TEXT    NOT NULL,
    text          TEXT    NOT NULL CHECK (length(text) BETWEEN 1 AND 2000),
    author        TEXT    NOT NULL,
    -- Who posted it (account email or participant token hash), for throttling.
    author_id     TEXT    NOT NULL,
    fiche         INTEGER,
    created_at    TEXT    NOT NULL,
    hidden_reason TEXT,
    hidden_by     TEXT
) STRICT;
CREATE INDEX contributions_by_event ON contributions (cite, event, question, id);

-- One support per person and contribution: the primary key says so.
CREATE TABLE supports (
    contribution INTEGER NOT NULL REFERENCES contributions (id) ON DELETE CASCADE,
    supporter    TEXT    NOT NULL,
    created_at   TEXT    NOT NULL,
    PRIMARY KEY (contribution, supporter)
) STRICT;

-- The moderators' summary of each question.
CREATE TABLE syntheses (
    cite       TEXT NOT NULL,
    event      TEXT NOT NULL,
    question   TEXT NOT NULL,
    text       TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (cite, event, question)
) STRICT;
