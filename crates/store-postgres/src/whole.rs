//! The whole database at once: `export`, `import` and `counts` of every
//! row (for `passerelle migrate`), the change feed of other servers'
//! writes, and restoring a backup's catalogue.

use async_trait::async_trait;
use passerelle_store::{ChangeFeed, FeedEvent, StoreError};
use sqlx::Row;
use sqlx::postgres::{PgPool, PgPoolOptions};

use crate::{PgStore, begin_write, bump_version, db, log_activity, now};

#[async_trait]
impl passerelle_store::Store for PgStore {
    async fn close(&self) {
        self.pool.close().await;
    }

    async fn export(&self) -> Result<passerelle_store::dump::Dump, StoreError> {
        use passerelle_store::dump::{self, TABLES};
        // One snapshot for every table.
        let mut tx = self
            .pool
            .begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            .await
            .map_err(db)?;
        let mut all = Vec::new();
        for table in TABLES {
            let order = if table.keeps_id || table.name == "entities" {
                "id"
            } else {
                table.columns[0].0
            };
            // Table and column names come from `TABLES` only.
            let rows = sqlx::query(sqlx::AssertSqlSafe(dump::select(table, order)))
                .fetch_all(&mut *tx)
                .await
                .map_err(db)?;
            all.push(
                rows.iter()
                    .map(|r| cells(r, table))
                    .collect::<Result<Vec<_>, _>>()?,
            );
        }
        tx.commit().await.map_err(db)?;
        Ok(dump::Dump { rows: all })
    }

    async fn import(&self, dump: &passerelle_store::dump::Dump) -> Result<(), StoreError> {
        use passerelle_store::dump::{self, Cell, Kind, TABLES};
        let mut tx = begin_write(&self.pool).await?;
        for table in TABLES {
            let sql = format!("SELECT EXISTS (SELECT 1 FROM {})", table.name);
            let any: bool = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
                .fetch_one(&mut *tx)
                .await
                .map_err(db)?;
            if any {
                return Err(StoreError::NotEmpty(table.name));
            }
        }
        for (table, rows) in TABLES.iter().zip(&dump.rows) {
            let overriding = if table.keeps_id {
                "OVERRIDING SYSTEM VALUE "
            } else {
                ""
            };
            let sql = dump::insert(table, true, overriding);
            for row in rows {
                let mut query = sqlx::query(sqlx::AssertSqlSafe(sql.clone()));
                for ((_, kind), cell) in table.columns.iter().zip(row) {
                    query = match (kind, cell) {
                        (_, Cell::Text(v)) => query.bind(v.clone()),
                        (_, Cell::Int(v)) => query.bind(*v),
                        (_, Cell::Bool(v)) => query.bind(*v),
                        (Kind::Text, Cell::Null) => query.bind(None::<String>),
                        (Kind::Int, Cell::Null) => query.bind(None::<i64>),
                        (Kind::Bool, Cell::Null) => query.bind(None::<bool>),
                    };
                }
                query.execute(&mut *tx).await.map_err(db)?;
            }
            if table.keeps_id {
                // The next identity follows the copied ones.
                let sql = format!(
                    "SELECT setval(pg_get_serial_sequence('{0}', 'id'), COALESCE((SELECT MAX(id) FROM {0}), 0) + 1, false)",
                    table.name
                );
                sqlx::query(sqlx::AssertSqlSafe(sql))
                    .execute(&mut *tx)
                    .await
                    .map_err(db)?;
            }
        }
        tx.commit().await.map_err(db)
    }

    async fn counts(&self) -> Result<Vec<(&'static str, usize)>, StoreError> {
        let mut out = Vec::new();
        for table in passerelle_store::dump::TABLES {
            let sql = format!("SELECT COUNT(*) FROM {}", table.name);
            let n: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
                .fetch_one(&self.pool)
                .await
                .map_err(db)?;
            out.push((table.name, usize::try_from(n).unwrap_or(0)));
        }
        Ok(out)
    }

    async fn changes(&self) -> Result<Option<Box<dyn ChangeFeed>>, StoreError> {
        // A pool of its own, of one connection without time limits, used
        // only to connect again after a loss: the store's pool closes
        // without waiting for the listening connection.
        let own = PgPoolOptions::new()
            .max_connections(1)
            .max_lifetime(None)
            .idle_timeout(None)
            .connect_with(self.options.clone())
            .await
            .map_err(db)?;
        let mut listener = sqlx::postgres::PgListener::connect_with(&own)
            .await
            .map_err(db)?;
        listener.ignore_pool_close_event(true);
        listener.listen(CHANNEL).await.map_err(db)?;
        Ok(Some(Box::new(PgFeed { listener })))
    }
}

/// The channel every catalogue write is announced on: `<version> <cité>`.
const CHANNEL: &str = "passerelle_changes";

/// The notifications of [`CHANNEL`], on a connection of their own (it must
/// reach PostgreSQL directly: a transaction-pooling PgBouncer does not
/// carry `LISTEN`).
struct PgFeed {
    listener: sqlx::postgres::PgListener,
}

/// A notification's payload, `<version> <cité>`.
fn parse_payload(payload: &str) -> Option<FeedEvent> {
    let (version, cite) = payload.split_once(' ')?;
    Some(FeedEvent::Changed {
        cite: cite.to_owned(),
        version: version.parse().ok()?,
    })
}

#[async_trait]
impl ChangeFeed for PgFeed {
    async fn next(&mut self) -> Result<FeedEvent, StoreError> {
        // `None`: the connection was lost; it is made again, and the channel
        // listened to again, by the next call. What was sent meanwhile is lost.
        match self.listener.try_recv().await.map_err(db)? {
            Some(notification) => {
                Ok(parse_payload(notification.payload()).unwrap_or(FeedEvent::Resync))
            }
            None => Ok(FeedEvent::Resync),
        }
    }
}

/// A row of a [`passerelle_store::dump::Table`], as cells.
fn cells(
    r: &sqlx::postgres::PgRow,
    table: &passerelle_store::dump::Table,
) -> Result<Vec<passerelle_store::dump::Cell>, StoreError> {
    use passerelle_store::dump::{Cell, Kind};
    table
        .columns
        .iter()
        .enumerate()
        .map(|(i, (name, kind))| {
            let cell = match kind {
                Kind::Text => r
                    .try_get::<Option<String>, _>(i)
                    .map(|v| v.map_or(Cell::Null, Cell::Text)),
                Kind::Int => r
                    .try_get::<Option<i64>, _>(i)
                    .map(|v| v.map_or(Cell::Null, Cell::Int)),
                Kind::Bool => r
                    .try_get::<Option<bool>, _>(i)
                    .map(|v| v.map_or(Cell::Null, Cell::Bool)),
            };
            cell.map_err(|e| StoreError::Corrupt(format!("{}.{name}: {e}", table.name)))
        })
        .collect()
}

/// Replaces every cité's entities and imports by a backup's, in one
/// transaction, as the SQLite store does: the restore is itself a change
/// (entities it removes get a removal version, every restored entity a new
/// version above what the append-only history holds), and every cité it
/// touches is at a new version.
pub(crate) async fn restore_catalogue(
    pool: &PgPool,
    entities: &[Vec<passerelle_store::dump::Cell>],
    imports: &[Vec<passerelle_store::dump::Cell>],
    from: &std::path::Path,
) -> Result<(), StoreError> {
    use passerelle_store::dump::Cell;
    let text = |c: &Cell| match c {
        Cell::Text(t) => Some(t.clone()),
        _ => None,
    };
    let int = |c: &Cell| match c {
        Cell::Int(i) => Some(*i),
        _ => None,
    };
    let actor = format!("restore:{}", from.display());
    let at = now();
    let mut tx = begin_write(pool).await?;
    sqlx::query(
        "CREATE TEMPORARY TABLE restored (ord BIGINT, cite TEXT, kind TEXT, key TEXT, body TEXT, updated_at TEXT, archived BOOLEAN) ON COMMIT DROP",
    )
    .execute(&mut *tx)
    .await
    .map_err(db)?;
    for (ord, row) in entities.iter().enumerate() {
        // cite, kind, key, body, version, updated_at, archived
        let archived = matches!(row.get(6), Some(Cell::Bool(true)));
        sqlx::query("INSERT INTO restored VALUES ($1, $2, $3, $4, $5, $6, $7)")
            .bind(i64::try_from(ord).unwrap_or(i64::MAX))
            .bind(row.first().and_then(text))
            .bind(row.get(1).and_then(text))
            .bind(row.get(2).and_then(text))
            .bind(row.get(3).and_then(text))
            .bind(row.get(5).and_then(text))
            .bind(archived)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
    }
    let cites: Vec<String> =
        sqlx::query_scalar("SELECT cite FROM entities UNION SELECT cite FROM restored")
            .fetch_all(&mut *tx)
            .await
            .map_err(db)?;
    sqlx::query(
        "INSERT INTO history (cite, kind, key, version, body, actor, at)
         SELECT e.cite, e.kind, e.key, e.version + 1, NULL, $1, $2 FROM entities e
         WHERE NOT EXISTS (SELECT 1 FROM restored b WHERE b.cite = e.cite AND b.kind = e.kind AND b.key = e.key)",
    )
    .bind(&actor)
    .bind(&at)
    .execute(&mut *tx)
    .await
    .map_err(db)?;
    for statement in [
        "DELETE FROM entities",
        "INSERT INTO entities (cite, kind, key, body, version, updated_at, archived)
         SELECT cite, kind, key, body, 1, updated_at, archived FROM restored ORDER BY ord",
        "DELETE FROM imports",
        "UPDATE entities SET version = 1 + COALESCE((SELECT MAX(h.version) FROM history h
           WHERE h.cite = entities.cite AND h.kind = entities.kind AND h.key = entities.key), 0)",
    ] {
        sqlx::query(statement).execute(&mut *tx).await.map_err(db)?;
    }
    for row in imports {
        // id, cite, source, at, added, updated, removed, report
        sqlx::query(
            "INSERT INTO imports (id, cite, source, at, added, updated, removed, report)
             OVERRIDING SYSTEM VALUE VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(row.first().and_then(int))
        .bind(row.get(1).and_then(text))
        .bind(row.get(2).and_then(text))
        .bind(row.get(3).and_then(text))
        .bind(row.get(4).and_then(int))
        .bind(row.get(5).and_then(int))
        .bind(row.get(6).and_then(int))
        .bind(row.get(7).and_then(text))
        .execute(&mut *tx)
        .await
        .map_err(db)?;
    }
    sqlx::query(
        "SELECT setval(pg_get_serial_sequence('imports', 'id'), COALESCE((SELECT MAX(id) FROM imports), 0) + 1, false)",
    )
    .execute(&mut *tx)
    .await
    .map_err(db)?;
    sqlx::query(
        "INSERT INTO history (cite, kind, key, version, body, event, actor, at)
         SELECT cite, kind, key, version, body, CASE WHEN archived THEN 'archive' ELSE 'save' END, $1, $2 FROM entities",
    )
    .bind(&actor)
    .bind(&at)
    .execute(&mut *tx)
    .await
    .map_err(db)?;
    for cite in &cites {
        bump_version(&mut tx, cite).await?;
    }
    log_activity(&mut tx, None, &actor, &at, "restore", "database", "").await?;
    tx.commit().await.map_err(db)
}
