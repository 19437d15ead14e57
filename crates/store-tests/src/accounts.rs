//! Accounts, one-time links and API tokens.

use crate::Harness;
use passerelle_store::{CatalogueStore, SignInStore};

pub async fn accounts_are_unique_by_email_whatever_its_case<H: Harness>(h: &H) {
    use passerelle_domain::{Account, Email, Membership, Role};
    use passerelle_store::AccountStore;
    let store = h.fresh().await;
    assert_eq!(store.count_administrators("roubaix").await.unwrap(), 0);
    let account = Account::member(
        Email::parse("jcamus@ville-roubaix.fr").unwrap(),
        "Julia Camus",
        Membership::new("roubaix", Role::Administrateur, None),
    );
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
    assert_eq!(store.count_administrators("roubaix").await.unwrap(), 1);
    assert_eq!(store.count_administrators("tourcoing").await.unwrap(), 0);
    assert_eq!(
        store.activity(Some("roubaix"), 1).await.unwrap()[0].action,
        "create-account"
    );
    assert!(
        store
            .activity(Some("tourcoing"), 1)
            .await
            .unwrap()
            .is_empty()
    );
}

pub async fn a_role_in_one_cite_is_changed_or_taken_away_without_touching_another<H: Harness>(
    h: &H,
) {
    use passerelle_domain::{Account, Email, InstanceRole, Membership, Role, Slug};
    use passerelle_store::AccountStore;
    let store = h.fresh().await;
    let email = "amina@centre-social.fr";
    let mut account = Account::member(
        Email::parse(email).unwrap(),
        "Amina",
        Membership::new("roubaix", Role::Troika, None),
    );
    store.create_account(&account, "h", "cli").await.unwrap();
    let referent = Membership::new(
        "tourcoing",
        Role::Referent,
        Some(Slug::parse("citeo").unwrap()),
    );
    store
        .set_membership(email, "tourcoing", Some(&referent), "admin-t")
        .await
        .unwrap();
    let found = store.account(email).await.unwrap().unwrap().0;
    assert_eq!(found.role_in("roubaix"), Some(Role::Troika));
    assert_eq!(found.membership("tourcoing"), Some(&referent));
    // A name change does not touch the memberships; an instance role is kept.
    account.name = "Amina B.".into();
    account.instance_role = Some(InstanceRole::LecteurNational);
    account.memberships.clear();
    store.update_account(&account, "cli").await.unwrap();
    let found = store.account(email).await.unwrap().unwrap().0;
    assert_eq!(found.memberships.len(), 2);
    assert_eq!(found.instance_role, Some(InstanceRole::LecteurNational));
    store
        .set_membership(email, "roubaix", None, "admin-r")
        .await
        .unwrap();
    let found = store.account(email).await.unwrap().unwrap().0;
    assert_eq!(found.memberships, [referent]);
    // Each cité's log says what was done in it, and only there.
    let roubaix = store.activity(Some("roubaix"), 10).await.unwrap();
    assert!(roubaix.iter().all(|a| a.actor != "admin-t"));
    assert!(
        roubaix
            .iter()
            .any(|a| a.action == "set-membership" && a.detail == "retiré")
    );
    assert!(store.activity(None, 10).await.unwrap().len() > roubaix.len());
    assert!(
        store
            .set_membership("nobody@x.fr", "roubaix", None, "a")
            .await
            .is_err()
    );
}

pub async fn a_one_time_link_works_once_and_not_after_it_expires<H: Harness>(h: &H) {
    use passerelle_domain::{Account, Email, Membership, Role, Slug};
    use passerelle_store::{AccountStore, LinkPurpose, OneTimeLink, StoreError};
    let store = h.fresh().await;
    let invited = Account::member(
        Email::parse("referent@centre-social.fr").unwrap(),
        "Réf Érent",
        Membership::new(
            "tourcoing",
            Role::Referent,
            Some(Slug::parse("atd-quart-monde").unwrap()),
        ),
    );
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
    crate::signin::open(&store, "s1", "referent@centre-social.fr", 1_000).await;
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
    assert!(
        store
            .live_session("s1", 1_000, 3_600)
            .await
            .unwrap()
            .is_none()
    );
}

pub async fn api_tokens_name_their_account_until_revoked_or_deactivated<H: Harness>(h: &H) {
    use passerelle_domain::{Account, Email, Membership, Role};
    use passerelle_store::AccountStore;
    let store = h.fresh().await;
    let mut account = Account::member(
        Email::parse("coord@ville-roubaix.fr").unwrap(),
        "Coord",
        Membership::new("roubaix", Role::Administrateur, None),
    );
    store.create_account(&account, "h", "cli").await.unwrap();
    store
        .create_api_token("t1", "coord@ville-roubaix.fr", "script", None)
        .await
        .unwrap();
    store
        .create_api_token("t2", "coord@ville-roubaix.fr", "autre", Some(5_000))
        .await
        .unwrap();
    assert_eq!(
        store.api_token("t1", 1_000).await.unwrap(),
        Some(account.clone())
    );
    // A token with an expiry works until then, and says when.
    assert_eq!(
        store.api_token("t2", 4_999).await.unwrap(),
        Some(account.clone())
    );
    assert_eq!(store.api_token("t2", 5_000).await.unwrap(), None);
    let listed = store.api_tokens("coord@ville-roubaix.fr").await.unwrap();
    assert_eq!(
        listed
            .iter()
            .map(|t| (t.label.as_str(), t.expires_at))
            .collect::<Vec<_>>(),
        [("script", None), ("autre", Some(5_000))]
    );
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
    assert_eq!(store.api_token("t1", 1_000).await.unwrap(), None);
    account.active = false;
    store.update_account(&account, "admin").await.unwrap();
    assert_eq!(store.api_token("t2", 1_000).await.unwrap(), None);
    assert_eq!(store.accounts().await.unwrap(), [account]);
}

pub async fn failures_count_over_their_window_and_are_cleared<H: Harness>(h: &H) {
    use passerelle_store::AccountStore;
    let store = h.fresh().await;
    let (key, window) = ("email:amina@exemple.fr", 900);
    for n in 1..=3 {
        assert_eq!(
            store.record_failure(key, window, 1_000 + n).await.unwrap(),
            u32::try_from(n).unwrap()
        );
    }
    assert_eq!(store.failures(key, window, 1_010).await.unwrap(), 3);
    assert_eq!(
        store.failures("ip:127.0.0.1", window, 1_010).await.unwrap(),
        0
    );
    // Once the window has passed, they no longer count, and counting starts again.
    assert_eq!(
        store.failures(key, window, 1_001 + window).await.unwrap(),
        0
    );
    assert_eq!(
        store
            .record_failure(key, window, 1_001 + window)
            .await
            .unwrap(),
        1
    );
    store.clear_failures(key).await.unwrap();
    assert_eq!(
        store.failures(key, window, 1_002 + window).await.unwrap(),
        0
    );
}

pub async fn a_password_reset_ends_the_other_reset_links_and_the_api_tokens<H: Harness>(h: &H) {
    use passerelle_domain::{Account, Email, Membership, Role};
    use passerelle_store::{AccountStore, LinkPurpose, OneTimeLink, StoreError};
    let store = h.fresh().await;
    let account = Account::member(
        Email::parse("coord@ville-roubaix.fr").unwrap(),
        "Coord",
        Membership::new("roubaix", Role::Administrateur, None),
    );
    store.create_account(&account, "h0", "cli").await.unwrap();
    store
        .create_api_token("t1", "coord@ville-roubaix.fr", "script", None)
        .await
        .unwrap();
    let reset = OneTimeLink {
        purpose: LinkPurpose::Reset,
        account: account.clone(),
        expires_at: 9_000,
    };
    // Two links asked for; the newer is used.
    store
        .create_link("older", &reset, "coord@ville-roubaix.fr")
        .await
        .unwrap();
    store
        .create_link("newer", &reset, "coord@ville-roubaix.fr")
        .await
        .unwrap();
    store
        .use_link("newer", LinkPurpose::Reset, 1_000, "h-newer")
        .await
        .unwrap();
    assert!(
        store
            .link("older", LinkPurpose::Reset, 1_000)
            .await
            .unwrap()
            .is_none()
    );
    assert!(matches!(
        store
            .use_link("older", LinkPurpose::Reset, 1_000, "h-older")
            .await,
        Err(StoreError::InvalidLink)
    ));
    assert_eq!(
        store
            .account("coord@ville-roubaix.fr")
            .await
            .unwrap()
            .unwrap()
            .1,
        "h-newer"
    );
    assert_eq!(store.api_token("t1", 1_000).await.unwrap(), None);
    assert!(
        store
            .api_tokens("coord@ville-roubaix.fr")
            .await
            .unwrap()
            .is_empty()
    );
}

pub async fn a_server_key_is_written_once_and_shared<H: Harness>(h: &H) {
    use passerelle_store::AccountStore;
    let store = h.fresh().await;
    let first = store.server_key("csrf", "premiere").await.unwrap();
    assert_eq!(first, "premiere");
    assert_eq!(
        store.server_key("csrf", "seconde").await.unwrap(),
        "premiere"
    );
    assert_eq!(
        store.server_key("autre", "seconde").await.unwrap(),
        "seconde"
    );
}
