-- Calls for projects (the SQLite schema's 0013, with PostgreSQL types)
-- (appels à projets): the call (its text, steps and
-- grid as JSON, opaque to the database) with its reviewers, the applications
-- (the form as typed, JSON) with their history, the reviewers' scores and
-- declared conflicts, the cité's private annotations and the files
-- attached. Times are unix seconds.
CREATE TABLE calls (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    cite         TEXT    NOT NULL,
    body         TEXT    NOT NULL,
    version      BIGINT  NOT NULL,
    created_at   BIGINT  NOT NULL,
    updated_at   BIGINT  NOT NULL,
    published_at BIGINT,
    -- The reviewers' emails, a JSON array, sorted.
    reviewers    TEXT    NOT NULL DEFAULT '[]',
    -- One more at each write to the call, its applications, their scores
    -- or conflicts: what was read at a revision is still true while it is
    -- the call's.
    revision     BIGINT  NOT NULL DEFAULT 0
);
CREATE INDEX calls_by_cite ON calls (cite, id);

CREATE TABLE applications (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    cite         TEXT    NOT NULL,
    call_id      BIGINT  NOT NULL REFERENCES calls (id),
    applicant    TEXT    NOT NULL,
    state        TEXT    NOT NULL CHECK (state IN ('brouillon', 'deposee', 'en-instruction', 'a-completer', 'retenue', 'refusee', 'sans-suite')),
    step         TEXT    NOT NULL CHECK (step IN ('intention', 'dossier')),
    form         TEXT    NOT NULL,
    created_at   BIGINT  NOT NULL,
    updated_at   BIGINT  NOT NULL,
    submitted_at BIGINT ,
    since        BIGINT  NOT NULL,
    -- When its personal fields, files and annotations were erased (a
    -- refusal or sans suite, once the retention delay passed).
    erased_at    BIGINT 
);
CREATE INDEX applications_by_call ON applications (cite, call_id, id);
CREATE INDEX applications_by_applicant ON applications (cite, applicant);

CREATE TABLE application_events (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    application BIGINT  NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    at          BIGINT  NOT NULL,
    actor       TEXT    NOT NULL,
    event       TEXT    NOT NULL,
    state       TEXT    NOT NULL,
    note        TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX application_events_by_application ON application_events (application, id);

CREATE TABLE scores (
    application BIGINT  NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    reviewer    TEXT    NOT NULL,
    criterion   TEXT    NOT NULL,
    value       BIGINT  NOT NULL CHECK (value >= 0),
    comment     TEXT    NOT NULL DEFAULT '',
    at          BIGINT  NOT NULL,
    PRIMARY KEY (application, reviewer, criterion)
);

CREATE TABLE review_conflicts (
    application BIGINT  NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    reviewer    TEXT    NOT NULL,
    at          BIGINT  NOT NULL,
    PRIMARY KEY (application, reviewer)
);

CREATE TABLE annotations (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    application BIGINT  NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    author      TEXT    NOT NULL,
    at          BIGINT  NOT NULL,
    text        TEXT    NOT NULL
);
CREATE INDEX annotations_by_application ON annotations (application, id);

-- The bytes of a file are never served as anything but a download of the
-- type sniffed when it was received.
CREATE TABLE attachments (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    application BIGINT  NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    name        TEXT    NOT NULL,
    media_type  TEXT    NOT NULL,
    size        BIGINT  NOT NULL,
    sha256      TEXT    NOT NULL,
    at          BIGINT  NOT NULL,
    data        BYTEA   NOT NULL
);
CREATE INDEX attachments_by_application ON attachments (application, id);

-- The committees that decide (a meeting: its day and the members
-- present), and each decision with the amount proposed per funder line,
-- in integer cents.
CREATE TABLE committees (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    cite       TEXT    NOT NULL,
    call_id    BIGINT  NOT NULL REFERENCES calls (id),
    held_on    TEXT    NOT NULL,
    members    TEXT    NOT NULL,
    created_at BIGINT  NOT NULL,
    actor      TEXT    NOT NULL
);
CREATE INDEX committees_by_call ON committees (cite, call_id);

CREATE TABLE decisions (
    application BIGINT PRIMARY KEY REFERENCES applications (id) ON DELETE CASCADE,
    committee   BIGINT  NOT NULL REFERENCES committees (id),
    decision    TEXT    NOT NULL CHECK (decision IN ('retenue', 'refusee', 'sans-suite')),
    reason      TEXT    NOT NULL DEFAULT '',
    at          BIGINT  NOT NULL,
    actor       TEXT    NOT NULL
);
CREATE INDEX decisions_by_committee ON decisions (committee);

CREATE TABLE decision_amounts (
    application BIGINT  NOT NULL REFERENCES decisions (application) ON DELETE CASCADE,
    line        BIGINT  NOT NULL,
    funder      TEXT    NOT NULL,
    cents       BIGINT  NOT NULL CHECK (cents >= 0),
    PRIMARY KEY (application, line)
);
