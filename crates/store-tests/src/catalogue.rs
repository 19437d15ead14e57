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
