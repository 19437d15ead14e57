#![doc = include_str!("../README.md")]

use async_trait::async_trait;
use passerelle_domain::{Account, Change, Entity, EntityError, EntityKind};

/// Errors of the storage layer.
///
/// Policy: the database's own error is kept as the source for the logs;
/// callers show users only that storage failed, never its text.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("the database could not be opened at `{url}`")]
    Open {
        url: String,
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    #[error("the database schema could not be brought up to date")]
    Migrate(#[source] Box<dyn std::error::Error + Send + Sync>),
    #[error("a database operation failed")]
    Database(#[source] Box<dyn std::error::Error + Send + Sync>),
    #[error(transparent)]
    Entity(#[from] EntityError),
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
    #[error("the backup `{path}` cannot be used: {reason}")]
    Backup { path: String, reason: String },
    /// Someone saved this entity since the version the writer started from.
    #[error("{kind} `{key}` changed meanwhile: version {expected} was edited, the current one is {}", current.as_ref().map_or(0, |c| c.version))]
    Conflict {
        kind: EntityKind,
        key: String,
        expected: u64,
        /// What is stored now (None if it was removed).
        current: Option<Box<Versioned>>,
    },
    #[error("{kind} `{key}` does not exist")]
    NotFound { kind: EntityKind, key: String },
    #[error("an account already exists for {0}")]
    DuplicateAccount(String),
}

/// An entity with its version number (1 for a new entity, +1 per change).
#[derive(Debug, Clone, PartialEq)]
pub struct Versioned {
    pub entity: Entity,
    pub version: u64,
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
    /// Slugs of the cités stored, in order.
    async fn cites(&self) -> Result<Vec<String>, StoreError>;

    /// Every entity of one cité (none if the cité is not stored).
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

    /// Every version of an entity, oldest first.
    async fn history(
        &self,
        cite: &str,
        kind: EntityKind,
        key: &str,
    ) -> Result<Vec<HistoryEntry>, StoreError>;

    /// The latest lines of the activity log, newest first.
    async fn activity(&self, limit: u32) -> Result<Vec<Activity>, StoreError>;

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
pub trait AccountStore: Send + Sync + std::fmt::Debug {
    /// Creates an account with its password hash; refuses an email already used.
    async fn create_account(
        &self,
        account: &Account,
        password_hash: &str,
        actor: &str,
    ) -> Result<(), StoreError>;

    /// The account with this email (any case), with its password hash.
    async fn account(&self, email: &str) -> Result<Option<(Account, String)>, StoreError>;

    /// How many active administrators there are.
    async fn count_administrators(&self) -> Result<u64, StoreError>;

    /// Opens a session for an account until `expires_at` (Unix seconds).
    async fn create_session(
        &self,
        token_hash: &str,
        email: &str,
        csrf: &str,
        expires_at: i64,
    ) -> Result<(), StoreError>;

    /// The active account and CSRF token of an unexpired session.
    async fn session(
        &self,
        token_hash: &str,
        now: i64,
    ) -> Result<Option<(Account, String)>, StoreError>;

    /// Ends a session (signing out).
    async fn delete_session(&self, token_hash: &str) -> Result<(), StoreError>;
}
