-- The newsletter: lists, subscribers, their history, issues, deliveries
-- (the SQLite schema's 0010, with PostgreSQL types).

CREATE TABLE newsletter_lists (
    id          BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    cite        TEXT    NOT NULL,
    slug        TEXT    NOT NULL,
    name        TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    description TEXT    NOT NULL DEFAULT '',
    public      BOOLEAN NOT NULL,
    created_at  TEXT    NOT NULL,
    UNIQUE (cite, slug)
);

CREATE TABLE subscribers (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    cite            TEXT   NOT NULL,
    email           TEXT   COLLATE nocase NOT NULL,
    status          TEXT   NOT NULL CHECK (status IN ('pending', 'confirmed', 'unsubscribed', 'suspended')),
    token           TEXT   NOT NULL UNIQUE,
    consent_source  TEXT   NOT NULL,
    consent_at      TEXT   NOT NULL,
    confirm_hash    TEXT   UNIQUE,
    confirm_expires BIGINT,
    confirmed_at    TEXT,
    bounces         BIGINT NOT NULL DEFAULT 0,
    created_at      TEXT   NOT NULL,
    UNIQUE (cite, email)
);

CREATE TABLE subscriptions (
    subscriber BIGINT  NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
    list       BIGINT  NOT NULL REFERENCES newsletter_lists (id) ON DELETE CASCADE,
    since      TEXT    NOT NULL,
    confirmed  BOOLEAN NOT NULL,
    PRIMARY KEY (subscriber, list)
);
CREATE INDEX subscriptions_by_list ON subscriptions (list, subscriber);

CREATE TABLE subscriber_events (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    subscriber BIGINT NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
    at         TEXT   NOT NULL,
    event      TEXT   NOT NULL,
    detail     TEXT   NOT NULL DEFAULT ''
);
CREATE INDEX subscriber_events_by_subscriber ON subscriber_events (subscriber, id);

CREATE TABLE newsletter_issues (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    cite         TEXT   NOT NULL,
    list         BIGINT NOT NULL REFERENCES newsletter_lists (id),
    title        TEXT   NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    intro        TEXT   NOT NULL DEFAULT '',
    blocks       TEXT   NOT NULL DEFAULT '{}' CHECK (blocks::jsonb IS NOT NULL),
    status       TEXT   NOT NULL CHECK (status IN ('draft', 'scheduled', 'sending', 'sent')),
    scheduled_at TEXT,
    html         TEXT,
    text         TEXT,
    created_at   TEXT   NOT NULL,
    queued_at    TEXT,
    sent_at      TEXT
);
CREATE INDEX newsletter_issues_by_cite ON newsletter_issues (cite, id);

CREATE TABLE deliveries (
    issue      BIGINT NOT NULL REFERENCES newsletter_issues (id) ON DELETE CASCADE,
    subscriber BIGINT NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
    status     TEXT   NOT NULL CHECK (status IN ('waiting', 'sending', 'sent', 'failed', 'cancelled')),
    attempts   BIGINT NOT NULL DEFAULT 0,
    next_at    BIGINT NOT NULL DEFAULT 0,
    answer     TEXT,
    updated_at TEXT   NOT NULL,
    PRIMARY KEY (issue, subscriber)
);
CREATE INDEX deliveries_due ON deliveries (status, next_at);
CREATE INDEX deliveries_by_issue ON deliveries (issue, status);
