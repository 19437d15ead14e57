-- Signing in: sessions people can see and end, second factors, ProConnect
-- identities, the sign-ins under way, and the identities two accounts claim.

-- A session's last use (idle expiry), its device as the browser names it,
-- the address it began from, whether it waits for the second factor, whether
-- it passed one, and ProConnect's ID token (for its logout). `started_at`:
-- Unix seconds (`created_at` is the text the activity log shows).
ALTER TABLE sessions ADD COLUMN started_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN last_seen_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN user_agent TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN ip TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN pending BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE sessions ADD COLUMN second_factor BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE sessions ADD COLUMN id_token TEXT;

-- An account made by a ProConnect sign-in that a cité's allow-list let in,
-- waiting for that cité's administrators to give it a role.
ALTER TABLE accounts ADD COLUMN awaiting_cite TEXT;

-- A TOTP secret (base32); `confirmed_at` NULL while being enrolled;
-- `last_step`: the last 30-second step a code was used for (a code works once).
CREATE TABLE second_factors (
    email        TEXT COLLATE nocase NOT NULL PRIMARY KEY REFERENCES accounts (email) ON DELETE CASCADE,
    secret       TEXT    NOT NULL,
    created_at   BIGINT NOT NULL,
    confirmed_at BIGINT,
    last_step    BIGINT NOT NULL DEFAULT 0
);

-- Recovery codes: their SHA-256 only, each used once.
CREATE TABLE recovery_codes (
    email     TEXT COLLATE nocase NOT NULL REFERENCES accounts (email) ON DELETE CASCADE,
    code_hash TEXT NOT NULL,
    used_at   BIGINT,
    PRIMARY KEY (email, code_hash)
);

-- ProConnect identities (issuer, subject) and the account each signs in to.
CREATE TABLE identities (
    issuer       TEXT    NOT NULL,
    subject      TEXT    NOT NULL,
    email        TEXT COLLATE nocase NOT NULL REFERENCES accounts (email) ON DELETE CASCADE,
    idp_id       TEXT    NOT NULL DEFAULT '',
    siret        TEXT    NOT NULL DEFAULT '',
    created_at   BIGINT NOT NULL,
    last_used_at BIGINT NOT NULL,
    PRIMARY KEY (issuer, subject)
);
CREATE INDEX identities_by_email ON identities (email);

-- Sign-ins under way: the SHA-256 of `state`, the nonce and the PKCE
-- verifier, for ten minutes (any server may receive the browser back).
CREATE TABLE oidc_requests (
    state_hash TEXT    NOT NULL PRIMARY KEY,
    nonce      TEXT    NOT NULL,
    verifier   TEXT    NOT NULL,
    created_at BIGINT NOT NULL
);

-- A subject whose new email is another account's: an administrator decides.
CREATE TABLE identity_conflicts (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    issuer        TEXT    NOT NULL,
    subject       TEXT    NOT NULL,
    account_email TEXT    NOT NULL,
    claimed_email TEXT    NOT NULL,
    seen_at       BIGINT NOT NULL,
    resolved_by   TEXT,
    resolved_at   BIGINT
);
