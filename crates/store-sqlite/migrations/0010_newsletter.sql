-- The newsletter: lists, subscribers, their history, issues, deliveries.

CREATE TABLE newsletter_lists (
    id          INTEGER PRIMARY KEY,
    cite        TEXT    NOT NULL,
    slug        TEXT    NOT NULL,
    name        TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    description TEXT    NOT NULL DEFAULT '',
    public      INTEGER NOT NULL CHECK (public IN (0, 1)),
    created_at  TEXT    NOT NULL,
    UNIQUE (cite, slug)
) STRICT;

-- One row per address and cité. `token` names the subscriber in the links
-- of every mail (preferences, unsubscription): it is kept as it is, since
-- each mail carries it; it gives no access beyond those two pages. The
-- confirmation link's token is kept as SHA-256, and cleared once used.
CREATE TABLE subscribers (
    id              INTEGER PRIMARY KEY,
    cite            TEXT    NOT NULL,
    email           TEXT    NOT NULL COLLATE NOCASE,
    status          TEXT    NOT NULL CHECK (status IN ('pending', 'confirmed', 'unsubscribed', 'suspended')),
    token           TEXT    NOT NULL UNIQUE,
    consent_source  TEXT    NOT NULL,
    consent_at      TEXT    NOT NULL,
    confirm_hash    TEXT    UNIQUE,
    confirm_expires INTEGER,
    confirmed_at    TEXT,
    bounces         INTEGER NOT NULL DEFAULT 0,
    created_at      TEXT    NOT NULL,
    UNIQUE (cite, email)
) STRICT;

-- The lists a subscriber receives; `confirmed` once the address has
-- confirmed this list (by the link, the preferences page or an import).
CREATE TABLE subscriptions (
    subscriber INTEGER NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
    list       INTEGER NOT NULL REFERENCES newsletter_lists (id) ON DELETE CASCADE,
    since      TEXT    NOT NULL,
    confirmed  INTEGER NOT NULL CHECK (confirmed IN (0, 1)),
    PRIMARY KEY (subscriber, list)
) STRICT;
CREATE INDEX subscriptions_by_list ON subscriptions (list, subscriber);

-- What happened to a subscriber, erased with them.
CREATE TABLE subscriber_events (
    id         INTEGER PRIMARY KEY,
    subscriber INTEGER NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
    at         TEXT    NOT NULL,
    event      TEXT    NOT NULL,
    detail     TEXT    NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX subscriber_events_by_subscriber ON subscriber_events (subscriber, id);

CREATE TABLE newsletter_issues (
    id           INTEGER PRIMARY KEY,
    cite         TEXT    NOT NULL,
    list         INTEGER NOT NULL REFERENCES newsletter_lists (id),
    title        TEXT    NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    intro        TEXT    NOT NULL DEFAULT '',
    blocks       TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(blocks)),
    status       TEXT    NOT NULL CHECK (status IN ('draft', 'scheduled', 'sending', 'sent')),
    scheduled_at TEXT,
    html         TEXT,
    text         TEXT,
    created_at   TEXT    NOT NULL,
    queued_at    TEXT,
    sent_at      TEXT
) STRICT;
CREATE INDEX newsletter_issues_by_cite ON newsletter_issues (cite, id);

-- The queue: one row per issue and recipient, never two. A worker takes a
-- row by setting it `sending` (with `next_at` as its lease's end) and
-- records the SMTP answer in the transaction that sets its final state.
CREATE TABLE deliveries (
    issue      INTEGER NOT NULL REFERENCES newsletter_issues (id) ON DELETE CASCADE,
    subscriber INTEGER NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
    status     TEXT    NOT NULL CHECK (status IN ('waiting', 'sending', 'sent', 'failed', 'cancelled')),
    attempts   INTEGER NOT NULL DEFAULT 0,
    next_at    INTEGER NOT NULL DEFAULT 0,
    answer     TEXT,
    updated_at TEXT    NOT NULL,
    PRIMARY KEY (issue, subscriber)
) STRICT;
CREATE INDEX deliveries_due ON deliveries (status, next_at);
CREATE INDEX deliveries_by_issue ON deliveries (issue, status);
