//! Crash safety: a writer process is killed (SIGKILL) in the middle of a
//! burst of saves; every save it had acknowledged must be in the database.

use super::*;
use passerelle_domain::{Entity, EntityKind};
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

const DB_VAR: &str = "PASSERELLE_CRASH_TEST_DB";

fn counter(n: u64) -> Entity {
    Entity {
        kind: EntityKind::Seminar,
        key: "compteur".into(),
        body: serde_json::json!({ "n": n }),
    }
}

/// The child: saves forever, printing each acknowledged version. Does
/// nothing when run as an ordinary test.
#[tokio::test]
async fn writer_child() {
    let Ok(path) = std::env::var(DB_VAR) else {
        return;
    };
    let store = SqliteStore::open(&format!("sqlite://{path}"))
        .await
        .unwrap();
    let mut version = 0;
    loop {
        version = store
            .save("roubaix", &counter(version + 1), version, "crash-test")
            .await
            .unwrap();
        println!("ack {version}");
    }
}

#[tokio::test]
async fn every_acknowledged_write_survives_a_sigkill() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crash.db");
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "crash::writer_child",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(DB_VAR, &path)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut last_ack = 0u64;
    for line in BufReader::new(child.stdout.take().unwrap()).lines() {
        let line = line.unwrap();
        if let Some(v) = line.strip_prefix("ack ") {
            last_ack = v.parse().unwrap();
            if last_ack >= 200 {
                break;
            }
        }
    }
    child.kill().unwrap(); // SIGKILL, mid-burst: the writer is still saving.
    child.wait().unwrap();
    assert!(last_ack >= 200, "the writer acknowledged {last_ack} saves");

    let store = SqliteStore::open(&format!("sqlite://{}", path.display()))
        .await
        .unwrap();
    assert!(store.integrity_check().await.unwrap().is_empty());
    let stored = store
        .entity("roubaix", EntityKind::Seminar, "compteur")
        .await
        .unwrap()
        .unwrap();
    assert!(
        stored.version >= last_ack,
        "acknowledged {last_ack}, found {}",
        stored.version
    );
    assert_eq!(
        stored.entity.body["n"], stored.version,
        "the body of the version found"
    );
    let history = store
        .history("roubaix", EntityKind::Seminar, "compteur")
        .await
        .unwrap();
    let versions: Vec<u64> = history.iter().map(|h| h.version).collect();
    assert_eq!(
        versions,
        (1..=stored.version).collect::<Vec<_>>(),
        "no acknowledged version lost"
    );
}
