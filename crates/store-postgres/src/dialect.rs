//! What PostgreSQL does its own way — everything else of the store is
//! written once in `passerelle-store` ([`passerelle_store::sql_store!`]).
//! Each difference is here, once: the types, the database's errors (which
//! are `Busy`), how a write and a snapshot begin (READ COMMITTED; a
//! repeatable-read snapshot), the advisory lock of an event's places,
//! `NOTIFY` of a write and the `LISTEN`ing feed, the cités' order (by
//! identity), the claim of deliveries (`FOR UPDATE SKIP LOCKED`), the
//! identities a dump keeps (`OVERRIDING SYSTEM VALUE`, the sequences set
//! after), and backups (written as SQLite files).

use async_trait::async_trait;
use passerelle_store::dump::Table;
use passerelle_store::{ChangeFeed, FeedEvent, StoreError};
use sqlx::Row as _;
use sqlx::postgres::{PgPool, PgPoolOptions};

use crate::PgStore;

pub(crate) type Db = sqlx::Postgres;
pub(crate) type Conn = sqlx::PgConnection;
pub(crate) type Row = sqlx::postgres::PgRow;

pub(crate) use passerelle_store::rows::now;

pub(crate) use crate::sql_common::db;

/// The SQLSTATEs that mean "try again", nothing written: a serialisation
/// failure, a deadlock, a lock not obtained in time.
pub(crate) fn busy_code(code: &str) -> bool {
    matches!(code, "40001" | "40P01" | "55P03")
}

/// Begins a transaction that writes, at READ COMMITTED: every write in it
/// is a conditional statement, or follows a lock of the row it depends on
/// (see `participation.rs`).
pub(crate) async fn begin_write(
    pool: &PgPool,
) -> Result<sqlx::Transaction<'static, sqlx::Postgres>, StoreError> {
    pool.begin().await.map_err(db)
}

/// Begins a transaction that only reads, on one snapshot of the database.
pub(crate) async fn begin_read(
    pool: &PgPool,
) -> Result<sqlx::Transaction<'static, Db>, StoreError> {
    pool.begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        .await
        .map_err(db)
}

/// Locks the event until the transaction ends: the capacity checks of one
/// event (counting the confirmed places, then registering or promoting)
/// run one at a time, at READ COMMITTED. The lock is a transaction-level
/// advisory lock keyed by the cité and the event rather than a `FOR UPDATE`
/// of the event's catalogue row: registrations do not depend on that row
/// being there (archived, renamed), and editing the event is not held up
/// by a burst of registrations.
pub(crate) async fn lock_event(tx: &mut Conn, cite: &str, event: &str) -> Result<(), StoreError> {
    sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended($1 || '/' || $2, 0))")
        .bind(cite)
        .bind(event)
        .execute(&mut *tx)
        .await
        .map_err(db)?;
    Ok(())
}

/// Announces a cité's new version to the other servers (delivered on
/// commit): `NOTIFY` on [`CHANNEL`].
pub(crate) async fn announce(tx: &mut Conn, version: i64, cite: &str) -> Result<(), StoreError> {
    sqlx::query("SELECT pg_notify('passerelle_changes', $1)") // CHANNEL
        .bind(format!("{version} {cite}"))
        .execute(&mut *tx)
        .await
        .map_err(db)?;
    Ok(())
}

/// The cités, in the order they were added (the rows' identity).
pub(crate) const CITES_IN_ORDER: &str =
    "SELECT key FROM entities WHERE kind = 'cite' AND NOT archived ORDER BY id";

/// Takes deliveries: rows another worker holds are skipped, not waited for.
pub(crate) const CLAIM: &str = "UPDATE deliveries SET status = 'sending', next_at = $2
     WHERE (issue, subscriber) IN (SELECT issue, subscriber FROM deliveries
         WHERE status IN ('waiting', 'sending') AND next_at <= $1 LIMIT $3
         FOR UPDATE SKIP LOCKED)
     RETURNING issue, subscriber, attempts";

/// Every score of a call's applications as one JSON array of
/// `[application, reviewer, criterion, value, comment]` (one row, as
/// SQLite's reads them).
pub(crate) const SCORES_OF_CALL: &str = "SELECT CAST(json_agg(json_build_array(s.application, s.reviewer, s.criterion, s.value, s.comment)) AS TEXT)
     FROM scores s JOIN applications a ON a.id = s.application
     WHERE a.cite = $1 AND a.call_id = $2";

/// A call's submitted applications as one JSON array (as SQLite's reads them).
pub(crate) const APPLICATIONS_OF_CALL: &str = "SELECT CAST(json_agg(json_build_array(id, cite, call_id, applicant, state, step, CAST(form AS JSON), created_at, submitted_at, since)) AS TEXT)
     FROM applications WHERE cite = $1 AND call_id = $2 AND submitted_at IS NOT NULL";

/// A cité's funding lines as one JSON array (as SQLite's reads them).
pub(crate) const LINES_OF_CITE: &str = "SELECT CAST(json_agg(json_build_array(fiche, year, funder, scheme, nature, requested, proposed, voted, committed, decision_date, decision_ref, convention_ref, convention_date, CAST(payments AS JSON), version) ORDER BY fiche, year, funder) AS TEXT)
     FROM funding_lines WHERE cite = $1 AND ($2::BIGINT IS NULL OR year = $2)";

/// Every cité's sums by year and funder as one JSON array (as SQLite's
/// reads them).
pub(crate) const SUMS_OF_YEAR: &str = "SELECT CAST(json_agg(json_build_array(cite, year, funder, lines, requested, proposed, voted, committed, paid) ORDER BY cite, year, funder) AS TEXT)
     FROM funding_sums WHERE ($1::BIGINT IS NULL OR year = $1) AND lines > 0";

/// The order a dump reads a table's rows in: by identity where there is
/// one, else by the first column.
pub(crate) fn export_order(table: &Table) -> &'static str {
    if table.keeps_id || table.name == "entities" {
        "id"
    } else {
        table.columns[0].0
    }
}

/// The statement a dump's rows are inserted with: the ids kept where the
/// table's identity is generated.
pub(crate) fn insert_statement(table: &Table) -> String {
    let overriding = if table.keeps_id {
        "OVERRIDING SYSTEM VALUE "
    } else {
        ""
    };
    passerelle_store::dump::insert(table, overriding)
}

/// After a table's rows are inserted with their ids, its next identity
/// follows the copied ones.
pub(crate) async fn after_import(
    tx: &mut sqlx::Transaction<'static, Db>,
    table: &Table,
) -> Result<(), StoreError> {
    if !table.keeps_id {
        return Ok(());
    }
    let sql = format!(
        "SELECT setval(pg_get_serial_sequence('{0}', 'id'), COALESCE((SELECT MAX(id) FROM {0}), 0) + 1, false)",
        table.name
    );
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .execute(&mut **tx)
        .await
        .map_err(db)?;
    Ok(())
}

/// A backup is a SQLite file, whichever database wrote it.
pub(crate) use passerelle_store_sqlite::read_backup;

/// A backup written as a SQLite database (one snapshot of every table):
/// the same format as a SQLite instance's, restorable into either.
pub(crate) async fn backup(
    store: &PgStore,
    to: &std::path::Path,
    target: &str,
) -> Result<(), StoreError> {
    use passerelle_store::Store as _;
    // One snapshot of every table, written as a SQLite database: the
    // same format as a SQLite instance's backups, restorable into either.
    let dump = store.export().await?;
    let file = passerelle_store_sqlite::SqliteStore::open(&format!("sqlite://{target}")).await?;
    let written = file.import(&dump).await;
    file.close().await;
    if written.is_err() {
        let _ = std::fs::remove_file(to);
    }
    written
}

/// PostgreSQL keeps its own pages consistent; what can go wrong is ours:
/// an entity whose version is not the last of its history.
pub(crate) async fn integrity_check(pool: &PgPool) -> Result<Vec<String>, StoreError> {
    // PostgreSQL keeps its own pages consistent; what can go wrong is
    // ours: an entity whose version is not the last of its history.
    let rows = sqlx::query(
        "SELECT e.cite, e.kind, e.key, e.version, MAX(h.version) FROM entities e
         LEFT JOIN history h ON h.cite = e.cite AND h.kind = e.kind AND h.key = e.key
         GROUP BY e.cite, e.kind, e.key, e.version
         HAVING MAX(h.version) IS DISTINCT FROM e.version",
    )
    .fetch_all(pool)
    .await
    .map_err(db)?;
    Ok(rows
        .iter()
        .map(|r| {
            let last: Option<i64> = r.get(4);
            format!(
                "{} {} `{}`: version {}, last in history {}",
                r.get::<String, _>(0),
                r.get::<String, _>(1),
                r.get::<String, _>(2),
                r.get::<i64, _>(3),
                last.map_or_else(|| "none".to_owned(), |v| v.to_string())
            )
        })
        .collect())
}

/// The change feed: `LISTEN` on a connection of its own.
pub(crate) async fn changes(store: &PgStore) -> Result<Option<Box<dyn ChangeFeed>>, StoreError> {
    // A pool of its own, of one connection without time limits, used
    // only to connect again after a loss: the store's pool closes
    // without waiting for the listening connection.
    let own = PgPoolOptions::new()
        .max_connections(1)
        .max_lifetime(None)
        .idle_timeout(None)
        .connect_with(store.options.clone())
        .await
        .map_err(db)?;
    let mut listener = sqlx::postgres::PgListener::connect_with(&own)
        .await
        .map_err(db)?;
    listener.ignore_pool_close_event(true);
    listener.listen(CHANNEL).await.map_err(db)?;
    Ok(Some(Box::new(PgFeed { listener })))
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
