#![doc = include_str!("../README.md")]

use std::str::FromStr;
use std::time::Duration;

use async_trait::async_trait;
use passerelle_domain::{Change, ChangeOp, Entity, EntityDates, EntityKind};
use passerelle_store::{
    Activity, CatalogueStore, HistoryEntry, HistoryEvent, ImportRecord, StoreError, Versioned,
};
use sqlx::Row;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

mod accounts;
mod participation;
mod whole;

passerelle_store::newsletter_store!(
    crate::SqliteStore,
    sqlx::sqlite::SqliteRow,
    sqlx::SqliteConnection,
    // One writer at a time: the rows taken are nobody else's.
    "UPDATE deliveries SET status = 'sending', next_at = $2
     WHERE (issue, subscriber) IN (SELECT issue, subscriber FROM deliveries
         WHERE status IN ('waiting', 'sending') AND next_at <= $1 LIMIT $3)
     RETURNING issue, subscriber, attempts"
);

passerelle_store::referral_store!(crate::SqliteStore, sqlx::sqlite::SqliteRow);

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// A database error as the store reports it: the database being locked
/// (`SQLITE_BUSY`, `SQLITE_LOCKED` and their extended codes) or every pooled
/// connection taken is [`StoreError::Busy`]; the error, with SQLite's code
/// and message, is kept as the source for the log.
pub(crate) fn db(e: sqlx::Error) -> StoreError {
    if is_busy(&e) {
        StoreError::Busy(Box::new(e))
    } else {
        StoreError::Database(Box::new(e))
    }
}

fn is_busy(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::PoolTimedOut => true,
        sqlx::Error::Database(d) => d
            .code()
            .and_then(|c| c.parse::<i32>().ok())
            // The primary code is the low byte of an extended one.
            .is_some_and(|c| matches!(c & 0xff, 5 | 6)),
        _ => false,
    }
}

/// How many times beginning a write is tried while the database stays
/// locked (each try waits up to the busy timeout).
const WRITE_ATTEMPTS: u32 = 3;

/// Begins a transaction that writes. It takes the write lock at once
/// (`BEGIN IMMEDIATE`): a deferred transaction that reads first and then
/// writes fails at once with `SQLITE_BUSY` in WAL mode when another
/// connection committed meanwhile, whatever the busy timeout, whereas
/// `BEGIN IMMEDIATE` waits for the lock. Once begun, the transaction cannot
/// meet a conflict; beginning is tried [`WRITE_ATTEMPTS`] times.
pub(crate) async fn begin_write(
    pool: &SqlitePool,
) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>, StoreError> {
    let mut attempt = 1;
    loop {
        match pool.begin_with("BEGIN IMMEDIATE").await {
            Ok(tx) => return Ok(tx),
            Err(e) if is_busy(&e) && attempt < WRITE_ATTEMPTS => {
                // The busy timeout has already waited: try again at once.
                tracing::warn!(error = %e, attempt, "database locked, beginning the write again");
                attempt += 1;
            }
            Err(e) => return Err(db(e)),
        }
    }
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

#[expect(
    clippy::too_many_arguments,
    reason = "one row of the history table, column by column"
)]
async fn record_history(
    tx: &mut sqlx::SqliteConnection,
    cite: &str,
    kind: EntityKind,
    key: &str,
    version: i64,
    body: Option<&str>,
    event: HistoryEvent,
    actor: &str,
    at: &str,
) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO history (cite, kind, key, version, body, event, actor, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
        .bind(cite)
        .bind(kind.as_str())
        .bind(key)
        .bind(version)
        .bind(body)
        .bind(event.key())
        .bind(actor)
        .bind(at)
        .execute(&mut *tx)
        .await
        .map_err(db)?;
    Ok(())
}

/// Raises a cité's version in the writing transaction.
pub(crate) async fn bump_version(
    tx: &mut sqlx::SqliteConnection,
    cite: &str,
) -> Result<u64, StoreError> {
    let version: i64 = sqlx::query_scalar(
        "INSERT INTO cite_versions (cite, version) VALUES (?, 1) ON CONFLICT (cite) DO UPDATE SET version = cite_versions.version + 1 RETURNING version",
    )
    .bind(cite)
    .fetch_one(&mut *tx)
    .await
    .map_err(db)?;
    Ok(u64::try_from(version).unwrap_or(0))
}

pub(crate) async fn log_activity(
    tx: &mut sqlx::SqliteConnection,
    cite: Option<&str>,
    actor: &str,
    at: &str,
    action: &str,
    target: &str,
    detail: &str,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO activity (cite, actor, at, action, target, detail) VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(cite)
    .bind(actor)
    .bind(at)
    .bind(action)
    .bind(target)
    .bind(detail)
    .execute(&mut *tx)
    .await
    .map_err(db)?;
    Ok(())
}

/// An entity from the columns kind, key, body.
fn entity_row(r: &sqlx::sqlite::SqliteRow) -> Result<Entity, StoreError> {
    passerelle_store::rows::entity(&r.get::<String, _>(0), r.get(1), &r.get::<String, _>(2))
}

pub(crate) fn now() -> String {
    passerelle_store::rows::now()
}

#[async_trait]
impl CatalogueStore for SqliteStore {
    async fn cites(&self) -> Result<Vec<String>, StoreError> {
        let rows = sqlx::query(
            "SELECT key FROM entities WHERE kind = 'cite' AND archived = 0 ORDER BY rowid",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(db)?;
        Ok(rows.iter().map(|r| r.get::<String, _>(0)).collect())
    }

    async fn entities(&self, cite: &str) -> Result<Vec<Entity>, StoreError> {
        Ok(self.entities_at_version(cite).await?.0)
    }

    async fn apply(
        &self,
        cite: &str,
        entities: &[Entity],
        changes: &[Change],
        record: &ImportRecord,
    ) -> Result<(), StoreError> {
        let at = now();
        let actor = format!("import:{}", record.source);
        let mut tx = begin_write(&self.pool).await?;
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
                    let body = entity.body.to_string();
                    let version: i64 = sqlx::query_scalar(
                        "INSERT INTO entities (cite, kind, key, body, version, updated_at) VALUES (?, ?, ?, ?, 1, ?)
                         ON CONFLICT (cite, kind, key) DO UPDATE SET body = excluded.body, version = version + 1, updated_at = excluded.updated_at
                         RETURNING version",
                    )
                    .bind(cite)
                    .bind(change.kind.as_str())
                    .bind(&change.key)
                    .bind(&body)
                    .bind(&at)
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(db)?;
                    record_history(
                        &mut tx,
                        cite,
                        change.kind,
                        &change.key,
                        version,
                        Some(&body),
                        HistoryEvent::Save,
                        &actor,
                        &at,
                    )
                    .await?;
                }
                ChangeOp::Removed => {
                    let version: Option<i64> = sqlx::query_scalar("DELETE FROM entities WHERE cite = ? AND kind = ? AND key = ? RETURNING version")
                        .bind(cite)
                        .bind(change.kind.as_str())
                        .bind(&change.key)
                        .fetch_optional(&mut *tx)
                        .await
                        .map_err(db)?;
                    if let Some(v) = version {
                        record_history(
                            &mut tx,
                            cite,
                            change.kind,
                            &change.key,
                            v + 1,
                            None,
                            HistoryEvent::Save,
                            &actor,
                            &at,
                        )
                        .await?;
                    }
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
            let detail = format!(
                "{} ajout(s), {} mise(s) à jour, {} suppression(s)",
                record.added, record.updated, record.removed
            );
            log_activity(&mut tx, Some(cite), &actor, &at, "import", cite, &detail).await?;
            bump_version(&mut tx, cite).await?;
        }
        tx.commit().await.map_err(db)
    }

    async fn entity(
        &self,
        cite: &str,
        kind: EntityKind,
        key: &str,
    ) -> Result<Option<Versioned>, StoreError> {
        let row = sqlx::query(
            "SELECT body, version, archived FROM entities WHERE cite = ? AND kind = ? AND key = ?",
        )
        .bind(cite)
        .bind(kind.as_str())
        .bind(key)
        .fetch_optional(&self.pool)
        .await
        .map_err(db)?;
        row.map(|r| {
            let body: String = r.get(0);
            let body = serde_json::from_str(&body)
                .map_err(|e| StoreError::Corrupt(format!("{kind} `{key}`: {e}")))?;
            Ok(Versioned {
                entity: Entity {
                    kind,
                    key: key.to_owned(),
                    body,
                },
                version: u64::try_from(r.get::<i64, _>(1)).unwrap_or(0),
                archived: r.get(2),
            })
        })
        .transpose()
    }

    async fn set_archived(
        &self,
        cite: &str,
        kind: EntityKind,
        key: &str,
        expected: u64,
        archived: bool,
        actor: &str,
    ) -> Result<u64, StoreError> {
        let at = now();
        let expected_i = i64::try_from(expected).unwrap_or(i64::MAX);
        let mut tx = begin_write(&self.pool).await?;
        let row = sqlx::query(
            "UPDATE entities SET archived = ?, version = version + 1, updated_at = ?
             WHERE cite = ? AND kind = ? AND key = ? AND version = ? RETURNING version, body",
        )
        .bind(archived)
        .bind(&at)
        .bind(cite)
        .bind(kind.as_str())
        .bind(key)
        .bind(expected_i)
        .fetch_optional(&mut *tx)
        .await
        .map_err(db)?;
        let Some(row) = row else {
            tx.rollback().await.map_err(db)?;
            let current = self.entity(cite, kind, key).await?;
            if current.is_none() {
                return Err(StoreError::NotFound {
                    kind,
                    key: key.to_owned(),
                });
            }
            return Err(StoreError::Conflict {
                kind,
                key: key.to_owned(),
                expected,
                current: current.map(Box::new),
            });
        };
        let version: i64 = row.get(0);
        let body: String = row.get(1);
        let event = if archived {
            HistoryEvent::Archive
        } else {
            HistoryEvent::Unarchive
        };
        record_history(
            &mut tx,
            cite,
            kind,
            key,
            version,
            Some(&body),
            event,
            actor,
            &at,
        )
        .await?;
        bump_version(&mut tx, cite).await?;
        let target = format!("{kind}:{key}");
        let action = if archived { "archive" } else { "unarchive" };
        log_activity(
            &mut tx,
            Some(cite),
            actor,
            &at,
            action,
            &target,
            &format!("version {version}"),
        )
        .await?;
        tx.commit().await.map_err(db)?;
        Ok(u64::try_from(version).unwrap_or(0))
    }

    async fn archived(&self, cite: &str) -> Result<Vec<Versioned>, StoreError> {
        let rows = sqlx::query(
            "SELECT kind, key, body, version FROM entities WHERE cite = ? AND archived = 1 ORDER BY kind, key",
        )
        .bind(cite)
        .fetch_all(&self.pool)
        .await
        .map_err(db)?;
        rows.iter()
            .map(|r| {
                Ok(Versioned {
                    entity: entity_row(r)?,
                    version: u64::try_from(r.get::<i64, _>(3)).unwrap_or(0),
                    archived: true,
                })
            })
            .collect()
    }

    async fn save(
        &self,
        cite: &str,
        entity: &Entity,
        expected: u64,
        actor: &str,
    ) -> Result<u64, StoreError> {
        let at = now();
        let body = entity.body.to_string();
        let expected_i = i64::try_from(expected).unwrap_or(i64::MAX);
        let mut tx = begin_write(&self.pool).await?;
        // One conditional statement: of two saves from the same version, the
        // second finds the version moved on and changes nothing.
        let version: Option<i64> = if expected == 0 {
            sqlx::query_scalar(
                "INSERT INTO entities (cite, kind, key, body, version, updated_at) VALUES (?, ?, ?, ?, 1, ?)
                 ON CONFLICT (cite, kind, key) DO NOTHING RETURNING version",
            )
            .bind(cite)
            .bind(entity.kind.as_str())
            .bind(&entity.key)
            .bind(&body)
            .bind(&at)
            .fetch_optional(&mut *tx)
            .await
            .map_err(db)?
        } else {
            sqlx::query_scalar(
                "UPDATE entities SET body = ?, version = version + 1, updated_at = ?
                 WHERE cite = ? AND kind = ? AND key = ? AND version = ? RETURNING version",
            )
            .bind(&body)
            .bind(&at)
            .bind(cite)
            .bind(entity.kind.as_str())
            .bind(&entity.key)
            .bind(expected_i)
            .fetch_optional(&mut *tx)
            .await
            .map_err(db)?
        };
        let Some(version) = version else {
            tx.rollback().await.map_err(db)?;
            let current = self.entity(cite, entity.kind, &entity.key).await?;
            return Err(StoreError::Conflict {
                kind: entity.kind,
                key: entity.key.clone(),
                expected,
                current: current.map(Box::new),
            });
        };
        record_history(
            &mut tx,
            cite,
            entity.kind,
            &entity.key,
            version,
            Some(&body),
            HistoryEvent::Save,
            actor,
            &at,
        )
        .await?;
        bump_version(&mut tx, cite).await?;
        let action = if expected == 0 { "create" } else { "update" };
        let target = format!("{}:{}", entity.kind, entity.key);
        log_activity(
            &mut tx,
            Some(cite),
            actor,
            &at,
            action,
            &target,
            &format!("version {version}"),
        )
        .await?;
        tx.commit().await.map_err(db)?;
        Ok(u64::try_from(version).unwrap_or(0))
    }

    async fn history(
        &self,
        cite: &str,
        kind: EntityKind,
        key: &str,
    ) -> Result<Vec<HistoryEntry>, StoreError> {
        let rows = sqlx::query("SELECT version, body, actor, at, event FROM history WHERE cite = ? AND kind = ? AND key = ? ORDER BY version")
            .bind(cite)
            .bind(kind.as_str())
            .bind(key)
            .fetch_all(&self.pool)
            .await
            .map_err(db)?;
        rows.iter()
            .map(|r| {
                let body: Option<String> = r.get(1);
                let body = body
                    .map(|b| {
                        serde_json::from_str(&b).map_err(|e| {
                            StoreError::Corrupt(format!("history of {kind} `{key}`: {e}"))
                        })
                    })
                    .transpose()?;
                Ok(HistoryEntry {
                    version: u64::try_from(r.get::<i64, _>(0)).unwrap_or(0),
                    body,
                    actor: r.get(2),
                    at: r.get(3),
                    event: HistoryEvent::from_key(&r.get::<String, _>(4)).ok_or_else(|| {
                        StoreError::Corrupt(format!("history of {kind} `{key}`: unknown event"))
                    })?,
                })
            })
            .collect()
    }

    async fn activity(&self, cite: Option<&str>, limit: u32) -> Result<Vec<Activity>, StoreError> {
        let rows = sqlx::query(
            "SELECT actor, at, action, target, detail FROM activity
             WHERE ?1 IS NULL OR cite = ?1 ORDER BY id DESC LIMIT ?2",
        )
        .bind(cite)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await
        .map_err(db)?;
        Ok(rows
            .iter()
            .map(|r| Activity {
                actor: r.get(0),
                at: r.get(1),
                action: r.get(2),
                target: r.get(3),
                detail: r.get(4),
            })
            .collect())
    }

    async fn entities_at_version(&self, cite: &str) -> Result<(Vec<Entity>, u64), StoreError> {
        // One read transaction: the entities and the version of one moment.
        let mut tx = self.pool.begin().await.map_err(db)?;
        let rows = sqlx::query(
            "SELECT kind, key, body FROM entities WHERE cite = ? AND NOT archived ORDER BY kind, key",
        )
        .bind(cite)
        .fetch_all(&mut *tx)
        .await
        .map_err(db)?;
        let version: Option<i64> =
            sqlx::query_scalar("SELECT version FROM cite_versions WHERE cite = ?")
                .bind(cite)
                .fetch_optional(&mut *tx)
                .await
                .map_err(db)?;
        tx.commit().await.map_err(db)?;
        let entities = rows.iter().map(entity_row).collect::<Result<Vec<_>, _>>()?;
        Ok((
            entities,
            version.map_or(0, |v| u64::try_from(v).unwrap_or(0)),
        ))
    }

    async fn version(&self, cite: &str) -> Result<u64, StoreError> {
        let version: Option<i64> =
            sqlx::query_scalar("SELECT version FROM cite_versions WHERE cite = ?")
                .bind(cite)
                .fetch_optional(&self.pool)
                .await
                .map_err(db)?;
        Ok(version.map_or(0, |v| u64::try_from(v).unwrap_or(0)))
    }

    async fn entity_dates(&self, cite: &str) -> Result<Vec<EntityDates>, StoreError> {
        let rows = sqlx::query(
            "SELECT kind, key, MIN(at), MAX(at) FROM history WHERE cite = ? GROUP BY kind, key ORDER BY kind, key",
        )
        .bind(cite)
        .fetch_all(&self.pool)
        .await
        .map_err(db)?;
        rows.iter()
            .map(|r| passerelle_store::rows::entity_dates(r.get(0), r.get(1), r.get(2), r.get(3)))
            .collect()
    }

    async fn versions(&self) -> Result<Vec<(String, u64)>, StoreError> {
        let rows = sqlx::query("SELECT cite, version FROM cite_versions ORDER BY cite")
            .fetch_all(&self.pool)
            .await
            .map_err(db)?;
        Ok(rows
            .iter()
            .map(|r| {
                let version: i64 = r.get(1);
                (r.get(0), u64::try_from(version).unwrap_or(0))
            })
            .collect())
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
            return Err(bad("le fichier existe déjà ; choisissez un autre nom"));
        }
        let target = to
            .to_str()
            .ok_or_else(|| bad("le chemin n'est pas du texte UTF-8"))?;
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
            return Err(bad("ce fichier n'existe pas".into()));
        }
        // Work on a copy: migrations may change it, and the backup stays as it was.
        let copy = from.with_extension(format!("restore-{}.db", std::process::id()));
        std::fs::copy(from, &copy).map_err(|e| bad(e.to_string()))?;
        let result = async {
            let url = format!("sqlite://{}", copy.display());
            let backup = SqliteStore::open(&url)
                .await
                .map_err(|e| bad(format!("ce n'est pas une base Passerelle ({e})")))?;
            let problems = backup.integrity_check().await?;
            backup.close().await;
            if !problems.is_empty() {
                return Err(bad(format!(
                    "la vérification d'intégrité a échoué : {}",
                    problems.join("; ")
                )));
            }
            let path = copy
                .to_str()
                .ok_or_else(|| bad("le chemin n'est pas du texte UTF-8".into()))?
                .to_owned();
            let mut conn = self.pool.acquire().await.map_err(db)?;
            sqlx::query("ATTACH DATABASE ? AS backup")
                .bind(&path)
                .execute(&mut *conn)
                .await
                .map_err(db)?;
            let copied = async {
                let mut tx = sqlx::Connection::begin_with(&mut *conn, "BEGIN IMMEDIATE")
                    .await
                    .map_err(db)?;
                let actor = format!("restore:{}", from.display());
                let at = now();
                // The restore is itself a change: entities it removes get a
                // removal version, and every restored entity a new version,
                // above anything the append-only history already holds.
                sqlx::query(
                    "INSERT INTO main.history (cite, kind, key, version, body, actor, at)
                     SELECT e.cite, e.kind, e.key, e.version + 1, NULL, ?, ? FROM main.entities e
                     WHERE NOT EXISTS (SELECT 1 FROM backup.entities b WHERE b.cite = e.cite AND b.kind = e.kind AND b.key = e.key)",
                )
                .bind(&actor)
                .bind(&at)
                .execute(&mut *tx)
                .await
                .map_err(db)?;
                for statement in [
                    // Every cité the restore touches is at a new version.
                    "INSERT INTO main.cite_versions (cite, version)
                     SELECT cite, 1 FROM (SELECT cite FROM main.entities UNION SELECT cite FROM backup.entities) WHERE true
                     ON CONFLICT (cite) DO UPDATE SET version = cite_versions.version + 1",
                    "DELETE FROM main.entities",
                    "INSERT INTO main.entities SELECT * FROM backup.entities",
                    "DELETE FROM main.imports",
                    "INSERT INTO main.imports SELECT * FROM backup.imports",
                    "UPDATE main.entities SET version = 1 + COALESCE((SELECT MAX(h.version) FROM main.history h
                       WHERE h.cite = entities.cite AND h.kind = entities.kind AND h.key = entities.key), 0)",
                ] {
                    sqlx::query(statement).execute(&mut *tx).await.map_err(db)?;
                }
                sqlx::query(
                    "INSERT INTO main.history (cite, kind, key, version, body, event, actor, at)
                     SELECT cite, kind, key, version, body, CASE archived WHEN 1 THEN 'archive' ELSE 'save' END, ?, ? FROM main.entities",
                )
                .bind(&actor)
                .bind(&at)
                .execute(&mut *tx)
                .await
                .map_err(db)?;
                log_activity(&mut tx, None, &actor, &at, "restore", "database", "").await?;
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
