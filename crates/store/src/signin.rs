//! What signing in asks of storage besides accounts: sessions with their
//! device, address, last use and second factor; TOTP secrets and recovery
//! codes; ProConnect identities, the sign-ins under way, and the identities
//! two accounts claim.

use async_trait::async_trait;
use passerelle_domain::Account;

use crate::StoreError;

/// A session being opened.
#[derive(Debug, Clone, Copy)]
pub struct NewSession<'a> {
    /// SHA-256 of the cookie's token.
    pub token_hash: &'a str,
    pub email: &'a str,
    pub csrf: &'a str,
    /// Unix seconds.
    pub now: i64,
    /// The absolute end (Unix seconds), whatever the use.
    pub expires_at: i64,
    /// The device as the browser names itself (`User-Agent`, cut short).
    pub user_agent: &'a str,
    /// The address the session began from.
    pub ip: &'a str,
    /// Waiting for the second factor: the session signs nobody in yet.
    pub pending: bool,
    /// A second factor was passed (a TOTP code, or the identity provider's).
    pub second_factor: bool,
    /// ProConnect's ID token, for its logout.
    pub id_token: Option<&'a str>,
    /// How the session began, for the activity log (`password`, `proconnect`).
    pub method: &'a str,
}

/// A live session as a request sees it.
#[derive(Debug, Clone)]
pub struct Session {
    pub account: Account,
    pub csrf: String,
    pub pending: bool,
    pub second_factor: bool,
    pub id_token: Option<String>,
}

/// One of an account's sessions, as `/compte` lists them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionInfo {
    /// The first 16 hexadecimal digits of the token's SHA-256: enough to
    /// name a session in a form, useless to sign in with.
    pub id: String,
    pub started_at: i64,
    pub last_seen_at: i64,
    pub user_agent: String,
    pub ip: String,
    pub by_proconnect: bool,
}

/// An account's TOTP secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecondFactor {
    /// Base32.
    pub secret: String,
    /// Enrolment finished (a first code was given).
    pub confirmed: bool,
    /// The last step a code was used for.
    pub last_step: i64,
}

/// A subject whose new email belongs to another account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdentityConflict {
    pub id: i64,
    pub issuer: String,
    pub subject: String,
    /// The account the subject signs in to.
    pub account_email: String,
    /// The email the provider now gives, another account's.
    pub claimed_email: String,
    pub seen_at: i64,
}

/// An identity from the provider, as attached to an account.
#[derive(Debug, Clone, Copy)]
pub struct Identity<'a> {
    pub issuer: &'a str,
    pub subject: &'a str,
    pub idp_id: &'a str,
    pub siret: &'a str,
}

/// How long a sign-in under way waits for the browser to come back.
pub const OIDC_REQUEST_SECONDS: i64 = 600;

/// Signing-in storage (every server of an instance shares it).
#[async_trait]
pub trait SignInStore: Send + Sync + std::fmt::Debug {
    /// Opens a session (and forgets the expired ones).
    async fn open_session(&self, new: &NewSession<'_>) -> Result<(), StoreError>;

    /// The session of this token if it is neither past its absolute end
    /// nor idle for more than `idle_secs`, and its account active. Its last
    /// use becomes `now` (written at most once a minute).
    async fn live_session(
        &self,
        token_hash: &str,
        now: i64,
        idle_secs: i64,
    ) -> Result<Option<Session>, StoreError>;

    /// An account's live sessions, the most recently used first.
    async fn sessions_of(
        &self,
        email: &str,
        now: i64,
        idle_secs: i64,
    ) -> Result<Vec<SessionInfo>, StoreError>;

    /// Ends one of an account's sessions, named by its id; false if it has
    /// none by that id.
    async fn end_session_of(&self, email: &str, id: &str) -> Result<bool, StoreError>;

    /// Ends an account's sessions but one; how many ended.
    async fn end_other_sessions(
        &self,
        email: &str,
        keep_token_hash: &str,
    ) -> Result<u64, StoreError>;

    /// The session passed the second factor: it signs its account in.
    async fn pass_second_factor(&self, token_hash: &str) -> Result<(), StoreError>;

    /// Replaces the password (already hashed), after the account gave its
    /// current one, and ends its other sessions.
    async fn change_password(
        &self,
        email: &str,
        password_hash: &str,
        keep_token_hash: &str,
    ) -> Result<(), StoreError>;

    /// The account's TOTP secret, confirmed or being enrolled.
    async fn second_factor(&self, email: &str) -> Result<Option<SecondFactor>, StoreError>;

    /// Stores a new TOTP secret once its first code was given (that code's
    /// step is used), replacing any former one and the recovery codes,
    /// ends the account's other sessions and marks this one as having
    /// passed the second factor, in one transaction.
    async fn confirm_enrolment(
        &self,
        email: &str,
        secret: &str,
        step: i64,
        recovery_hashes: &[String],
        keep_token_hash: &str,
        now: i64,
    ) -> Result<(), StoreError>;

    /// Uses a code's step: true only if it is after the last one used (a
    /// code works once, whichever server receives it).
    async fn use_totp_step(&self, email: &str, step: i64) -> Result<bool, StoreError>;

    /// Uses a recovery code (by hash) once: true if it was unused.
    async fn use_recovery_code(
        &self,
        email: &str,
        code_hash: &str,
        now: i64,
    ) -> Result<bool, StoreError>;

    /// Removes an account's second factor and recovery codes, and ends its
    /// sessions (a lost phone: an administrator's doing, in the activity log).
    async fn remove_second_factor(&self, email: &str, actor: &str) -> Result<bool, StoreError>;

    /// How many recovery codes are left.
    async fn recovery_codes_left(&self, email: &str) -> Result<u32, StoreError>;

    /// Records a sign-in under way (and forgets those older than
    /// [`OIDC_REQUEST_SECONDS`]).
    async fn save_oidc_request(
        &self,
        state_hash: &str,
        nonce: &str,
        verifier: &str,
        now: i64,
    ) -> Result<(), StoreError>;

    /// Takes a sign-in under way (once: a replayed `state` finds nothing),
    /// as its nonce and PKCE verifier, if it is recent enough.
    async fn take_oidc_request(
        &self,
        state_hash: &str,
        now: i64,
    ) -> Result<Option<(String, String)>, StoreError>;

    /// The email of the account this identity signs in to.
    async fn identity_account(
        &self,
        issuer: &str,
        subject: &str,
    ) -> Result<Option<String>, StoreError>;

    /// Attaches an identity to an account (or notes its use again).
    async fn attach_identity(
        &self,
        identity: &Identity<'_>,
        email: &str,
        now: i64,
    ) -> Result<(), StoreError>;

    /// Changes an account's email everywhere it is the key (memberships,
    /// sessions, tokens, identities, second factor, applications): the
    /// provider says its owner's address changed.
    async fn change_email(&self, old: &str, new: &str, actor: &str) -> Result<(), StoreError>;

    /// Records that a subject's new email is another account's (once while
    /// it is open).
    async fn record_identity_conflict(
        &self,
        identity: &Identity<'_>,
        account_email: &str,
        claimed_email: &str,
        now: i64,
    ) -> Result<(), StoreError>;

    /// The conflicts no administrator has settled yet.
    async fn identity_conflicts(&self) -> Result<Vec<IdentityConflict>, StoreError>;

    /// An administrator settled a conflict.
    async fn resolve_identity_conflict(
        &self,
        id: i64,
        actor: &str,
        now: i64,
    ) -> Result<bool, StoreError>;

    /// Creates an account a cité's allow-list let in, without a password
    /// nor a role, waiting for that cité's administrators.
    async fn provision_account(
        &self,
        account: &Account,
        cite: &str,
        actor: &str,
    ) -> Result<(), StoreError>;

    /// The accounts waiting for a role in this cité.
    async fn awaiting_accounts(&self, cite: &str) -> Result<Vec<Account>, StoreError>;

    /// Accepts the pending invitation of `email` (the latest unused and
    /// unexpired one), as its one-time link would: the account is created,
    /// without a password, with the role it was invited to.
    async fn accept_invitation_of(
        &self,
        email: &str,
        now: i64,
    ) -> Result<Option<Account>, StoreError>;

    /// Writes a line in the activity log (a refused sign-in, say).
    async fn note_activity(
        &self,
        actor: &str,
        action: &str,
        target: &str,
        detail: &str,
    ) -> Result<(), StoreError>;
}
