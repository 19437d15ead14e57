-- Referrals (orientations): a professional sends a family's request to an
-- action's operator. The personal fields sit in `details` (JSON), set to
-- NULL when erased (closure + the retention delay), with the history's
-- texts; the state and the dates stay, for the counts. The operator's link
-- is kept as the SHA-256 of its token. Times are unix seconds.
CREATE TABLE referrals (
    id           INTEGER PRIMARY KEY,
    cite         TEXT    NOT NULL,
    fiche        INTEGER NOT NULL,
    sender       TEXT    NOT NULL,
    state        TEXT    NOT NULL CHECK (state IN ('envoyee', 'acceptee', 'refusee', 'a-completer', 'expiree', 'annulee')),
    sent_at      INTEGER NOT NULL,
    since        INTEGER NOT NULL,
    answered_at  INTEGER,
    closed_at    INTEGER,
    reminded_at  INTEGER,
    erased_at    INTEGER,
    details      TEXT,
    link_hash    TEXT    UNIQUE,
    link_expires INTEGER
) STRICT;
CREATE INDEX referrals_by_action ON referrals (cite, fiche);
CREATE INDEX referrals_by_sender ON referrals (cite, sender);
CREATE INDEX referrals_open ON referrals (state, since);

-- Who did what to a referral, and when: every transition, the reminders,
-- the links renewed, the openings by an administrator for support.
CREATE TABLE referral_events (
    id       INTEGER PRIMARY KEY,
    referral INTEGER NOT NULL REFERENCES referrals (id) ON DELETE CASCADE,
    at       INTEGER NOT NULL,
    actor    TEXT    NOT NULL,
    event    TEXT    NOT NULL,
    state    TEXT    NOT NULL,
    note     TEXT    NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX referral_events_by_referral ON referral_events (referral, id);
