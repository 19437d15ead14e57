#![doc = include_str!("../README.md")]

mod accounts_sql;
pub mod calls;
mod calls_sql;
mod calls_sql_review;
mod catalogue_sql;
pub mod dump;
pub mod funding;
mod funding_sql;
pub mod newsletter;
mod newsletter_sql;
mod newsletter_sql_subscribers;
mod participation_sql;
pub mod referrals;
mod referrals_sql;
pub mod rows;
pub mod signin;
mod signin_sql;
mod whole_sql;

use async_trait::async_trait;
pub use calls::CallStore;
pub use funding::FundingStore;
pub use newsletter::{Imported, NewsletterStore, Subscription};
use passerelle_domain::{
    Account, Change, Contribution, Entity, EntityDates, EntityError, EntityKind, Registration,
    RegistrationForm,
};
pub use referrals::{NewReferral, ReferralStore};
pub use signin::{
    Identity, IdentityConflict, NewSession, SecondFactor, Session, SessionInfo, SignInStore,
};

/// Errors of the storage layer.
///
/// Policy: the database's own error is kept as the source for the logs;
/// callers show users only that storage failed, never its text.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("la base de données « {url} » n'a pas pu être ouverte")]
    Open {
        url: String,
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    #[error("le schéma de la base de données n'a pas pu être mis à jour")]
    Migrate(#[source] Box<dyn std::error::Error + Send + Sync>),
    #[error("une opération de la base de données a échoué")]
    Database(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// The database stayed locked by other writers beyond the store's wait
    /// and its retries: nothing was written; the caller may try again.
    #[error("la base de données est occupée : rien n'a été écrit")]
    Busy(#[source] Box<dyn std::error::Error + Send + Sync>),
    #[error(transparent)]
    Entity(#[from] EntityError),
    #[error("données enregistrées corrompues : {0}")]
    Corrupt(String),
    #[error("la sauvegarde « {path} » est inutilisable : {reason}")]
    Backup { path: String, reason: String },
    /// Someone saved this entity since the version the writer started from.
    #[error("{kind} « {key} » a changé entre-temps : la version {expected} a été modifiée, la version actuelle est la {}", current.as_ref().map_or(0, |c| c.version))]
    Conflict {
        kind: EntityKind,
        key: String,
        expected: u64,
        /// What is stored now (None if it was removed).
        current: Option<Box<Versioned>>,
    },
    #[error("{kind} « {key} » n'existe pas")]
    NotFound { kind: EntityKind, key: String },
    #[error("un compte existe déjà pour {0}")]
    DuplicateAccount(String),
    /// This address is registered to this event already.
    #[error("{0} est déjà inscrit")]
    DuplicateRegistration(String),
    /// Copying into a database that holds rows already.
    #[error(
        "la base de données n'est pas vide (la table « {0} » a des lignes) : copiez dans une base vide"
    )]
    NotEmpty(&'static str),
    /// A one-time link that is unknown, used already or expired.
    #[error("ce lien n'est pas valable (inconnu, déjà utilisé ou expiré)")]
    InvalidLink,
}

impl StoreError {
    /// A database's error: [`StoreError::Busy`] when `busy` (the database
    /// locked, a transaction to try again; nothing was written), else
    /// [`StoreError::Database`]; the error is kept as the source for the
    /// log. Each store's dialect says which errors are busy.
    pub fn database(e: impl std::error::Error + Send + Sync + 'static, busy: bool) -> StoreError {
        if busy {
            StoreError::Busy(Box::new(e))
        } else {
            StoreError::Database(Box::new(e))
        }
    }

    /// The schema could not be brought up to date.
    pub fn migrate(e: impl std::error::Error + Send + Sync + 'static) -> StoreError {
        StoreError::Migrate(Box::new(e))
    }
}

/// An entity with its version number (1 for a new entity, +1 per change).
#[derive(Debug, Clone, PartialEq)]
pub struct Versioned {
    pub entity: Entity,
    pub version: u64,
    /// Archived entities are kept (and restorable) but out of the catalogue.
    pub archived: bool,
}

/// One version of an entity in its history.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryEntry {
    pub version: u64,
    /// None when this version removed the entity.
    pub body: Option<serde_json::Value>,
    pub actor: String,
    /// RFC 3339, UTC.
    pub at: String,
    /// What this version did.
    pub event: HistoryEvent,
}

/// What a version of the history did to its entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HistoryEvent {
    /// Created, edited, imported or restored: `body` is the new content.
    Save,
    /// Archived: out of the catalogue from this version on.
    Archive,
    /// Back into the catalogue.
    Unarchive,
}

impl HistoryEvent {
    pub fn key(self) -> &'static str {
        match self {
            HistoryEvent::Save => "save",
            HistoryEvent::Archive => "archive",
            HistoryEvent::Unarchive => "unarchive",
        }
    }

    pub fn from_key(key: &str) -> Option<HistoryEvent> {
        [
            HistoryEvent::Save,
            HistoryEvent::Archive,
            HistoryEvent::Unarchive,
        ]
        .into_iter()
        .find(|e| e.key() == key)
    }
}

/// What a one-time link is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkPurpose {
    /// Joining Passerelle: the account is created when the link is used.
    Invitation,
    /// Choosing a new password.
    Reset,
}

impl LinkPurpose {
    pub fn key(self) -> &'static str {
        match self {
            LinkPurpose::Invitation => "invitation",
            LinkPurpose::Reset => "reset",
        }
    }
}

/// A one-time link, as stored (its token is only known to its recipient).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OneTimeLink {
    pub purpose: LinkPurpose,
    /// For an invitation, the account to create (`active` ignored) with the
    /// one role it is invited to (a membership, or an instance role); for a
    /// reset, the account whose password changes (only the email is used).
    pub account: Account,
    /// Unix seconds.
    pub expires_at: i64,
}

/// A personal API token, as listed to its owner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiTokenInfo {
    pub label: String,
    pub created_at: String,
    /// When it stops working (Unix seconds); `None`: when revoked.
    pub expires_at: Option<i64>,
}

/// One line of the activity log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Activity {
    pub actor: String,
    pub at: String,
    pub action: String,
    pub target: String,
    pub detail: String,
}

/// A finished import, as recorded in the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportRecord {
    pub source: String,
    pub added: usize,
    pub updated: usize,
    pub removed: usize,
    /// The booklet's quality report, as JSON (opaque to the store).
    pub report: String,
}

/// The catalogue of each cité, as entities.
#[async_trait]
pub trait CatalogueStore: Send + Sync + std::fmt::Debug {
    /// Slugs of the cités stored and not removed, in the order they were added.
    async fn cites(&self) -> Result<Vec<String>, StoreError>;

    /// Every entity of one cité that is not archived (none if the cité is
    /// not stored).
    async fn entities(&self, cite: &str) -> Result<Vec<Entity>, StoreError>;

    /// Writes `changes` for `cite` in one transaction, taking the bodies of
    /// added and updated entities from `entities`, and records the import.
    /// When this returns, the write is durable.
    async fn apply(
        &self,
        cite: &str,
        entities: &[Entity],
        changes: &[Change],
        record: &ImportRecord,
    ) -> Result<(), StoreError>;

    /// One entity with its version.
    async fn entity(
        &self,
        cite: &str,
        kind: EntityKind,
        key: &str,
    ) -> Result<Option<Versioned>, StoreError>;

    /// Saves one entity if it is still at `expected` (0: it must not exist
    /// yet), recording the new version in its history and the activity log.
    /// Returns the new version. A concurrent save makes this fail with
    /// [`StoreError::Conflict`], carrying what is stored now: nothing is
    /// silently overwritten. Durable when it returns.
    async fn save(
        &self,
        cite: &str,
        entity: &Entity,
        expected: u64,
        actor: &str,
    ) -> Result<u64, StoreError>;

    /// Archives (`archived`) or brings back an entity still at `expected`,
    /// as a new version. Same conflict rule as [`CatalogueStore::save`].
    async fn set_archived(
        &self,
        cite: &str,
        kind: EntityKind,
        key: &str,
        expected: u64,
        archived: bool,
        actor: &str,
    ) -> Result<u64, StoreError>;

    /// The archived entities of a cité.
    async fn archived(&self, cite: &str) -> Result<Vec<Versioned>, StoreError>;

    /// Every version of an entity, oldest first.
    async fn history(
        &self,
        cite: &str,
        kind: EntityKind,
        key: &str,
    ) -> Result<Vec<HistoryEntry>, StoreError>;

    /// The latest lines of the activity log, newest first.
    /// The last lines of the activity log about one cité (`Some`), or of the
    /// whole instance (`None`, for the instance's administrators).
    async fn activity(&self, cite: Option<&str>, limit: u32) -> Result<Vec<Activity>, StoreError>;

    /// Every entity of one cité that is not archived, with the cité's
    /// version (see [`CatalogueStore::versions`]), read together: the
    /// entities are exactly those of that version.
    async fn entities_at_version(&self, cite: &str) -> Result<(Vec<Entity>, u64), StoreError>;

    /// The version of each cité's catalogue: raised by every write that
    /// changes what its pages show (an import, a save, an archive, a
    /// restore), in the writing transaction. A server whose snapshot of a
    /// cité was built at a lower version is behind.
    async fn versions(&self) -> Result<Vec<(String, u64)>, StoreError>;

    /// One cité's version (0 if it was never written).
    async fn version(&self, cite: &str) -> Result<u64, StoreError>;

    /// When each entity of a cité was first stored and last changed, from
    /// its history (archived and removed ones included): the dates feeds
    /// and open data give.
    async fn entity_dates(&self, cite: &str) -> Result<Vec<EntityDates>, StoreError>;

    /// The last import of a cité that changed something, if any.
    async fn last_import(&self, cite: &str) -> Result<Option<ImportRecord>, StoreError>;

    /// Checks the database's integrity; returns what is wrong, if anything.
    async fn integrity_check(&self) -> Result<Vec<String>, StoreError>;

    /// Writes a consistent copy of the whole database to `to` (which must not
    /// exist), while other connections go on reading and writing.
    async fn backup(&self, to: &std::path::Path) -> Result<(), StoreError>;

    /// Replaces every stored row by those of the backup at `from`, in one
    /// transaction, after checking the backup's integrity and bringing its
    /// schema up to date (on a copy: the backup file is not modified).
    async fn restore(&self, from: &std::path::Path) -> Result<(), StoreError>;
}

/// Accounts, apart from the catalogue: a narrow trait of its own.
#[async_trait]
pub trait AccountStore: SignInStore + Send + Sync + std::fmt::Debug {
    /// Creates an account with its password hash; refuses an email already used.
    async fn create_account(
        &self,
        account: &Account,
        password_hash: &str,
        actor: &str,
    ) -> Result<(), StoreError>;

    /// The account with this email (any case), with its password hash.
    async fn account(&self, email: &str) -> Result<Option<(Account, String)>, StoreError>;

    /// How many active administrators a cité has.
    async fn count_administrators(&self, cite: &str) -> Result<u64, StoreError>;

    /// Ends a session (signing out).
    async fn delete_session(&self, token_hash: &str) -> Result<(), StoreError>;

    /// Every account, by email.
    async fn accounts(&self) -> Result<Vec<Account>, StoreError>;

    /// Changes an account's name, instance role and whether it is active
    /// (an inactive account's sessions end). Its memberships are left as
    /// they are: [`AccountStore::set_membership`] changes one cité's.
    async fn update_account(&self, account: &Account, actor: &str) -> Result<(), StoreError>;

    /// Gives an account its role in a cité (`Some`, replacing the one it
    /// held there), or takes it away (`None`). The other cités' are untouched.
    async fn set_membership(
        &self,
        email: &str,
        cite: &str,
        membership: Option<&passerelle_domain::Membership>,
        actor: &str,
    ) -> Result<(), StoreError>;

    /// Records a one-time link under the SHA-256 of its token.
    async fn create_link(
        &self,
        token_hash: &str,
        link: &OneTimeLink,
        actor: &str,
    ) -> Result<(), StoreError>;

    /// The unused, unexpired link with this token hash and purpose.
    async fn link(
        &self,
        token_hash: &str,
        purpose: LinkPurpose,
        now: i64,
    ) -> Result<Option<OneTimeLink>, StoreError>;

    /// Uses a link once, in one transaction: an invitation creates its
    /// account with this password hash; a reset replaces the password and
    /// ends the account's sessions, its other reset links and its personal
    /// API tokens. Fails with [`StoreError::InvalidLink`] when the link is
    /// unknown, used or expired.
    async fn use_link(
        &self,
        token_hash: &str,
        purpose: LinkPurpose,
        now: i64,
        password_hash: &str,
    ) -> Result<Account, StoreError>;

    /// Records a personal API token (SHA-256) for an account, valid until
    /// `expires_at` (Unix seconds) or, with `None`, until revoked.
    async fn create_api_token(
        &self,
        token_hash: &str,
        email: &str,
        label: &str,
        expires_at: Option<i64>,
    ) -> Result<(), StoreError>;

    /// The active account owning an API token not expired at `now`.
    async fn api_token(&self, token_hash: &str, now: i64) -> Result<Option<Account>, StoreError>;

    /// An account's API tokens.
    async fn api_tokens(&self, email: &str) -> Result<Vec<ApiTokenInfo>, StoreError>;

    /// Revokes one of an account's API tokens, by label.
    async fn revoke_api_token(&self, email: &str, label: &str) -> Result<(), StoreError>;

    /// Counts one failure (a wrong password, a wrong code) under `key`
    /// (`email:…`, `ip:…`) and returns how many it now holds in the
    /// window: failures older than `window_secs` before `now` (Unix
    /// seconds) no longer count. Kept in the database, so that every
    /// server of an instance counts the same failures.
    async fn record_failure(
        &self,
        key: &str,
        window_secs: i64,
        now: i64,
    ) -> Result<u32, StoreError>;

    /// How many failures `key` holds in the window.
    async fn failures(&self, key: &str, window_secs: i64, now: i64) -> Result<u32, StoreError>;

    /// Forgets the failures of `key` (after a successful sign-in).
    async fn clear_failures(&self, key: &str) -> Result<(), StoreError>;

    /// The instance's key called `name`, shared by its servers: `fresh`
    /// is stored if no server stored one before, and the stored one is
    /// returned either way.
    async fn server_key(&self, name: &str, fresh: &str) -> Result<String, StoreError>;
}

/// The statements of [`AccountStore::server_key`], the same in both
/// databases.
pub const SERVER_KEY_INSERT: &str = "INSERT INTO server_keys (name, value, created_at) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING";
/// See [`SERVER_KEY_INSERT`].
pub const SERVER_KEY_SELECT: &str = "SELECT value FROM server_keys WHERE name = $1";
/// What a password reset ends besides the sessions: the account's other
/// reset links (`$1` the time, `$2` the email), then its API tokens (`$1`
/// the email). The same in both databases.
pub const RESET_ENDS_LINKS: &str =
    "UPDATE links SET used_at = $1 WHERE email = $2 AND purpose = 'reset' AND used_at IS NULL";
/// See [`RESET_ENDS_LINKS`].
pub const RESET_ENDS_TOKENS: &str = "DELETE FROM api_tokens WHERE email = $1";

/// A whole database: what `passerelle` opens from a `database_url`, and
/// hands to the web layer as the narrower traits it needs.
#[async_trait]
pub trait Store:
    CatalogueStore
    + AccountStore
    + ParticipationStore
    + NewsletterStore
    + ReferralStore
    + CallStore
    + FundingStore
{
    /// Closes the connections, waiting for those in use.
    async fn close(&self);

    /// The connection pool as it stands.
    fn pool(&self) -> PoolStatus;

    /// Follows the writes other servers make to this database, when the
    /// database can tell (PostgreSQL's `LISTEN`); `None` when it cannot
    /// (SQLite: one server per database, which sees its own writes). The
    /// feed listens from the moment this returns: open it before loading
    /// anything, so that no write falls between the load and the feed.
    async fn changes(&self) -> Result<Option<Box<dyn ChangeFeed>>, StoreError> {
        Ok(None)
    }

    /// Every row of every table, read in one consistent snapshot.
    async fn export(&self) -> Result<dump::Dump, StoreError>;

    /// Writes every row of `dump` into this database, which must hold
    /// nothing yet, in one transaction (nothing is written on an error).
    async fn import(&self, dump: &dump::Dump) -> Result<(), StoreError>;

    /// How many rows each table holds.
    async fn counts(&self) -> Result<Vec<(&'static str, usize)>, StoreError>;
}

/// The connection pool, for the metrics.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PoolStatus {
    /// Connections open, in use or idle.
    pub open: u32,
    /// Connections open and idle.
    pub idle: u32,
    /// The most the pool opens.
    pub max: u32,
}

/// What a [`ChangeFeed`] reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FeedEvent {
    /// A write raised a cité's version to this.
    Changed { cite: String, version: u64 },
    /// Writes may have been missed (the feed's connection was lost and is
    /// back): compare every cité's version.
    Resync,
}

/// Writes made by any server, as they commit.
#[async_trait]
pub trait ChangeFeed: Send {
    /// Waits for the next event.
    async fn next(&mut self) -> Result<FeedEvent, StoreError>;
}

/// Someone who typed an event's code on the day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Participant {
    pub cite: String,
    pub event: String,
    /// The CSRF token of their forms.
    pub csrf: String,
    /// The name they chose to show (may be empty).
    pub name: String,
}

/// Taking part in events: registrations, the day's participants,
/// contributions and supports, the moderators' summaries.
#[async_trait]
pub trait ParticipationStore: Send + Sync + std::fmt::Debug {
    /// Registers to an event, in one transaction: confirmed while fewer than
    /// `capacity` registrations are confirmed, waiting after. Refuses an
    /// address already registered ([`StoreError::DuplicateRegistration`]).
    async fn register(
        &self,
        cite: &str,
        event: &str,
        event_date: &str,
        form: &RegistrationForm,
        token_hash: &str,
        capacity: Option<u32>,
    ) -> Result<Registration, StoreError>;

    /// The registration behind a private link.
    async fn registration(&self, token_hash: &str) -> Result<Option<Registration>, StoreError>;

    /// Changes a registration (name, organisation, kind, choices; the email stays).
    async fn update_registration(
        &self,
        token_hash: &str,
        form: &RegistrationForm,
    ) -> Result<Registration, StoreError>;

    /// Cancels a registration (`delete`: and erases it); the oldest waiting
    /// registration takes a place freed. Returns the one promoted, if any.
    async fn cancel_registration(
        &self,
        token_hash: &str,
        capacity: Option<u32>,
        delete: bool,
    ) -> Result<Option<Registration>, StoreError>;

    /// An event's registrations, in order of registration.
    async fn registrations(&self, cite: &str, event: &str)
    -> Result<Vec<Registration>, StoreError>;

    /// Records the organisers' assignment of registrations to workshops.
    async fn set_workshops(
        &self,
        cite: &str,
        event: &str,
        assignments: &[(i64, Option<usize>)],
        actor: &str,
    ) -> Result<(), StoreError>;

    /// Anonymises the registrations of events held before `date` (ISO):
    /// name, email and organisation go; counts stay. Returns how many.
    async fn anonymise_registrations(&self, before: &str) -> Result<u64, StoreError>;

    /// Records someone who typed the event's code (SHA-256 of their token).
    async fn join(&self, participant: &Participant, token_hash: &str) -> Result<(), StoreError>;

    /// A participant, by the SHA-256 of their token.
    async fn participant(&self, token_hash: &str) -> Result<Option<Participant>, StoreError>;

    /// Adds a contribution; durable when it returns.
    #[expect(
        clippy::too_many_arguments,
        reason = "one contribution, field by field"
    )]
    async fn contribute(
        &self,
        cite: &str,
        event: &str,
        question: &str,
        text: &str,
        author: &str,
        author_id: &str,
        fiche: Option<u32>,
    ) -> Result<Contribution, StoreError>;

    /// An event's contributions with their supports, oldest first
    /// (hidden ones only if asked for).
    async fn contributions(
        &self,
        cite: &str,
        event: &str,
        with_hidden: bool,
    ) -> Result<Vec<Contribution>, StoreError>;

    /// One contribution.
    async fn contribution(&self, id: i64) -> Result<Option<Contribution>, StoreError>;

    /// Supports a contribution, once per supporter: false if they had already.
    async fn support(&self, contribution: i64, supporter: &str) -> Result<bool, StoreError>;

    /// Hides a contribution with a reason, or shows it again (`None`).
    async fn moderate(
        &self,
        cite: &str,
        id: i64,
        hidden: Option<&str>,
        actor: &str,
    ) -> Result<(), StoreError>;

    /// The moderators' summary of a question.
    async fn synthesis(
        &self,
        cite: &str,
        event: &str,
        question: &str,
    ) -> Result<Option<String>, StoreError>;

    /// Writes the summary of a question.
    async fn set_synthesis(
        &self,
        cite: &str,
        event: &str,
        question: &str,
        text: &str,
        actor: &str,
    ) -> Result<(), StoreError>;
}
