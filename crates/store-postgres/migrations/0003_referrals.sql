-- Referrals (orientations) and their history (the SQLite schema's 0011,
-- with PostgreSQL types).

CREATE TABLE referrals (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    cite         TEXT   NOT NULL,
    fiche        BIGINT NOT NULL,
    sender       TEXT   NOT NULL,
    state        TEXT   NOT NULL CHECK (state IN ('envoyee', 'acceptee', 'refusee', 'a-completer', 'expiree', 'annulee')),
    sent_at      BIGINT NOT NULL,
    since        BIGINT NOT NULL,
    answered_at  BIGINT,
    closed_at    BIGINT,
    reminded_at  BIGINT,
    erased_at    BIGINT,
    details      TEXT,
    link_hash    TEXT   UNIQUE,
    link_expires BIGINT
);
CREATE INDEX referrals_by_action ON referrals (cite, fiche);
CREATE INDEX referrals_by_sender ON referrals (cite, sender);
CREATE INDEX referrals_open ON referrals (state, since);

CREATE TABLE referral_events (
    id       BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    referral BIGINT NOT NULL REFERENCES referrals (id) ON DELETE CASCADE,
    at       BIGINT NOT NULL,
    actor    TEXT   NOT NULL,
    event    TEXT   NOT NULL,
    state    TEXT   NOT NULL,
    note     TEXT   NOT NULL DEFAULT ''
);
CREATE INDEX referral_events_by_referral ON referral_events (referral, id);
