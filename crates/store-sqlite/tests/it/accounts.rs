//! Accounts, one-time links and API tokens.

use super::*;

#[tokio::test]
async fn accounts_are_unique_by_email_whatever_its_case() {
    use passerelle_domain::{Account, Email, Role};
    use passerelle_store::AccountStore;
    let store = SqliteStore::open("sqlite::memory:").await.unwrap();
    assert_eq!(store.count_administrators().await.unwrap(), 0);
    let account = Account {
        email: Email::parse("jcamus@ville-roubaix.fr").unwrap(),
        name: "Julia Camus".into(),
        role: Role::Administrateur,
        organisation: None,
        active: true,
    };
    store
        .create_account(&account, "$argon2id$hash", "cli")
        .await
        .unwrap();
    let (found, hash) = store
        .account("JCamus@Ville-Roubaix.fr")
        .await
        .unwrap()
        .unwrap();
    assert_eq!((found, hash.as_str()), (account.clone(), "$argon2id$hash"));
    let mut other = account.clone();
    other.email = Email::parse("JCAMUS@ville-roubaix.fr").unwrap();
    assert!(store.create_account(&other, "x", "cli").await.is_err());
    assert_eq!(store.count_administrators().await.unwrap(), 1);
    assert_eq!(store.activity(1).await.unwrap()[0].action, "create-account");
}

#[tokio::test]
async fn a_one_time_link_works_once_and_not_after_it_expires() {
    use passerelle_domain::{Account, Email, Role, Slug};
    use passerelle_store::{AccountStore, LinkPurpose, OneTimeLink, StoreError};
    let store = SqliteStore::open("sqlite::memory:").await.unwrap();
    let invited = Account {
        email: Email::parse("referent@centre-social.fr").unwrap(),
        name: "Réf Érent".into(),
        role: Role::Referent,
        organisation: Some(Slug::parse("atd-quart-monde").unwrap()),
        active: true,
    };
    let link = OneTimeLink {
        purpose: LinkPurpose::Invitation,
        account: invited.clone(),
        expires_at: 2_000,
    };
    store.create_link("h1", &link, "admin@x.fr").await.unwrap();
    // The invitation is not a reset link, and it expires.
    assert!(
        store
            .link("h1", LinkPurpose::Reset, 1_000)
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        store
            .link("h1", LinkPurpose::Invitation, 2_000)
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(
        store
            .link("h1", LinkPurpose::Invitation, 1_000)
            .await
            .unwrap(),
        Some(link.clone())
    );
    let created = store
        .use_link("h1", LinkPurpose::Invitation, 1_000, "hash-1")
        .await
        .unwrap();
    assert_eq!(created, invited);
    assert!(matches!(
        store
            .use_link("h1", LinkPurpose::Invitation, 1_000, "hash-2")
            .await,
        Err(StoreError::InvalidLink)
    ));
    assert_eq!(
        store
            .account("referent@centre-social.fr")
            .await
            .unwrap()
            .unwrap()
            .1,
        "hash-1"
    );
    // A reset replaces the password and ends the sessions.
    store
        .create_session("s1", "referent@centre-social.fr", "c", i64::MAX)
        .await
        .unwrap();
    let reset = OneTimeLink {
        purpose: LinkPurpose::Reset,
        ..link
    };
    store
        .create_link("h2", &reset, "referent@centre-social.fr")
        .await
        .unwrap();
    assert!(matches!(
        store
            .use_link("h2", LinkPurpose::Reset, 3_000, "late")
            .await,
        Err(StoreError::InvalidLink)
    ));
    store
        .use_link("h2", LinkPurpose::Reset, 1_500, "hash-3")
        .await
        .unwrap();
    assert_eq!(
        store
            .account("referent@centre-social.fr")
            .await
            .unwrap()
            .unwrap()
            .1,
        "hash-3"
    );
    assert!(store.session("s1", 0).await.unwrap().is_none());
}

#[tokio::test]
async fn api_tokens_name_their_account_until_revoked_or_deactivated() {
    use passerelle_domain::{Account, Email, Role};
    use passerelle_store::AccountStore;
    let store = SqliteStore::open("sqlite::memory:").await.unwrap();
    let mut account = Account {
        email: Email::parse("coord@ville-roubaix.fr").unwrap(),
        name: "Coord".into(),
        role: Role::Administrateur,
        organisation: None,
        active: true,
    };
    store.create_account(&account, "h", "cli").await.unwrap();
    store
        .create_api_token("t1", "coord@ville-roubaix.fr", "script")
        .await
        .unwrap();
    store
        .create_api_token("t2", "coord@ville-roubaix.fr", "autre")
        .await
        .unwrap();
    assert_eq!(store.api_token("t1").await.unwrap(), Some(account.clone()));
    assert_eq!(
        store
            .api_tokens("coord@ville-roubaix.fr")
            .await
            .unwrap()
            .len(),
        2
    );
    store
        .revoke_api_token("coord@ville-roubaix.fr", "script")
        .await
        .unwrap();
    assert_eq!(store.api_token("t1").await.unwrap(), None);
    account.active = false;
    store.update_account(&account, "admin").await.unwrap();
    assert_eq!(store.api_token("t2").await.unwrap(), None);
    assert_eq!(store.accounts().await.unwrap(), [account]);
}
