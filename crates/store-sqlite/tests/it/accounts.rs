//! Accounts, one-time links and API tokens.

use super::*;

#[tokio::test]
async fn a_single_cite_database_keeps_every_role_in_its_cite_after_the_migration() {
    use passerelle_domain::Role;
    use passerelle_store::{AccountStore, CatalogueStore};
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/old.db", dir.path().display());
    {
        // The schema as it was before roles were held per cité.
        let options = <sqlx::sqlite::SqliteConnectOptions as std::str::FromStr>::from_str(&url)
            .unwrap()
            .create_if_missing(true);
        let pool = sqlx::SqlitePool::connect_with(options).await.unwrap();
        let mut before = sqlx::migrate!("./migrations");
        let kept: Vec<_> = before
            .migrations
            .iter()
            .filter(|m| m.version < 8)
            .cloned()
            .collect();
        before.migrations = kept.into();
        before.run(&pool).await.unwrap();
        for statement in [
            "INSERT INTO entities (cite, kind, key, body, updated_at) VALUES ('tourcoing', 'cite', 'tourcoing', '{}', 'now')",
            "INSERT INTO accounts (email, name, role, organisation, password_hash, created_at) VALUES ('a@x.fr', 'A', 'administrateur', NULL, 'h', 'now')",
            "INSERT INTO accounts (email, name, role, organisation, password_hash, created_at) VALUES ('r@x.fr', 'R', 'referent', 'citeo', 'h', 'now')",
            "INSERT INTO activity (actor, at, action, target) VALUES ('a@x.fr', 'now', 'save', 'action:x')",
        ] {
            sqlx::query(statement).execute(&pool).await.unwrap();
        }
        pool.close().await;
    }
    let store = SqliteStore::open(&url).await.unwrap();
    let admin = store.account("a@x.fr").await.unwrap().unwrap().0;
    assert_eq!(admin.role_in("tourcoing"), Some(Role::Administrateur));
    assert_eq!(
        admin.instance_role, None,
        "nobody is promoted by a migration"
    );
    let referent = store.account("r@x.fr").await.unwrap().unwrap().0;
    assert_eq!(
        referent
            .membership("tourcoing")
            .unwrap()
            .organisation
            .as_ref()
            .map(|o| o.as_str()),
        Some("citeo")
    );
    assert_eq!(store.count_administrators("tourcoing").await.unwrap(), 1);
    assert_eq!(store.activity(Some("tourcoing"), 5).await.unwrap().len(), 1);
    assert!(
        store
            .cites()
            .await
            .unwrap()
            .contains(&"tourcoing".to_owned())
    );
}
