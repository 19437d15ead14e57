//! Saving with versions, history, restore, archive.

use super::*;
use passerelle_domain::{Entity, EntityKind};

async fn seeded() -> (tempfile::TempDir, SqliteStore) {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&format!("sqlite://{}/p.db", dir.path().display()))
        .await
        .unwrap();
    let entities = roubaix().to_entities();
    store
        .apply("roubaix", &entities, &diff(&[], &entities), &record())
        .await
        .unwrap();
    (dir, store)
}

const FICHE_1: &str = "programmation-2020-2022/fiche-1";

fn retitled(e: &Entity, title: &str) -> Entity {
    let mut e = e.clone();
    e.body["title"] = serde_json::Value::String(title.to_owned());
    e
}

#[tokio::test]
async fn after_a_restore_editing_goes_on_and_history_keeps_everything() {
    let (dir, store) = seeded().await;
    let backup = dir.path().join("b.db");
    store.backup(&backup).await.unwrap();
    let start = store
        .entity("roubaix", EntityKind::Action, FICHE_1)
        .await
        .unwrap()
        .unwrap();
    store
        .save(
            "roubaix",
            &retitled(&start.entity, "Après sauvegarde"),
            1,
            "alice",
        )
        .await
        .unwrap();
    store.restore(&backup).await.unwrap();
    let restored = store
        .entity("roubaix", EntityKind::Action, FICHE_1)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(restored.entity.body, start.entity.body);
    assert_eq!(restored.version, 3);
    let v = store
        .save("roubaix", &retitled(&restored.entity, "Encore"), 3, "bruno")
        .await
        .unwrap();
    assert_eq!(v, 4);
    let versions: Vec<u64> = store
        .history("roubaix", EntityKind::Action, FICHE_1)
        .await
        .unwrap()
        .iter()
        .map(|h| h.version)
        .collect();
    assert_eq!(versions, [1, 2, 3, 4]);
}
