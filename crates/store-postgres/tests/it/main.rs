//! The PostgreSQL store: the conformance suite of the store traits (the
//! same tests as the SQLite store's), each test on a database of its own
//! created in the cluster `PASSERELLE_TEST_POSTGRES_URL` names
//! (`postgres://user@127.0.0.1:5432/postgres`; `.ci/run` starts a
//! throwaway cluster and sets it). Without it the suite is skipped, with a
//! message, unless `PASSERELLE_REQUIRE_POSTGRES=1` (set by CI) makes that a
//! failure.

#![allow(
    clippy::unwrap_used,
    clippy::print_stderr,
    reason = "test helpers: a failed unwrap is a failed test; the skip says so on stderr"
)]

use std::sync::atomic::{AtomicU32, Ordering};

use passerelle_store_postgres::PgStore;

/// Databases made for the tests, in the cluster of `admin_url`.
struct Postgres {
    admin_url: String,
    /// The URL of the last database made.
    last: std::sync::Mutex<Option<String>>,
    /// Directories for files, removed after the test.
    dirs: std::sync::Mutex<Vec<tempfile::TempDir>>,
}

/// `url` with its database replaced by `name` (the query kept).
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, format!("?{q}")),
        None => (url, String::new()),
    };
    let (scheme, rest) = base.split_once("://").unwrap();
    let host = rest.split('/').next().unwrap();
    format!("{scheme}://{host}/{name}{query}")
}

impl Postgres {
    fn from_env() -> Option<Postgres> {
        match std::env::var("PASSERELLE_TEST_POSTGRES_URL") {
            Ok(url) if !url.is_empty() => Some(Postgres {
                admin_url: url,
                last: std::sync::Mutex::new(None),
                dirs: std::sync::Mutex::default(),
            }),
            _ => {
                assert!(
                    std::env::var("PASSERELLE_REQUIRE_POSTGRES").is_err(),
                    "PASSERELLE_REQUIRE_POSTGRES is set but PASSERELLE_TEST_POSTGRES_URL is not"
                );
                eprintln!(
                    "PostgreSQL suite skipped: set PASSERELLE_TEST_POSTGRES_URL (see .ci/run)"
                );
                None
            }
        }
    }
}

#[async_trait::async_trait]
impl passerelle_store_tests::Harness for Postgres {
    type Store = PgStore;
    const FEED: bool = true;

    async fn fresh(&self) -> PgStore {
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let name = format!(
            "passerelle_test_{}_{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::SeqCst)
        );
        let admin = sqlx::PgPool::connect(&self.admin_url).await.unwrap();
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "DROP DATABASE IF EXISTS {name}"
        )))
        .execute(&admin)
        .await
        .unwrap();
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&admin)
            .await
            .unwrap();
        admin.close().await;
        let url = with_database(&self.admin_url, &name);
        let store = PgStore::open(&url).await.unwrap();
        *self.last.lock().unwrap() = Some(url);
        store
    }

    fn scratch(&self) -> std::path::PathBuf {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().to_owned();
        self.dirs.lock().unwrap().push(dir);
        path
    }

    async fn execute(&self, _store: &PgStore, sql: &str) -> Result<(), String> {
        let url = self.last.lock().unwrap().clone().unwrap();
        passerelle_store_tests::execute_on::<sqlx::PgConnection>(&url, sql).await
    }
}

passerelle_store_tests::conformance!(Postgres::from_env());

#[test]
fn a_database_url_gets_another_database_and_keeps_its_options() {
    assert_eq!(
        with_database("postgres://u:p@127.0.0.1:5433/postgres", "t1"),
        "postgres://u:p@127.0.0.1:5433/t1"
    );
    assert_eq!(
        with_database("postgres://u@localhost/postgres?host=/tmp", "t2"),
        "postgres://u@localhost/t2?host=/tmp"
    );
}
