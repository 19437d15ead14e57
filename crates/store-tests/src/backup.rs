//! Backups (a SQLite file, whichever the database) and restores.

use passerelle_domain::{Catalogue, EntityKind, diff};
use passerelle_store::{CatalogueStore, Store as _};

use crate::{FICHE_1, Harness, record, retitled, roubaix, seeded};

pub async fn a_backup_taken_during_writes_is_consistent_and_restores_exactly<H: Harness>(h: &H) {
    let dir = h.scratch();
    let store = h.fresh().await;
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
    let backup = dir.join("sauvegarde.db");
    store.backup(&backup).await.unwrap();
    writer.await.unwrap();

    // The backup is a database of its own, whole, holding one of the states.
    let copy =
        passerelle_store_sqlite::SqliteStore::open(&format!("sqlite://{}", backup.display()))
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

pub async fn backup_refuses_to_overwrite_and_restore_refuses_what_is_not_a_backup<H: Harness>(
    h: &H,
) {
    let dir = h.scratch();
    let store = h.fresh().await;
    let existing = dir.join("existe.db");
    std::fs::write(&existing, b"x").unwrap();
    let err = store.backup(&existing).await.unwrap_err().to_string();
    assert!(err.contains("existe déjà"), "{err}");
    let junk = dir.join("pas-une-base.db");
    std::fs::write(&junk, b"ceci n'est pas une base SQLite").unwrap();
    let err = store.restore(&junk).await.unwrap_err().to_string();
    assert!(err.contains("est inutilisable"), "{err}");
    assert!(store.restore(&dir.join("absent.db")).await.is_err());
}

pub async fn after_a_restore_editing_goes_on_and_history_keeps_everything<H: Harness>(h: &H) {
    let dir = h.scratch();
    let store = seeded(h).await;
    let backup = dir.join("b.db");
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
