//! Imports and the catalogue of each cité.

use passerelle_domain::{Catalogue, diff};
use passerelle_store::CatalogueStore;

use crate::{Harness, record, roubaix};

pub async fn updates_and_removals_apply_in_place<H: Harness>(h: &H) {
    let store = h.fresh().await;
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

pub async fn an_unknown_cite_has_no_entities<H: Harness>(h: &H) {
    let store = h.fresh().await;
    assert!(store.entities("lille").await.unwrap().is_empty());
    assert!(store.cites().await.unwrap().is_empty());
}

pub async fn cites_are_listed_in_the_order_they_were_added<H: Harness>(h: &H) {
    let store = h.fresh().await;
    for slug in ["tourcoing", "roubaix", "lille"] {
        let mut catalogue = roubaix();
        catalogue.cite.slug = passerelle_domain::Slug::parse(slug).unwrap();
        let entities = catalogue.to_entities();
        store
            .apply(slug, &entities, &diff(&[], &entities), &record())
            .await
            .unwrap();
    }
    assert_eq!(
        store.cites().await.unwrap(),
        ["tourcoing", "roubaix", "lille"]
    );
    assert_eq!(
        store.last_import("lille").await.unwrap().unwrap().source,
        "test"
    );
    assert!(store.last_import("paris").await.unwrap().is_none());
}

pub async fn an_export_imported_into_an_empty_database_is_the_same_database<H: Harness>(h: &H) {
    use passerelle_domain::{Account, Email, Membership, Role};
    use passerelle_store::{AccountStore, ParticipationStore, Store as _, StoreError};
    let store = crate::seeded(h).await;
    let account = Account::member(
        Email::parse("jcamus@ville-roubaix.fr").unwrap(),
        "Julia Camus",
        Membership::new("roubaix", Role::Administrateur, None),
    );
    store
        .create_account(&account, "$argon2id$h", "test")
        .await
        .unwrap();
    store
        .register(
            "roubaix",
            "sem",
            "2030-01-01",
            &crate::form("a@exemple.fr"),
            "t1",
            Some(1),
        )
        .await
        .unwrap();
    let c = store
        .contribute("roubaix", "sem", "q1", "Une idée", "Nadia", "p:1", None)
        .await
        .unwrap();
    store.support(c.id, "s1").await.unwrap();
    let dump = store.export().await.unwrap();
    for (table, n) in dump.counts() {
        if [
            "entities",
            "history",
            "activity",
            "accounts",
            "memberships",
            "registrations",
            "contributions",
            "supports",
            "cite_versions",
        ]
        .contains(&table)
        {
            assert!(n > 0, "{table} is copied");
        }
    }
    let copy = h.fresh().await;
    copy.import(&dump).await.unwrap();
    assert_eq!(copy.export().await.unwrap(), dump, "every row, identical");
    assert_eq!(copy.counts().await.unwrap(), dump.counts());
    // What the copy writes next follows what was copied.
    let next = copy
        .contribute("roubaix", "sem", "q1", "Une autre", "Karim", "p:2", None)
        .await
        .unwrap();
    assert!(next.id > c.id);
    // Copying twice is refused: the target is no longer empty.
    assert!(matches!(
        copy.import(&dump).await,
        Err(StoreError::NotEmpty("entities"))
    ));
}
