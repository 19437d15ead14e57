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
use passerelle_store::{CatalogueStore, ImportRecord, Store as _, StoreError};
use passerelle_store_sqlite::SqliteStore;

mod accounts;
mod crash;

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

    fn scratch(&self) -> std::path::PathBuf {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().to_owned();
        self.dirs.lock().unwrap().insert(0, dir);
        path
    }

    async fn execute(&self, _store: &SqliteStore, sql: &str) -> Result<(), String> {
        let url = Sqlite::url(self.dirs.lock().unwrap().last().unwrap());
        passerelle_store_tests::execute_on::<sqlx::SqliteConnection>(&url, sql).await
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
