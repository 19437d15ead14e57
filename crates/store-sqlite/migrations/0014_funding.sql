-- The programme's money: a funding line per action × year × funder, its
-- amounts in integer cents (never floats); `paid` is the sum of the
-- payments (a JSON array of {date, amount, kind}), written with them in
-- the same statement, so that totals are summed by the database. The
-- envelopes per cité × year × source. The history keeps each version of
-- a line or an envelope whole (JSON), with who wrote it and when.
CREATE TABLE funding_lines (
    id              INTEGER PRIMARY KEY,
    cite            TEXT    NOT NULL,
    fiche           INTEGER NOT NULL CHECK (fiche > 0),
    year            INTEGER NOT NULL,
    funder          TEXT    NOT NULL,
    scheme          TEXT    NOT NULL DEFAULT '',
    nature          TEXT    NOT NULL CHECK (nature IN ('numeraire', 'en-nature')),
    requested       INTEGER NOT NULL CHECK (requested >= 0),
    proposed        INTEGER NOT NULL CHECK (proposed >= 0),
    voted           INTEGER NOT NULL CHECK (voted >= 0),
    committed       INTEGER NOT NULL CHECK (committed >= 0),
    paid            INTEGER NOT NULL CHECK (paid >= 0),
    decision_date   TEXT,
    decision_ref    TEXT    NOT NULL DEFAULT '',
    convention_ref  TEXT    NOT NULL DEFAULT '',
    convention_date TEXT,
    payments        TEXT    NOT NULL DEFAULT '[]',
    version         INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    UNIQUE (cite, fiche, year, funder)
) STRICT;
CREATE INDEX funding_lines_by_year ON funding_lines (cite, year);

-- The sums of the lines by cité, year and funder, kept in step with them
-- in the same transaction as each line's write (a write adds the
-- difference it makes): what the national synthesis reads.
CREATE TABLE funding_sums (
    cite      TEXT    NOT NULL,
    year      INTEGER NOT NULL,
    funder    TEXT    NOT NULL,
    lines     INTEGER NOT NULL,
    requested INTEGER NOT NULL,
    proposed  INTEGER NOT NULL,
    voted     INTEGER NOT NULL,
    committed INTEGER NOT NULL,
    paid      INTEGER NOT NULL,
    PRIMARY KEY (cite, year, funder)
) STRICT;

CREATE TABLE envelopes (
    cite       TEXT    NOT NULL,
    year       INTEGER NOT NULL,
    source     TEXT    NOT NULL,
    amount     INTEGER NOT NULL CHECK (amount >= 0),
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (cite, year, source)
) STRICT;

CREATE TABLE funding_history (
    id      INTEGER PRIMARY KEY,
    cite    TEXT    NOT NULL,
    -- `ligne/<fiche>/<year>/<funder>` or `enveloppe/<year>/<source>`.
    subject TEXT    NOT NULL,
    at      INTEGER NOT NULL,
    actor   TEXT    NOT NULL,
    -- What wrote it: `saisie`, `import : <file>`, `comité`.
    origin  TEXT    NOT NULL,
    old_body TEXT,
    new_body TEXT
) STRICT;
CREATE INDEX funding_history_by_subject ON funding_history (cite, subject, id);

-- The operator's financial report of a line (the form as typed, JSON),
-- filled once: a draft, then submitted (remis), then accepted by the
-- coordination (justifie).
CREATE TABLE funding_reports (
    cite         TEXT    NOT NULL,
    fiche        INTEGER NOT NULL,
    year         INTEGER NOT NULL,
    funder       TEXT    NOT NULL,
    body         TEXT    NOT NULL,
    state        TEXT    NOT NULL CHECK (state IN ('brouillon', 'remis', 'justifie')),
    version      INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    updated_by   TEXT    NOT NULL,
    submitted_at INTEGER,
    submitted_by TEXT,
    accepted_at  INTEGER,
    accepted_by  TEXT,
    PRIMARY KEY (cite, fiche, year, funder)
) STRICT;

-- The reminders the clock mailed about a line's report, each once
-- whatever the servers (the first to insert it sends it).
CREATE TABLE funding_reminders (
    cite    TEXT    NOT NULL,
    fiche   INTEGER NOT NULL,
    year    INTEGER NOT NULL,
    funder  TEXT    NOT NULL,
    kind    TEXT    NOT NULL CHECK (kind IN ('rappel', 'echeance')),
    sent_at INTEGER NOT NULL,
    PRIMARY KEY (cite, fiche, year, funder, kind)
) STRICT;

-- A cité's yearly revue de projet: the texts of its sections, the
-- validations of the troïka's parties (who, when) and its transmission,
-- as JSON; its figures are computed from the data at each reading.
CREATE TABLE revues (
    cite       TEXT    NOT NULL,
    year       INTEGER NOT NULL,
    body       TEXT    NOT NULL,
    version    INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    updated_by TEXT    NOT NULL,
    PRIMARY KEY (cite, year)
) STRICT;
