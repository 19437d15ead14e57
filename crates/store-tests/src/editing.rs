//! Saving with versions, history, archive.

use passerelle_domain::{Entity, EntityKind, diff};
use passerelle_store::{CatalogueStore, StoreError};

use crate::{FICHE_1, Harness, record, retitled, roubaix, seeded};

pub async fn of_two_concurrent_edits_one_wins_and_the_other_gets_what_changed<H: Harness>(h: &H) {
    let store = seeded(h).await;
    let start = store
        .entity("roubaix", EntityKind::Action, FICHE_1)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(start.version, 1);
    let (ea, eb) = (
        retitled(&start.entity, "Titre A"),
        retitled(&start.entity, "Titre B"),
    );
    let (a, b) = tokio::join!(
        store.save("roubaix", &ea, start.version, "alice"),
        store.save("roubaix", &eb, start.version, "bruno"),
    );
    let (won, lost) = match (a, b) {
        (Ok(v), Err(e)) => ((v, "Titre A"), e),
        (Err(e), Ok(v)) => ((v, "Titre B"), e),
        other => panic!("exactly one save must win: {other:?}"),
    };
    assert_eq!(won.0, 2);
    match lost {
        StoreError::Conflict {
            expected,
            current: Some(current),
            ..
        } => {
            assert_eq!(expected, 1);
            assert_eq!(current.version, 2);
            assert_eq!(
                current.entity.body["title"], won.1,
                "the loser sees what changed meanwhile"
            );
        }
        other => panic!("expected a conflict, got {other}"),
    }
    let now = store
        .entity("roubaix", EntityKind::Action, FICHE_1)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        now.entity.body["title"], won.1,
        "nothing silently overwritten"
    );
}

pub async fn an_edit_then_restoring_the_previous_version_gives_it_back_exactly<H: Harness>(h: &H) {
    let store = seeded(h).await;
    let original = store
        .entity("roubaix", EntityKind::Action, FICHE_1)
        .await
        .unwrap()
        .unwrap();
    let v2 = store
        .save(
            "roubaix",
            &retitled(&original.entity, "Modifié"),
            1,
            "alice",
        )
        .await
        .unwrap();
    let history = store
        .history("roubaix", EntityKind::Action, FICHE_1)
        .await
        .unwrap();
    assert_eq!(
        history
            .iter()
            .map(|h| (h.version, h.actor.as_str()))
            .collect::<Vec<_>>(),
        [(1, "import:test"), (2, "alice")]
    );
    let previous = Entity {
        kind: EntityKind::Action,
        key: FICHE_1.into(),
        body: history[0].body.clone().unwrap(),
    };
    store.save("roubaix", &previous, v2, "alice").await.unwrap();
    let restored = store
        .entity("roubaix", EntityKind::Action, FICHE_1)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(restored.entity.body, original.entity.body);
    assert_eq!(
        restored.version, 3,
        "a restore is a new version, not a rewrite of history"
    );
    let log = store.activity(Some("roubaix"), 10).await.unwrap();
    assert_eq!(log[0].actor, "alice");
    assert_eq!(log[0].target, format!("action:{FICHE_1}"));
}

pub async fn creating_twice_conflicts_and_missing_entities_are_none<H: Harness>(h: &H) {
    let store = seeded(h).await;
    let new = Entity {
        kind: EntityKind::Person,
        key: "nouvelle-personne".into(),
        body: serde_json::json!({"slug": "nouvelle-personne"}),
    };
    assert_eq!(store.save("roubaix", &new, 0, "alice").await.unwrap(), 1);
    assert!(matches!(
        store.save("roubaix", &new, 0, "bruno").await,
        Err(StoreError::Conflict { .. })
    ));
    assert!(
        store
            .entity("roubaix", EntityKind::Person, "personne")
            .await
            .unwrap()
            .is_none()
    );
}

pub async fn history_and_activity_cannot_be_altered<H: Harness>(h: &H) {
    let store = seeded(h).await;
    for statement in [
        "UPDATE history SET actor = 'x'",
        "DELETE FROM history",
        "UPDATE activity SET actor = 'x'",
        "DELETE FROM activity",
    ] {
        let err = h.execute(&store, statement).await.unwrap_err();
        assert!(err.contains("append-only"), "{statement}: {err}");
    }
}

pub async fn an_archived_entity_leaves_the_catalogue_keeps_its_history_and_comes_back<
    H: Harness,
>(
    h: &H,
) {
    use passerelle_domain::EntityKind;
    use passerelle_store::{HistoryEvent, StoreError};
    let store = h.fresh().await;
    let entities = roubaix().to_entities();
    let changes = diff(&[], &entities);
    store
        .apply("roubaix", &entities, &changes, &record())
        .await
        .unwrap();
    let key = "programmation-2020-2022/fiche-5";
    let before = store.entities("roubaix").await.unwrap().len();
    let v1 = store
        .entity("roubaix", EntityKind::Action, key)
        .await
        .unwrap()
        .unwrap();
    let v2 = store
        .set_archived(
            "roubaix",
            EntityKind::Action,
            key,
            v1.version,
            true,
            "admin",
        )
        .await
        .unwrap();
    assert_eq!(store.entities("roubaix").await.unwrap().len(), before - 1);
    let archived = store.archived("roubaix").await.unwrap();
    assert_eq!(archived.len(), 1);
    assert_eq!(archived[0].entity.body, v1.entity.body);
    // A stale version is refused, the entity stays as it is.
    assert!(matches!(
        store
            .set_archived(
                "roubaix",
                EntityKind::Action,
                key,
                v1.version,
                false,
                "admin"
            )
            .await,
        Err(StoreError::Conflict { .. })
    ));
    store
        .set_archived("roubaix", EntityKind::Action, key, v2, false, "admin")
        .await
        .unwrap();
    assert_eq!(store.entities("roubaix").await.unwrap().len(), before);
    let events: Vec<HistoryEvent> = store
        .history("roubaix", EntityKind::Action, key)
        .await
        .unwrap()
        .iter()
        .map(|h| h.event)
        .collect();
    assert_eq!(
        events,
        [
            HistoryEvent::Save,
            HistoryEvent::Archive,
            HistoryEvent::Unarchive
        ]
    );
    assert_eq!(
        store.activity(Some("roubaix"), 1).await.unwrap()[0].action,
        "unarchive"
    );
}

pub async fn every_write_raises_its_cites_version_and_the_feed_tells<H: Harness>(h: &H) {
    use passerelle_store::{FeedEvent, Store as _};
    let store = seeded(h).await;
    let mut feed = store.changes().await.unwrap();
    assert_eq!(feed.is_some(), H::FEED);
    let mut tourcoing = roubaix();
    tourcoing.cite.slug = passerelle_domain::Slug::parse("tourcoing").unwrap();
    let entities = tourcoing.to_entities();
    store
        .apply("tourcoing", &entities, &diff(&[], &entities), &record())
        .await
        .unwrap();
    let version_of = |versions: &[(String, u64)], cite: &str| {
        versions.iter().find(|(c, _)| c == cite).map(|(_, v)| *v)
    };
    let before = store.versions().await.unwrap();
    assert_eq!(version_of(&before, "roubaix"), Some(1));
    assert_eq!(version_of(&before, "tourcoing"), Some(1));
    // A save, then an archive, in Roubaix: its version only moves.
    let start = store
        .entity("roubaix", EntityKind::Action, FICHE_1)
        .await
        .unwrap()
        .unwrap();
    let v = store
        .save(
            "roubaix",
            &retitled(&start.entity, "Neuf"),
            start.version,
            "test",
        )
        .await
        .unwrap();
    store
        .set_archived("roubaix", EntityKind::Action, FICHE_1, v, true, "test")
        .await
        .unwrap();
    let after = store.versions().await.unwrap();
    assert_eq!(version_of(&after, "roubaix"), Some(3));
    assert_eq!(store.version("roubaix").await.unwrap(), 3);
    assert_eq!(store.version("lille").await.unwrap(), 0);
    assert_eq!(version_of(&after, "tourcoing"), Some(1));
    // A refused save and an import that changes nothing raise nothing.
    assert!(
        store
            .save("roubaix", &start.entity, start.version, "test")
            .await
            .is_err()
    );
    store
        .apply("tourcoing", &entities, &[], &record())
        .await
        .unwrap();
    assert_eq!(store.versions().await.unwrap(), after);
    // The entities are read with the version they are at.
    let (now, version) = store.entities_at_version("roubaix").await.unwrap();
    assert_eq!(version, 3);
    assert!(
        now.iter().all(|e| e.key != FICHE_1),
        "archived: out of the catalogue"
    );
    assert_eq!(
        store.entities_at_version("lille").await.unwrap(),
        (Vec::new(), 0)
    );
    if let Some(feed) = feed.as_mut() {
        let mut seen = Vec::new();
        while seen.len() < 3 {
            let event = tokio::time::timeout(std::time::Duration::from_secs(5), feed.next())
                .await
                .expect("the feed tells within 5 s")
                .unwrap();
            seen.push(event);
        }
        let changed = |cite: &str, version: u64| FeedEvent::Changed {
            cite: cite.to_owned(),
            version,
        };
        assert_eq!(
            seen,
            [
                changed("tourcoing", 1),
                changed("roubaix", 2),
                changed("roubaix", 3)
            ]
        );
    }
}

pub async fn each_entity_has_the_dates_of_its_first_and_last_version<H: Harness>(h: &H) {
    use passerelle_domain::EntityKind;
    let store = seeded(h).await;
    let key = "programmation-2020-2022/fiche-5";
    let dates = store.entity_dates("roubaix").await.unwrap();
    assert_eq!(dates.len(), roubaix().to_entities().len());
    let before = dates
        .iter()
        .find(|d| d.kind == EntityKind::Action && d.key == key)
        .unwrap()
        .clone();
    assert_eq!(before.created, before.updated);
    // A second later, one save: its last date moves, its first does not,
    // and no other entity's moves.
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let mut v = store
        .entity("roubaix", EntityKind::Action, key)
        .await
        .unwrap()
        .unwrap();
    v.entity.body["title"] = "Un autre titre".into();
    store
        .save("roubaix", &v.entity, v.version, "test")
        .await
        .unwrap();
    let after = store.entity_dates("roubaix").await.unwrap();
    let changed: Vec<_> = after.iter().filter(|d| !dates.contains(d)).collect();
    assert_eq!(changed.len(), 1, "{changed:?}");
    assert_eq!(changed[0].key, key);
    assert_eq!(changed[0].created, before.created);
    assert!(changed[0].updated > before.updated);
    assert!(store.entity_dates("tourcoing").await.unwrap().is_empty());
}
