//! Sessions, second factors and ProConnect identities, the same on every
//! database.

use passerelle_domain::{Account, Email, Membership, Role};
use passerelle_store::{
    AccountStore, CatalogueStore, Identity, LinkPurpose, NewSession, OneTimeLink, SignInStore,
    StoreError,
};

use crate::Harness;

/// Opens a session `hash` for `email` at `now` (one day's absolute end).
pub async fn open<S: SignInStore + ?Sized>(store: &S, hash: &str, email: &str, now: i64) {
    store
        .open_session(&NewSession {
            token_hash: hash,
            email,
            csrf: "c",
            now,
            expires_at: now + 86_400,
            user_agent: "Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0",
            ip: "192.0.2.7",
            pending: false,
            second_factor: false,
            id_token: None,
            method: "mot de passe",
        })
        .await
        .unwrap();
}

/// Whether the session `hash` signs in at `now` (one hour's idle limit).
async fn alive<S: SignInStore + ?Sized>(store: &S, hash: &str, now: i64) -> bool {
    store
        .live_session(hash, now, 3_600)
        .await
        .unwrap()
        .is_some()
}

async fn account<S: AccountStore + ?Sized>(store: &S, email: &str) -> Account {
    let account = Account::member(
        Email::parse(email).unwrap(),
        "Julia Camus",
        Membership::new("roubaix", Role::Administrateur, None),
    );
    store.create_account(&account, "hash", "cli").await.unwrap();
    account
}

/// 64 hexadecimal digits from a letter, as a token's SHA-256 looks.
fn hash(c: char) -> String {
    c.to_string().repeat(64)
}

pub async fn sessions_end_when_idle_or_old_and_their_owner_ends_them<H: Harness>(h: &H) {
    let store = h.fresh().await;
    account(&store, "jcamus@ville-roubaix.fr").await;
    account(&store, "autre@ville-roubaix.fr").await;
    let (a, b, c) = (hash('a'), hash('b'), hash('c'));
    open(&store, &a, "jcamus@ville-roubaix.fr", 1_000).await;
    open(&store, &b, "jcamus@ville-roubaix.fr", 1_000).await;
    open(&store, &c, "autre@ville-roubaix.fr", 1_000).await;
    // Idle for an hour: over; used within: alive, and its use is noted.
    assert!(!alive(&store, &a, 4_601).await);
    let s = store.live_session(&a, 4_599, 3_600).await.unwrap().unwrap();
    assert_eq!(s.account.email.as_str(), "jcamus@ville-roubaix.fr");
    assert!(!s.pending && !s.second_factor && s.id_token.is_none());
    assert!(alive(&store, &a, 8_000).await, "last use moved to 4 599");
    // Past its absolute end, whatever the use.
    assert!(
        store
            .live_session(&a, 1_000 + 86_400, 1_000_000)
            .await
            .unwrap()
            .is_none()
    );
    let mine = store
        .sessions_of("jcamus@ville-roubaix.fr", 8_001, 3_600)
        .await
        .unwrap();
    assert_eq!(mine.len(), 1, "b idled out: {mine:?}");
    assert_eq!(mine[0].id, a[..16]);
    assert_eq!(
        (mine[0].ip.as_str(), mine[0].last_seen_at),
        ("192.0.2.7", 8_000)
    );
    // Nobody ends another account's session by its id.
    assert!(
        !store
            .end_session_of("autre@ville-roubaix.fr", &a[..16])
            .await
            .unwrap()
    );
    assert!(
        !store
            .end_session_of("jcamus@ville-roubaix.fr", "pas-un-identifiant")
            .await
            .unwrap()
    );
    open(&store, &hash('d'), "jcamus@ville-roubaix.fr", 8_000).await;
    open(&store, &hash('e'), "jcamus@ville-roubaix.fr", 8_000).await;
    assert!(
        store
            .end_session_of("jcamus@ville-roubaix.fr", &hash('d')[..16])
            .await
            .unwrap()
    );
    assert!(!alive(&store, &hash('d'), 8_001).await);
    assert_eq!(
        store
            .end_other_sessions("jcamus@ville-roubaix.fr", &a)
            .await
            .unwrap(),
        2
    );
    assert!(alive(&store, &a, 8_001).await);
    assert!(!alive(&store, &hash('e'), 8_001).await);
    assert!(alive(&store, &c, 1_001).await, "another account's stays");
    // A password change keeps the session it was made from only.
    open(&store, &hash('f'), "jcamus@ville-roubaix.fr", 8_000).await;
    store
        .change_password("jcamus@ville-roubaix.fr", "nouveau", &a)
        .await
        .unwrap();
    assert!(!alive(&store, &hash('f'), 8_001).await);
    assert_eq!(
        store
            .account("jcamus@ville-roubaix.fr")
            .await
            .unwrap()
            .unwrap()
            .1,
        "nouveau"
    );
    let actions: Vec<String> = store
        .activity(None, 10)
        .await
        .unwrap()
        .into_iter()
        .map(|a| a.action)
        .collect();
    for action in [
        "change-password",
        "end-other-sessions",
        "end-session",
        "sign-in",
    ] {
        assert!(actions.iter().any(|a| a == action), "{action}: {actions:?}");
    }
}

pub async fn a_totp_step_and_a_recovery_code_work_once_and_enrolling_ends_other_sessions<
    H: Harness,
>(
    h: &H,
) {
    let store = h.fresh().await;
    account(&store, "jcamus@ville-roubaix.fr").await;
    let email = "jcamus@ville-roubaix.fr";
    let (here, other) = (hash('a'), hash('b'));
    store
        .open_session(&NewSession {
            token_hash: &here,
            email,
            csrf: "c",
            now: 1_000,
            expires_at: 90_000,
            user_agent: "",
            ip: "",
            pending: true,
            second_factor: false,
            id_token: None,
            method: "mot de passe",
        })
        .await
        .unwrap();
    open(&store, &other, email, 1_000).await;
    assert!(
        store
            .live_session(&here, 1_001, 3_600)
            .await
            .unwrap()
            .unwrap()
            .pending
    );
    assert_eq!(store.second_factor(email).await.unwrap(), None);
    assert!(
        !store.use_totp_step(email, 5).await.unwrap(),
        "no factor, no step"
    );
    let codes = vec!["r1".to_owned(), "r2".to_owned()];
    store
        .confirm_enrolment(email, "0a0b", 100, &codes, &here, 1_000)
        .await
        .unwrap();
    let factor = store.second_factor(email).await.unwrap().unwrap();
    assert!(factor.confirmed && factor.secret == "0a0b" && factor.last_step == 100);
    let s = store
        .live_session(&here, 1_001, 3_600)
        .await
        .unwrap()
        .unwrap();
    assert!(!s.pending && s.second_factor);
    assert!(!alive(&store, &other, 1_001).await, "other sessions end");
    // Steps: the enrolment's own, then a later one, once each.
    assert!(!store.use_totp_step(email, 100).await.unwrap());
    assert!(store.use_totp_step(email, 101).await.unwrap());
    assert!(!store.use_totp_step(email, 101).await.unwrap());
    assert!(!store.use_totp_step(email, 99).await.unwrap());
    assert_eq!(store.recovery_codes_left(email).await.unwrap(), 2);
    assert!(store.use_recovery_code(email, "r1", 2_000).await.unwrap());
    assert!(!store.use_recovery_code(email, "r1", 2_001).await.unwrap());
    assert!(!store.use_recovery_code(email, "r9", 2_001).await.unwrap());
    assert_eq!(store.recovery_codes_left(email).await.unwrap(), 1);
    // A new enrolment replaces the secret and the codes.
    store
        .confirm_enrolment(email, "0c0d", 200, &["r3".to_owned()], &here, 3_000)
        .await
        .unwrap();
    assert_eq!(
        store.second_factor(email).await.unwrap().unwrap().secret,
        "0c0d"
    );
    assert!(!store.use_recovery_code(email, "r2", 3_001).await.unwrap());
    assert_eq!(store.recovery_codes_left(email).await.unwrap(), 1);
    // Removed by an administrator: gone, and the sessions with it.
    assert!(
        store
            .remove_second_factor(email, "admin@exemple.fr")
            .await
            .unwrap()
    );
    assert_eq!(store.second_factor(email).await.unwrap(), None);
    assert!(!alive(&store, &here, 3_001).await);
    assert!(
        !store
            .remove_second_factor(email, "admin@exemple.fr")
            .await
            .unwrap()
    );
}

pub async fn a_sign_in_under_way_is_taken_once_and_not_after_ten_minutes<H: Harness>(h: &H) {
    let store = h.fresh().await;
    store
        .save_oidc_request("s1", "n1", "v1", 1_000)
        .await
        .unwrap();
    store
        .save_oidc_request("s2", "n2", "v2", 1_000)
        .await
        .unwrap();
    assert_eq!(
        store.take_oidc_request("s1", 1_100).await.unwrap(),
        Some(("n1".to_owned(), "v1".to_owned()))
    );
    assert_eq!(
        store.take_oidc_request("s1", 1_101).await.unwrap(),
        None,
        "a replay finds nothing"
    );
    assert_eq!(
        store.take_oidc_request("s2", 1_601).await.unwrap(),
        None,
        "too late"
    );
    assert_eq!(
        store.take_oidc_request("inconnu", 1_000).await.unwrap(),
        None
    );
}

pub async fn an_identity_moves_its_account_to_a_new_email_and_a_taken_one_is_a_conflict<
    H: Harness,
>(
    h: &H,
) {
    let store = h.fresh().await;
    account(&store, "jcamus@ville-roubaix.fr").await;
    account(&store, "autre@ville-roubaix.fr").await;
    let identity = Identity {
        issuer: "https://auth.agentconnect.gouv.fr/api/v2",
        subject: "sub-1",
        idp_id: "idp",
        siret: "21590512800015",
    };
    assert_eq!(
        store
            .identity_account(identity.issuer, "sub-1")
            .await
            .unwrap(),
        None
    );
    store
        .attach_identity(&identity, "jcamus@ville-roubaix.fr", 1_000)
        .await
        .unwrap();
    assert_eq!(
        store
            .identity_account(identity.issuer, "sub-1")
            .await
            .unwrap()
            .as_deref(),
        Some("jcamus@ville-roubaix.fr")
    );
    assert_eq!(
        store
            .identity_account("https://autre", "sub-1")
            .await
            .unwrap(),
        None
    );
    open(&store, &hash('a'), "jcamus@ville-roubaix.fr", 1_000).await;
    store
        .create_api_token("t1", "jcamus@ville-roubaix.fr", "script", None)
        .await
        .unwrap();
    store
        .confirm_enrolment(
            "jcamus@ville-roubaix.fr",
            "0a",
            1,
            &["r1".to_owned()],
            &hash('a'),
            1_000,
        )
        .await
        .unwrap();
    // Onto an address another account holds: refused, nothing moved.
    assert!(matches!(
        store
            .change_email(
                "jcamus@ville-roubaix.fr",
                "autre@ville-roubaix.fr",
                "proconnect"
            )
            .await,
        Err(StoreError::DuplicateAccount(_))
    ));
    store
        .change_email(
            "jcamus@ville-roubaix.fr",
            "julia.camus@ville-roubaix.fr",
            "proconnect",
        )
        .await
        .unwrap();
    assert!(
        store
            .account("jcamus@ville-roubaix.fr")
            .await
            .unwrap()
            .is_none()
    );
    let (moved, hash_kept) = store
        .account("julia.camus@ville-roubaix.fr")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(hash_kept, "hash");
    assert_eq!(moved.memberships.len(), 1, "its role followed");
    assert_eq!(moved.memberships[0].role, Role::Administrateur);
    assert_eq!(
        store
            .live_session(&hash('a'), 1_001, 3_600)
            .await
            .unwrap()
            .unwrap()
            .account
            .email
            .as_str(),
        "julia.camus@ville-roubaix.fr"
    );
    assert!(store.api_token("t1", 1_001).await.unwrap().is_some());
    assert!(
        store
            .second_factor("julia.camus@ville-roubaix.fr")
            .await
            .unwrap()
            .is_some()
    );
    assert!(
        store
            .use_recovery_code("julia.camus@ville-roubaix.fr", "r1", 1_002)
            .await
            .unwrap()
    );
    assert_eq!(
        store
            .identity_account(identity.issuer, "sub-1")
            .await
            .unwrap()
            .as_deref(),
        Some("julia.camus@ville-roubaix.fr")
    );
    // A conflict is recorded once while open, then settled once.
    for _ in 0..2 {
        store
            .record_identity_conflict(
                &identity,
                "julia.camus@ville-roubaix.fr",
                "autre@ville-roubaix.fr",
                2_000,
            )
            .await
            .unwrap();
    }
    let open_ones = store.identity_conflicts().await.unwrap();
    assert_eq!(open_ones.len(), 1);
    assert_eq!(open_ones[0].claimed_email, "autre@ville-roubaix.fr");
    assert!(
        store
            .resolve_identity_conflict(open_ones[0].id, "admin", 2_100)
            .await
            .unwrap()
    );
    assert!(
        !store
            .resolve_identity_conflict(open_ones[0].id, "admin", 2_101)
            .await
            .unwrap()
    );
    assert!(store.identity_conflicts().await.unwrap().is_empty());
}

pub async fn an_allow_listed_account_waits_for_a_role_and_an_invitation_is_accepted_by_email<
    H: Harness,
>(
    h: &H,
) {
    let store = h.fresh().await;
    let newcomer = Account {
        email: Email::parse("prof@ac-lille.fr").unwrap(),
        name: "Prof".into(),
        active: true,
        instance_role: None,
        memberships: Vec::new(),
    };
    store
        .provision_account(&newcomer, "roubaix", "proconnect")
        .await
        .unwrap();
    let (found, password) = store.account("prof@ac-lille.fr").await.unwrap().unwrap();
    assert!(found.memberships.is_empty() && password.is_empty());
    let waiting = store.awaiting_accounts("roubaix").await.unwrap();
    assert_eq!(waiting.len(), 1);
    assert!(
        store
            .awaiting_accounts("tourcoing")
            .await
            .unwrap()
            .is_empty()
    );
    store
        .set_membership(
            "prof@ac-lille.fr",
            "roubaix",
            Some(&Membership::new("roubaix", Role::Contributeur, None)),
            "admin",
        )
        .await
        .unwrap();
    assert!(
        store.awaiting_accounts("roubaix").await.unwrap().is_empty(),
        "given a role"
    );
    // An invitation is accepted by its email, once.
    let invited = Account::member(
        Email::parse("invite@ville-roubaix.fr").unwrap(),
        "Invitée",
        Membership::new("roubaix", Role::Troika, None),
    );
    store
        .create_link(
            "l1",
            &OneTimeLink {
                purpose: LinkPurpose::Invitation,
                account: invited,
                expires_at: 5_000,
            },
            "admin",
        )
        .await
        .unwrap();
    assert!(
        store
            .accept_invitation_of("invite@ville-roubaix.fr", 6_000)
            .await
            .unwrap()
            .is_none(),
        "expired"
    );
    let accepted = store
        .accept_invitation_of("INVITE@ville-roubaix.fr", 1_000)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(accepted.memberships[0].role, Role::Troika);
    assert!(
        store
            .accept_invitation_of("invite@ville-roubaix.fr", 1_001)
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        store
            .link("l1", LinkPurpose::Invitation, 1_002)
            .await
            .unwrap()
            .is_none()
    );
}
