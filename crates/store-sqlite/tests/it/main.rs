//! The SQLite store, on a real database file: the catalogue and backups
//! here; editing, accounts, crash safety and participation in their modules.

#![allow(
    clippy::unwrap_used,
    reason = "test helpers: a failed unwrap is a failed test"
)]
#![allow(
    clippy::print_stdout,
    reason = "the crash test's writer reports to its parent on stdout"
)]

use passerelle_domain::{Catalogue, ChangeOp, EntityKind, diff};
use passerelle_store::{CatalogueStore, ImportRecord, StoreError};
use passerelle_store_sqlite::SqliteStore;

mod accounts;
mod crash;
mod editing;

/// The conformance suite of the store traits, on SQLite files.
#[derive(Default)]
struct Sqlite {
    /// The databases' directories, removed after the test.
    dirs: std::sync::Mutex<Vec<tempfile::TempDir>>,
}

#[async_trait::async_trait]
impl passerelle_store_tests::Harness for Sqlite {
    type Store = SqliteStore;
    const FEED: bool = false;

    async fn fresh(&self) -> SqliteStore {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(&Sqlite::url(&dir)).await.unwrap();
        self.dirs.lock().unwrap().push(dir);
        store
    }

    async fn execute(&self, _store: &SqliteStore, sql: &str) -> Result<(), String> {
        let url = Sqlite::url(self.dirs.lock().unwrap().last().unwrap());
        let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
        let done = sqlx::query(sqlx::AssertSqlSafe(sql.to_owned()))
            .execute(&pool)
            .await
            .map(|_| ())
            .map_err(|e| e.to_string());
        pool.close().await;
        done
    }
}

impl Sqlite {
    fn url(dir: &tempfile::TempDir) -> String {
        format!("sqlite://{}/p.db", dir.path().display())
    }
}

passerelle_store_tests::conformance!(Some(Sqlite::default()));

pub(crate) fn roubaix() -> Catalogue {
    passerelle_livret::bundled::roubaix().unwrap().1.catalogue
}

pub(crate) fn record() -> ImportRecord {
    ImportRecord {
        source: "test".into(),
        added: 0,
        updated: 0,
        removed: 0,
        report: "[]".into(),
    }
}

#[tokio::test]
async fn a_catalogue_written_then_reopened_reads_back_identical() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/p.db", dir.path().display());
    let catalogue = roubaix();
    let entities = catalogue.to_entities();
    {
        let store = SqliteStore::open(&url).await.unwrap();
        let changes = diff(&store.entities("roubaix").await.unwrap(), &entities);
        assert!(changes.iter().all(|c| c.op == ChangeOp::Added));
        store
            .apply("roubaix", &entities, &changes, &record())
            .await
            .unwrap();
        store.close().await;
    }
    let store = SqliteStore::open(&url).await.unwrap();
    assert_eq!(store.cites().await.unwrap(), ["roubaix"]);
    let back = Catalogue::from_entities(store.entities("roubaix").await.unwrap()).unwrap();
    assert_eq!(back, catalogue);
    assert!(store.integrity_check().await.unwrap().is_empty());
}

#[tokio::test]
async fn a_backup_taken_during_writes_is_consistent_and_restores_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/p.db", dir.path().display());
    let store = SqliteStore::open(&url).await.unwrap();
    let catalogue = roubaix();
    let first = catalogue.to_entities();
    store
        .apply("roubaix", &first, &diff(&[], &first), &record())
        .await
        .unwrap();

    // A writer keeps retitling fiche 1 while the backup is taken.
    let writer = {
        let store = store.clone();
        let catalogue = catalogue.clone();
        tokio::spawn(async move {
            for i in 0..40 {
                let mut c = catalogue.clone();
                c.programmes[0].actions[0].title = format!("Titre {i}");
                let new = c.to_entities();
                let changes = diff(&store.entities("roubaix").await.unwrap(), &new);
                store
                    .apply("roubaix", &new, &changes, &record())
                    .await
                    .unwrap();
            }
        })
    };
    let backup = dir.path().join("sauvegarde.db");
    store.backup(&backup).await.unwrap();
    writer.await.unwrap();

    // The backup is a database of its own, whole, holding one of the states.
    let copy = SqliteStore::open(&format!("sqlite://{}", backup.display()))
        .await
        .unwrap();
    assert!(copy.integrity_check().await.unwrap().is_empty());
    let saved = Catalogue::from_entities(copy.entities("roubaix").await.unwrap()).unwrap();
    assert_eq!(saved.programmes[0].actions.len(), 27);
    copy.close().await;

    // Restoring gives back exactly what was saved.
    store.restore(&backup).await.unwrap();
    let back = Catalogue::from_entities(store.entities("roubaix").await.unwrap()).unwrap();
    assert_eq!(back, saved);
    assert!(store.integrity_check().await.unwrap().is_empty());
    assert!(backup.exists(), "the backup file is kept");
}

#[tokio::test]
async fn backup_refuses_to_overwrite_and_restore_refuses_what_is_not_a_backup() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&format!("sqlite://{}/p.db", dir.path().display()))
        .await
        .unwrap();
    let existing = dir.path().join("existe.db");
    std::fs::write(&existing, b"x").unwrap();
    let err = store.backup(&existing).await.unwrap_err().to_string();
    assert!(err.contains("exists already"), "{err}");
    let junk = dir.path().join("pas-une-base.db");
    std::fs::write(&junk, b"ceci n'est pas une base SQLite").unwrap();
    let err = store.restore(&junk).await.unwrap_err().to_string();
    assert!(err.contains("cannot be used"), "{err}");
    assert!(store.restore(&dir.path().join("absent.db")).await.is_err());
}

#[tokio::test]
async fn a_write_meeting_a_lock_held_too_long_is_busy_with_sqlite_s_code_and_writes_nothing() {
    use sqlx::Connection as _;
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/p.db", dir.path().display());
    let store = SqliteStore::open_waiting(&url, std::time::Duration::from_millis(50))
        .await
        .unwrap();
    let entities = roubaix().to_entities();
    store
        .apply("roubaix", &entities, &diff(&[], &entities), &record())
        .await
        .unwrap();
    let current = store
        .entity("roubaix", EntityKind::Organisation, "citeo")
        .await
        .unwrap()
        .unwrap();
    // Another process holds the database's write lock.
    let mut other = sqlx::SqliteConnection::connect(&url).await.unwrap();
    sqlx::query("BEGIN EXCLUSIVE")
        .execute(&mut other)
        .await
        .unwrap();
    let e = store
        .save("roubaix", &current.entity, current.version, "test")
        .await
        .unwrap_err();
    let StoreError::Busy(source) = &e else {
        panic!("a locked database is busy, not {e:?}");
    };
    let cause = source.to_string();
    assert!(cause.contains("(code: 5) database is locked"), "{cause}");
    sqlx::query("COMMIT").execute(&mut other).await.unwrap();
    // Nothing was written; once the lock is gone, the same save succeeds.
    let after = store
        .entity("roubaix", EntityKind::Organisation, "citeo")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(after.version, current.version);
    assert_eq!(
        store
            .save("roubaix", &current.entity, current.version, "test")
            .await
            .unwrap(),
        current.version + 1
    );
}
