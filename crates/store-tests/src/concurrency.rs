//! Writes at the same moment from many connections: every one is answered
//! as it must be, none fails with a database error.

use passerelle_domain::{EntityKind, Registration, RegistrationStatus, diff};
use passerelle_store::{CatalogueStore, ParticipationStore, StoreError};

use crate::{FICHE_1, Harness, form, record, retitled, roubaix, seeded};

const EVENT: &str = "seminaire";

fn count(list: &[Registration], status: RegistrationStatus) -> usize {
    list.iter().filter(|r| r.status == status).count()
}

pub async fn a_hundred_registrations_for_forty_places_then_twenty_cancellations<H: Harness>(h: &H) {
    let store = h.fresh().await;
    let tasks: Vec<_> = (0..100)
        .map(|i| {
            let store = store.clone();
            tokio::spawn(async move {
                store
                    .register(
                        "roubaix",
                        EVENT,
                        "2030-10-11",
                        &form(&format!("parent{i:03}@exemple.fr")),
                        &format!("token-{i:03}"),
                        Some(40),
                    )
                    .await
            })
        })
        .collect();
    for t in tasks {
        if let Err(e) = t.await.unwrap() {
            panic!("a registration failed: {e:?}");
        }
    }
    let list = store.registrations("roubaix", EVENT).await.unwrap();
    assert_eq!(list.len(), 100);
    assert_eq!(count(&list, RegistrationStatus::Confirmed), 40);
    assert_eq!(count(&list, RegistrationStatus::Waiting), 60);
    assert!(
        list[..40]
            .iter()
            .all(|r| r.status == RegistrationStatus::Confirmed),
        "places go in order of registration"
    );

    // Twenty of the confirmed cancel at once.
    let emails = |rs: &[Registration]| -> Vec<String> {
        rs.iter()
            .filter_map(|r| r.email.as_ref().map(ToString::to_string))
            .collect()
    };
    let cancelling = emails(&list[..40].iter().step_by(2).cloned().collect::<Vec<_>>());
    let tasks: Vec<_> = cancelling
        .iter()
        .map(|email| {
            let store = store.clone();
            let token = format!("token-{}", &email["parent".len().."parent".len() + 3]);
            tokio::spawn(async move { store.cancel_registration(&token, Some(40), false).await })
        })
        .collect();
    let mut promoted = Vec::new();
    for t in tasks {
        match t.await.unwrap() {
            Ok(Some(p)) => promoted.push(p),
            Ok(None) => panic!("a place was freed and nobody took it"),
            Err(e) => panic!("a cancellation failed: {e:?}"),
        }
    }
    let after = store.registrations("roubaix", EVENT).await.unwrap();
    assert_eq!(count(&after, RegistrationStatus::Cancelled), 20);
    assert_eq!(
        count(&after, RegistrationStatus::Confirmed),
        40,
        "nobody confirmed twice"
    );
    assert_eq!(count(&after, RegistrationStatus::Waiting), 40);
    // The twenty promoted are the first twenty who waited, each once.
    let mut promoted_ids: Vec<i64> = promoted.iter().map(|r| r.id).collect();
    promoted_ids.sort_unstable();
    let first_waiting: Vec<i64> = list[40..60].iter().map(|r| r.id).collect();
    assert_eq!(promoted_ids, first_waiting);
}

pub async fn sixteen_saves_of_one_entity_from_the_same_version_one_wins<H: Harness>(h: &H) {
    let store = seeded(h).await;
    let start = store
        .entity("roubaix", EntityKind::Action, FICHE_1)
        .await
        .unwrap()
        .unwrap();
    let tasks: Vec<_> = (0..16)
        .map(|i| {
            let store = store.clone();
            let entity = retitled(&start.entity, &format!("Titre {i}"));
            let version = start.version;
            tokio::spawn(async move { store.save("roubaix", &entity, version, "test").await })
        })
        .collect();
    let (mut won, mut conflicts) = (0, 0);
    for t in tasks {
        match t.await.unwrap() {
            Ok(v) => {
                assert_eq!(v, start.version + 1);
                won += 1;
            }
            Err(StoreError::Conflict { .. }) => conflicts += 1,
            Err(e) => panic!("a save failed: {e:?}"),
        }
    }
    assert_eq!((won, conflicts), (1, 15));
    let history = store
        .history("roubaix", EntityKind::Action, FICHE_1)
        .await
        .unwrap();
    assert_eq!(history.len(), 2, "one version added, not sixteen");
}

pub async fn concurrent_imports_of_two_cites_and_edits_all_land<H: Harness>(h: &H) {
    let store = seeded(h).await;
    let mut tourcoing = roubaix();
    tourcoing.cite.slug = passerelle_domain::Slug::parse("tourcoing").unwrap();
    let entities = tourcoing.to_entities();
    let import = {
        let store = store.clone();
        let entities = entities.clone();
        tokio::spawn(async move {
            store
                .apply("tourcoing", &entities, &diff(&[], &entities), &record())
                .await
        })
    };
    let actions: Vec<_> = store
        .entities("roubaix")
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.kind == EntityKind::Action)
        .take(10)
        .collect();
    let edits: Vec<_> = actions
        .into_iter()
        .map(|action| {
            let store = store.clone();
            tokio::spawn(async move {
                store
                    .save("roubaix", &retitled(&action, "Modifié"), 1, "test")
                    .await
            })
        })
        .collect();
    import.await.unwrap().unwrap();
    for e in edits {
        assert_eq!(e.await.unwrap().unwrap(), 2);
    }
    assert_eq!(
        store.entities("tourcoing").await.unwrap().len(),
        entities.len()
    );
    assert_eq!(store.cites().await.unwrap(), ["roubaix", "tourcoing"]);
}
