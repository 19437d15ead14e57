//! The SQLite store, on a real database file.

#![allow(
    clippy::unwrap_used,
    reason = "test helpers: a failed unwrap is a failed test"
)]

use passerelle_domain::{Catalogue, ChangeOp, diff};
use passerelle_store::{CatalogueStore, ImportRecord};
use passerelle_store_sqlite::SqliteStore;

fn roubaix() -> Catalogue {
    passerelle_livret::bundled::roubaix().unwrap().1.catalogue
}

fn record() -> ImportRecord {
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
async fn updates_and_removals_apply_in_place() {
    let store = SqliteStore::open("sqlite::memory:").await.unwrap();
    let mut catalogue = roubaix();
    let first = catalogue.to_entities();
    store
        .apply("roubaix", &first, &diff(&[], &first), &record())
        .await
        .unwrap();
    catalogue.programmes[0].actions[0].title = "Nouveau titre".into();
    catalogue.people.pop();
    let second = catalogue.to_entities();
    let changes = diff(&store.entities("roubaix").await.unwrap(), &second);
    assert_eq!(changes.len(), 2);
    store
        .apply("roubaix", &second, &changes, &record())
        .await
        .unwrap();
    let back = Catalogue::from_entities(store.entities("roubaix").await.unwrap()).unwrap();
    assert_eq!(back, catalogue);
    assert!(diff(&store.entities("roubaix").await.unwrap(), &second).is_empty());
}

#[tokio::test]
async fn an_unknown_cite_has_no_entities() {
    let store = SqliteStore::open("sqlite::memory:").await.unwrap();
    assert!(store.entities("lille").await.unwrap().is_empty());
    assert!(store.cites().await.unwrap().is_empty());
}
