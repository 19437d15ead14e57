#![doc = include_str!("../README.md")]

use std::str::FromStr;
use std::time::Duration;

use async_trait::async_trait;
use passerelle_domain::{Change, ChangeOp, Entity, EntityKind};
use passerelle_store::{CatalogueStore, ImportRecord, StoreError};
use sqlx::Row;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

fn db(e: sqlx::Error) -> StoreError {
    StoreError::Database(Box::new(e))
}

/// A SQLite database holding Passerelle's data.
#[derive(Debug, Clone)]
pub struct SqliteStore {
    pool: SqlitePool,
}

impl SqliteStore {
    /// Opens (creating if needed) the database at `url` (`sqlite://path.db`
    /// or `sqlite::memory:`) and brings its schema up to date.
    pub async fn open(url: &str) -> Result<SqliteStore, StoreError> {
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
            .busy_timeout(Duration::from_secs(5));
        let pool = SqlitePoolOptions::new()
            // One connection for an in-memory database: each would be its own database.
            .max_connections(if memory { 1 } else { 4 })
            .connect_with(options)
            .await
            .map_err(open_err)?;
        MIGRATOR
            .run(&pool)
            .await
            .map_err(|e| StoreError::Migrate(Box::new(e)))?;
        Ok(SqliteStore { pool })
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

fn now() -> String {
    time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

#[async_trait]
impl CatalogueStore for SqliteStore {
    async fn cites(&self) -> Result<Vec<String>, StoreError> {
        let rows = sqlx::query("SELECT key FROM entities WHERE kind = 'cite' ORDER BY key")
            .fetch_all(&self.pool)
            .await
            .map_err(db)?;
        Ok(rows.iter().map(|r| r.get::<String, _>(0)).collect())
    }

    async fn entities(&self, cite: &str) -> Result<Vec<Entity>, StoreError> {
        let rows =
            sqlx::query("SELECT kind, key, body FROM entities WHERE cite = ? ORDER BY kind, key")
                .bind(cite)
                .fetch_all(&self.pool)
                .await
                .map_err(db)?;
        rows.iter()
            .map(|r| {
                let kind: String = r.get(0);
                let key: String = r.get(1);
                let body: String = r.get(2);
                let kind = EntityKind::parse(&kind)
                    .ok_or_else(|| StoreError::Corrupt(format!("unknown kind `{kind}`")))?;
                let body = serde_json::from_str(&body)
                    .map_err(|e| StoreError::Corrupt(format!("{kind} `{key}`: {e}")))?;
                Ok(Entity { kind, key, body })
            })
            .collect()
    }

    async fn apply(
        &self,
        cite: &str,
        entities: &[Entity],
        changes: &[Change],
        record: &ImportRecord,
    ) -> Result<(), StoreError> {
        let at = now();
        let mut tx = self.pool.begin().await.map_err(db)?;
        for change in changes {
            match &change.op {
                ChangeOp::Added | ChangeOp::Updated { .. } => {
                    let entity = entities
                        .iter()
                        .find(|e| e.kind == change.kind && e.key == change.key)
                        .ok_or_else(|| {
                            StoreError::Corrupt(format!(
                                "change to {} `{}` without its entity",
                                change.kind, change.key
                            ))
                        })?;
                    sqlx::query(
                        "INSERT INTO entities (cite, kind, key, body, version, updated_at) VALUES (?, ?, ?, ?, 1, ?)
                         ON CONFLICT (cite, kind, key) DO UPDATE SET body = excluded.body, version = version + 1, updated_at = excluded.updated_at",
                    )
                    .bind(cite)
                    .bind(change.kind.as_str())
                    .bind(&change.key)
                    .bind(entity.body.to_string())
                    .bind(&at)
                    .execute(&mut *tx)
                    .await
                    .map_err(db)?;
                }
                ChangeOp::Removed => {
                    sqlx::query("DELETE FROM entities WHERE cite = ? AND kind = ? AND key = ?")
                        .bind(cite)
                        .bind(change.kind.as_str())
                        .bind(&change.key)
                        .execute(&mut *tx)
                        .await
                        .map_err(db)?;
                }
            }
        }
        if !changes.is_empty() {
            sqlx::query("INSERT INTO imports (cite, source, at, added, updated, removed, report) VALUES (?, ?, ?, ?, ?, ?, ?)")
                .bind(cite)
                .bind(&record.source)
                .bind(&at)
                .bind(record.added as i64)
                .bind(record.updated as i64)
                .bind(record.removed as i64)
                .bind(&record.report)
                .execute(&mut *tx)
                .await
                .map_err(db)?;
        }
        tx.commit().await.map_err(db)
    }

    async fn last_import(&self, cite: &str) -> Result<Option<ImportRecord>, StoreError> {
        let row = sqlx::query("SELECT source, added, updated, removed, report FROM imports WHERE cite = ? ORDER BY id DESC LIMIT 1")
            .bind(cite)
            .fetch_optional(&self.pool)
            .await
            .map_err(db)?;
        Ok(row.map(|r| ImportRecord {
            source: r.get(0),
            added: usize::try_from(r.get::<i64, _>(1)).unwrap_or(0),
            updated: usize::try_from(r.get::<i64, _>(2)).unwrap_or(0),
            removed: usize::try_from(r.get::<i64, _>(3)).unwrap_or(0),
            report: r.get(4),
        }))
    }

    async fn backup(&self, to: &std::path::Path) -> Result<(), StoreError> {
        let bad = |reason: &str| StoreError::Backup {
            path: to.display().to_string(),
            reason: reason.to_owned(),
        };
        if to.exists() {
            return Err(bad("the file exists already; choose a new name"));
        }
        let target = to.to_str().ok_or_else(|| bad("the path is not UTF-8"))?;
        // VACUUM INTO reads one consistent snapshot (a read transaction): writers
        // on other connections are not blocked, and the copy is compact.
        sqlx::query("VACUUM INTO ?")
            .bind(target)
            .execute(&self.pool)
            .await
            .map_err(db)?;
        Ok(())
    }

    async fn restore(&self, from: &std::path::Path) -> Result<(), StoreError> {
        let bad = |reason: String| StoreError::Backup {
            path: from.display().to_string(),
            reason,
        };
        if !from.is_file() {
            return Err(bad("no such file".into()));
        }
        // Work on a copy: migrations may change it, and the backup stays as it was.
        let copy = from.with_extension(format!("restore-{}.db", std::process::id()));
        std::fs::copy(from, &copy).map_err(|e| bad(e.to_string()))?;
        let result = async {
            let url = format!("sqlite://{}", copy.display());
            let backup = SqliteStore::open(&url)
                .await
                .map_err(|e| bad(format!("not a Passerelle database ({e})")))?;
            let problems = backup.integrity_check().await?;
            backup.close().await;
            if !problems.is_empty() {
                return Err(bad(format!(
                    "integrity check failed: {}",
                    problems.join("; ")
                )));
            }
            let path = copy
                .to_str()
                .ok_or_else(|| bad("the path is not UTF-8".into()))?
                .to_owned();
            let mut conn = self.pool.acquire().await.map_err(db)?;
            sqlx::query("ATTACH DATABASE ? AS backup")
                .bind(&path)
                .execute(&mut *conn)
                .await
                .map_err(db)?;
            let copied = async {
                let mut tx = sqlx::Connection::begin(&mut *conn).await.map_err(db)?;
                for statement in [
                    "DELETE FROM main.entities",
                    "INSERT INTO main.entities SELECT * FROM backup.entities",
                    "DELETE FROM main.imports",
                    "INSERT INTO main.imports SELECT * FROM backup.imports",
                ] {
                    sqlx::query(statement).execute(&mut *tx).await.map_err(db)?;
                }
                tx.commit().await.map_err(db)
            }
            .await;
            sqlx::query("DETACH DATABASE backup")
                .execute(&mut *conn)
                .await
                .map_err(db)?;
            copied
        }
        .await;
        let _ = std::fs::remove_file(&copy);
        for suffix in ["-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", copy.display()));
        }
        result
    }

    async fn integrity_check(&self) -> Result<Vec<String>, StoreError> {
        let rows = sqlx::query("PRAGMA integrity_check")
            .fetch_all(&self.pool)
            .await
            .map_err(db)?;
        let out: Vec<String> = rows
            .iter()
            .map(|r| r.get::<String, _>(0))
            .filter(|s| s != "ok")
            .collect();
        Ok(out)
    }
}
