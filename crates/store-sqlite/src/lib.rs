#![doc = include_str!("../README.md")]

use std::str::FromStr;
use std::time::Duration;

use passerelle_store::StoreError;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

mod dialect;

pub use dialect::read_backup;

passerelle_store::sql_store!(crate::SqliteStore);

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// A SQLite database holding Passerelle's data.
#[derive(Debug, Clone)]
pub struct SqliteStore {
    pool: SqlitePool,
}

impl SqliteStore {
    /// Opens (creating if needed) the database at `url` (`sqlite://path.db`
    /// or `sqlite::memory:`) and brings its schema up to date.
    pub async fn open(url: &str) -> Result<SqliteStore, StoreError> {
        SqliteStore::open_waiting(url, Duration::from_secs(5)).await
    }

    /// [`SqliteStore::open`], a write waiting at most `busy_timeout` for
    /// another connection's lock at each of its tries.
    pub async fn open_waiting(
        url: &str,
        busy_timeout: Duration,
    ) -> Result<SqliteStore, StoreError> {
        let open_err = |e: sqlx::Error| StoreError::Open {
            url: url.to_owned(),
            source: Box::new(e),
        };
        let memory = url.contains(":memory:");
        let options = SqliteConnectOptions::from_str(url)
            .map_err(open_err)?
            .create_if_missing(true)
            .journal_mode(if memory {
                SqliteJournalMode::Memory
            } else {
                SqliteJournalMode::Wal
            })
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(busy_timeout);
        let pool = SqlitePoolOptions::new()
            // One connection for an in-memory database: each would be its own database.
            .max_connections(if memory { 1 } else { 4 })
            .connect_with(options)
            .await
            .map_err(open_err)?;
        MIGRATOR.run(&pool).await.map_err(StoreError::migrate)?;
        Ok(SqliteStore { pool })
    }
}
