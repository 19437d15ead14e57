-- The programme's money (the SQLite schema's 0014, with PostgreSQL
-- types): funding lines in integer cents, `paid` the sum of the payments
-- written with them; envelopes; each version of a line or an envelope
-- kept whole in the history with who and when.
CREATE TABLE funding_lines (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    cite            TEXT    NOT NULL,
    fiche           BIGINT  NOT NULL CHECK (fiche > 0),
    year            BIGINT  NOT NULL,
    funder          TEXT    NOT NULL,
    scheme          TEXT    NOT NULL DEFAULT '',
    nature          TEXT    NOT NULL CHECK (nature IN ('numeraire', 'en-nature')),
    requested       BIGINT  NOT NULL CHECK (requested >= 0),
    proposed        BIGINT  NOT NULL CHECK (proposed >= 0),
    voted           BIGINT  NOT NULL CHECK (voted >= 0),
    committed       BIGINT  NOT NULL CHECK (committed >= 0),
    paid            BIGINT  NOT NULL CHECK (paid >= 0),
    decision_date   TEXT,
    decision_ref    TEXT    NOT NULL DEFAULT '',
    convention_ref  TEXT    NOT NULL DEFAULT '',
    convention_date TEXT,
    payments        TEXT    NOT NULL DEFAULT '[]',
    version         BIGINT  NOT NULL,
    updated_at      BIGINT  NOT NULL,
    UNIQUE (cite, fiche, year, funder)
);
CREATE INDEX funding_lines_by_year ON funding_lines (cite, year);

-- The sums of the lines by cité, year and funder, kept in step with them
-- in the same transaction as each line's write (a write adds the
-- difference it makes): what the national synthesis reads.
CREATE TABLE funding_sums (
    cite      TEXT    NOT NULL,
    year      BIGINT NOT NULL,
    funder    TEXT    NOT NULL,
    lines     BIGINT NOT NULL,
    requested BIGINT NOT NULL,
    proposed  BIGINT NOT NULL,
    voted     BIGINT NOT NULL,
    committed BIGINT NOT NULL,
    paid      BIGINT NOT NULL,
    PRIMARY KEY (cite, year, funder)
);

CREATE TABLE envelopes (
    cite       TEXT    NOT NULL,
    year       BIGINT  NOT NULL,
    source     TEXT    NOT NULL,
    amount     BIGINT  NOT NULL CHECK (amount >= 0),
    updated_at BIGINT  NOT NULL,
    PRIMARY KEY (cite, year, source)
);

CREATE TABLE funding_history (
    id      BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    cite    TEXT    NOT NULL,
    subject TEXT    NOT NULL,
    at      BIGINT  NOT NULL,
    actor   TEXT    NOT NULL,
    origin  TEXT    NOT NULL,
    old_body TEXT,
    new_body TEXT
);
CREATE INDEX funding_history_by_subject ON funding_history (cite, subject, id);

-- The operator's financial report of a line (the form as typed, JSON),
-- filled once: a draft, then submitted (remis), then accepted by the
-- coordination (justifie).
CREATE TABLE funding_reports (
    cite         TEXT    NOT NULL,
    fiche        BIGINT NOT NULL,
    year         BIGINT NOT NULL,
    funder       TEXT    NOT NULL,
    body         TEXT    NOT NULL,
    state        TEXT    NOT NULL CHECK (state IN ('brouillon', 'remis', 'justifie')),
    version      BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL,
    updated_by   TEXT    NOT NULL,
    submitted_at BIGINT,
    submitted_by TEXT,
    accepted_at  BIGINT,
    accepted_by  TEXT,
    PRIMARY KEY (cite, fiche, year, funder)
);

-- The reminders the clock mailed about a line's report, each once
-- whatever the servers (the first to insert it sends it).
CREATE TABLE funding_reminders (
    cite    TEXT    NOT NULL,
    fiche   BIGINT NOT NULL,
    year    BIGINT NOT NULL,
    funder  TEXT    NOT NULL,
    kind    TEXT    NOT NULL CHECK (kind IN ('rappel', 'echeance')),
    sent_at BIGINT NOT NULL,
    PRIMARY KEY (cite, fiche, year, funder, kind)
);

-- A cité's yearly revue de projet: the texts of its sections, the
-- validations of the troïka's parties (who, when) and its transmission,
-- as JSON; its figures are computed from the data at each reading.
CREATE TABLE revues (
    cite       TEXT    NOT NULL,
    year       BIGINT NOT NULL,
    body       TEXT    NOT NULL,
    version    BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by TEXT    NOT NULL,
    PRIMARY KEY (cite, year)
);
