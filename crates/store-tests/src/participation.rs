//! Registrations, waiting list, supports, moderation, anonymisation.

use passerelle_domain::RegistrationStatus;
use passerelle_store::{ParticipationStore, StoreError};

use crate::{Harness, form};

pub async fn a_full_event_keeps_a_waiting_list_that_moves_up_when_someone_cancels<H: Harness>(
    h: &H,
) {
    let store = h.fresh().await;
    let reg = |n: u32| {
        let store = store.clone();
        async move {
            store
                .register(
                    "roubaix",
                    "sem",
                    "2022-10-11",
                    &form(&format!("p{n}@x.fr")),
                    &format!("t{n}"),
                    Some(2),
                )
                .await
                .unwrap()
        }
    };
    let statuses = [
        reg(1).await.status,
        reg(2).await.status,
        reg(3).await.status,
        reg(4).await.status,
    ];
    use RegistrationStatus::{Confirmed, Waiting};
    assert_eq!(statuses, [Confirmed, Confirmed, Waiting, Waiting]);
    let again = store
        .register(
            "roubaix",
            "sem",
            "2022-10-11",
            &form("P1@X.FR"),
            "t9",
            Some(2),
        )
        .await;
    assert!(matches!(again, Err(StoreError::DuplicateRegistration(_))));
    let promoted = store
        .cancel_registration("t1", Some(2), false)
        .await
        .unwrap();
    assert_eq!(
        promoted.map(|r| r.email.unwrap().to_string()),
        Some("p3@x.fr".to_owned())
    );
    let promoted = store
        .cancel_registration("t2", Some(2), true)
        .await
        .unwrap();
    assert_eq!(
        promoted.map(|r| r.email.unwrap().to_string()),
        Some("p4@x.fr".to_owned())
    );
    assert!(store.registration("t2").await.unwrap().is_none(), "deleted");
    let all = store.registrations("roubaix", "sem").await.unwrap();
    assert_eq!(all.len(), 3);
    // Cancelled, an address may register again.
    store
        .register(
            "roubaix",
            "sem",
            "2022-10-11",
            &form("p1@x.fr"),
            "t10",
            Some(2),
        )
        .await
        .unwrap();
    assert_eq!(
        store.anonymise_registrations("2022-10-11").await.unwrap(),
        0
    );
    assert_eq!(
        store.anonymise_registrations("2022-10-12").await.unwrap(),
        4
    );
    let all = store.registrations("roubaix", "sem").await.unwrap();
    assert!(all.iter().all(|r| r.email.is_none() && r.name == "Anonyme"));
    assert!(
        store.registration("t3").await.unwrap().is_none(),
        "the private link is dead"
    );
}

pub async fn each_person_supports_a_contribution_once_and_concurrent_supports_all_count<
    H: Harness,
>(
    h: &H,
) {
    let store = h.fresh().await;
    let c = store
        .contribute(
            "roubaix",
            "sem",
            "q3",
            "Inventer des cafés des parents",
            "Nadia",
            "p:1",
            Some(10),
        )
        .await
        .unwrap();
    assert_eq!((c.supports, c.fiche), (0, Some(10)));
    assert!(store.support(c.id, "a").await.unwrap());
    assert!(!store.support(c.id, "a").await.unwrap(), "once per person");
    let mut tasks = Vec::new();
    for i in 0..100 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            store.support(c.id, &format!("s{i}")).await.unwrap()
        }));
    }
    for t in tasks {
        assert!(t.await.unwrap());
    }
    assert_eq!(
        store.contribution(c.id).await.unwrap().unwrap().supports,
        101
    );
    assert!(
        store
            .moderate("tourcoing", c.id, Some("hors sujet"), "admin")
            .await
            .is_err(),
        "another cité's contribution is not moderated from this one"
    );
    assert!(
        store
            .contributions("roubaix", "sem", false)
            .await
            .unwrap()
            .len()
            == 1
    );
    store
        .moderate("roubaix", c.id, Some("hors sujet"), "admin")
        .await
        .unwrap();
    assert!(
        store
            .contributions("roubaix", "sem", false)
            .await
            .unwrap()
            .is_empty()
    );
    let all = store.contributions("roubaix", "sem", true).await.unwrap();
    assert_eq!(all[0].hidden.as_deref(), Some("hors sujet"));
    store
        .moderate("roubaix", c.id, None, "admin")
        .await
        .unwrap();
    assert_eq!(
        store
            .contributions("roubaix", "sem", false)
            .await
            .unwrap()
            .len(),
        1
    );
    store
        .set_synthesis("roubaix", "sem", "q3", "Deux idées fortes.", "admin")
        .await
        .unwrap();
    assert_eq!(
        store
            .synthesis("roubaix", "sem", "q3")
            .await
            .unwrap()
            .as_deref(),
        Some("Deux idées fortes.")
    );
}
