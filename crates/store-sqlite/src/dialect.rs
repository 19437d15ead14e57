//! What SQLite does its own way — everything else of the store is written
//! once in `passerelle-store` ([`passerelle_store::sql_store!`]). Each
//! difference is here, once: the types, the database's errors, how a write
//! and a snapshot begin, the event lock (none: one writer at a time), the
//! announcement of a write (none: one server), the cités' order, the claim
//! of deliveries, a dump's order and insertion, backups, and the change
//! feed (none).

use passerelle_store::dump::Table;
use passerelle_store::{ChangeFeed, StoreError};
use sqlx::Row as _;
use sqlx::sqlite::SqlitePool;

use crate::SqliteStore;

pub(crate) type Db = sqlx::Sqlite;
pub(crate) type Conn = sqlx::SqliteConnection;
pub(crate) type Row = sqlx::sqlite::SqliteRow;

pub(crate) use passerelle_store::rows::now;

pub(crate) use crate::sql_common::db;

/// The codes that mean the database is locked (`SQLITE_BUSY`,
/// `SQLITE_LOCKED` and their extended codes): `StoreError::Busy`, the
/// transaction to try again.
pub(crate) fn busy_code(code: &str) -> bool {
    // The primary code is the low byte of an extended one.
    code.parse::<i32>().is_ok_and(|c| matches!(c & 0xff, 5 | 6))
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
            Err(e) if crate::sql_common::is_busy(&e) && attempt < WRITE_ATTEMPTS => {
                // The busy timeout has already waited: try again at once.
                tracing::warn!(error = %e, attempt, "database locked, beginning the write again");
                attempt += 1;
            }
            Err(e) => return Err(db(e)),
        }
    }
}

/// Begins a transaction that only reads: in WAL mode, its first read fixes
/// the snapshot every later read of it sees.
pub(crate) async fn begin_read(
    pool: &SqlitePool,
) -> Result<sqlx::Transaction<'static, Db>, StoreError> {
    pool.begin().await.map_err(db)
}

/// Nothing to lock: a write transaction begins `IMMEDIATE`, alone, so the
/// places it counts cannot change before it writes.
pub(crate) async fn lock_event(_: &mut Conn, _: &str, _: &str) -> Result<(), StoreError> {
    Ok(())
}

/// Nothing to announce: a SQLite database has one server.
pub(crate) async fn announce(_: &mut Conn, _: i64, _: &str) -> Result<(), StoreError> {
    Ok(())
}

/// The cités, in the order they were added (the rows' `rowid`).
pub(crate) const CITES_IN_ORDER: &str =
    "SELECT key FROM entities WHERE kind = 'cite' AND NOT archived ORDER BY rowid";

/// Takes deliveries: one writer at a time, so the rows taken are nobody
/// else's.
pub(crate) const CLAIM: &str = "UPDATE deliveries SET status = 'sending', next_at = $2
     WHERE (issue, subscriber) IN (SELECT issue, subscriber FROM deliveries
         WHERE status IN ('waiting', 'sending') AND next_at <= $1 LIMIT $3)
     RETURNING issue, subscriber, attempts";

/// Every score of a call's applications as one JSON array of
/// `[application, reviewer, criterion, value, comment]` (one row, not one
/// per score: the driver hands each row across threads).
pub(crate) const SCORES_OF_CALL: &str = "SELECT json_group_array(json_array(s.application, s.reviewer, s.criterion, s.value, s.comment))
     FROM scores s JOIN applications a ON a.id = s.application
     WHERE a.cite = $1 AND a.call_id = $2";

/// A call's submitted applications as one JSON array of
/// `[id, cite, call, applicant, state, step, form, created_at,
/// submitted_at, since]`, the form as JSON.
pub(crate) const APPLICATIONS_OF_CALL: &str = "SELECT json_group_array(json_array(id, cite, call_id, applicant, state, step, json(form), created_at, submitted_at, since))
     FROM applications WHERE cite = $1 AND call_id = $2 AND submitted_at IS NOT NULL";

/// A cité's funding lines (of one year, if `$2` is not null) as one JSON
/// array of `[fiche, year, funder, scheme, nature, requested, proposed,
/// voted, committed, decision_date, decision_ref, convention_ref,
/// convention_date, payments, version]`, the payments as JSON: one row
/// to hand over rather than one per line.
pub(crate) const LINES_OF_CITE: &str = "SELECT json_group_array(json_array(fiche, year, funder, scheme, nature, requested, proposed, voted, committed, decision_date, decision_ref, convention_ref, convention_date, json(payments), version))
     FROM (SELECT * FROM funding_lines WHERE cite = $1 AND ($2 IS NULL OR year = $2)
           ORDER BY fiche, year, funder)";

/// Every cité's sums by year and funder (of one year, if `$1` is not
/// null) as one JSON array of `[cite, year, funder, lines, requested, proposed, voted, committed, paid]`.
pub(crate) const SUMS_OF_YEAR: &str = "SELECT json_group_array(json_array(cite, year, funder, lines, requested, proposed, voted, committed, paid))
     FROM (SELECT * FROM funding_sums WHERE ($1 IS NULL OR year = $1) AND lines > 0
           ORDER BY cite, year, funder)";

/// The order a dump reads a table's rows in: as they were inserted.
pub(crate) fn export_order(_: &Table) -> &'static str {
    "rowid"
}

/// The statement a dump's rows are inserted with.
pub(crate) fn insert_statement(table: &Table) -> String {
    passerelle_store::dump::insert(table, "")
}

/// Nothing follows an import: SQLite's ids follow the largest one.
pub(crate) async fn after_import(
    _: &mut sqlx::Transaction<'static, Db>,
    _: &Table,
) -> Result<(), StoreError> {
    Ok(())
}

/// No change feed: this server is the database's only writer.
pub(crate) async fn changes(_: &SqliteStore) -> Result<Option<Box<dyn ChangeFeed>>, StoreError> {
    Ok(None)
}

/// A copy of the database at `target` (its path checked): `VACUUM INTO` reads one consistent
/// snapshot, and writers are not blocked.
pub(crate) async fn backup(
    store: &SqliteStore,
    _to: &std::path::Path,
    target: &str,
) -> Result<(), StoreError> {
    // VACUUM INTO reads one consistent snapshot (a read transaction): writers
    // on other connections are not blocked, and the copy is compact.
    sqlx::query("VACUUM INTO ?")
        .bind(target)
        .execute(&store.pool)
        .await
        .map_err(db)?;
    Ok(())
}

/// The rows of the backup at `from` (a SQLite file, whichever database
/// wrote it), read from a copy (migrations may change it; the backup stays
/// as it was) once its integrity is checked: what a restore puts back.
pub async fn read_backup(
    from: &std::path::Path,
) -> Result<passerelle_store::dump::Dump, StoreError> {
    use passerelle_store::Store as _;
    let bad = |reason: String| StoreError::Backup {
        path: from.display().to_string(),
        reason,
    };
    if !from.is_file() {
        return Err(bad("ce fichier n'existe pas".into()));
    }
    let copy = from.with_extension(format!("restore-{}.db", std::process::id()));
    std::fs::copy(from, &copy).map_err(|e| bad(e.to_string()))?;
    let read = async {
        let backup = SqliteStore::open(&format!("sqlite://{}", copy.display()))
            .await
            .map_err(|e| bad(format!("ce n'est pas une sauvegarde Passerelle ({e})")))?;
        let problems = integrity_check(&backup.pool).await?;
        let dump = backup.export().await;
        backup.close().await;
        if !problems.is_empty() {
            return Err(bad(format!(
                "la vérification d'intégrité a échoué : {}",
                problems.join("; ")
            )));
        }
        dump
    }
    .await;
    let _ = std::fs::remove_file(&copy);
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", copy.display()));
    }
    read
}

/// `PRAGMA integrity_check`: what it finds wrong.
pub(crate) async fn integrity_check(pool: &SqlitePool) -> Result<Vec<String>, StoreError> {
    let rows = sqlx::query("PRAGMA integrity_check")
        .fetch_all(pool)
        .await
        .map_err(db)?;
    let out: Vec<String> = rows
        .iter()
        .map(|r| r.get::<String, _>(0))
        .filter(|s| s != "ok")
        .collect();
    Ok(out)
}
