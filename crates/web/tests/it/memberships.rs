//! Roles held per cité on the web: a cité's administrators give and take
//! roles in their cité only; the instance's administrators name a cité's
//! administrators and give the instance roles.

use passerelle_domain::{InstanceRole, Membership, Role};
use passerelle_store::{AccountStore, CatalogueStore};

use crate::editing::{Who, fixture_of, get_as, post_as};
use crate::editing_cites::{get_as_other, instance_admin, post_as_other, tourcoing_admin};

const TROIKA: &str = "troika@nord.gouv.fr";

#[tokio::test]
async fn a_cites_administrator_gives_and_takes_a_role_there_without_touching_another_cite() {
    let f = fixture_of(&["roubaix", "tourcoing"]).await;
    let admin = tourcoing_admin(&f).await;
    // Roubaix's troïka member, already an account: the role is given at once.
    let given = post_as_other(
        &f,
        &admin,
        "/tourcoing/admin/comptes/inviter",
        &[
            ("email", TROIKA),
            ("name", "Troïka"),
            ("role", "referent"),
            ("organisation", "citeo"),
        ],
    )
    .await;
    assert_eq!(given.status, 303, "{}", given.body);
    let held = f.store.account(TROIKA).await.unwrap().unwrap().0;
    assert_eq!(held.role_in("roubaix"), Some(Role::Troika));
    assert_eq!(held.role_in("tourcoing"), Some(Role::Referent));
    let mail = f.state.editing().unwrap().logged_mail().pop().unwrap();
    assert_eq!(mail.to, TROIKA);
    assert!(
        mail.body.contains("Référent d'un opérateur ("),
        "{}",
        mail.body
    );
    assert!(
        !mail.body.contains("/invitation/"),
        "an existing account gets no invitation link"
    );
    // Given twice: refused, said so.
    let again = post_as_other(
        &f,
        &admin,
        "/tourcoing/admin/comptes/inviter",
        &[("email", TROIKA), ("name", "Troïka"), ("role", "troika")],
    )
    .await;
    assert_eq!(again.status, 409);
    assert!(again.body.contains("déjà un rôle dans cette cité"));
    // Tourcoing's list shows its own accounts only, and does not offer to
    // deactivate an account used elsewhere.
    let list = get_as_other(&f, &admin, "/tourcoing/admin/comptes").await;
    assert_eq!(list.status, 200);
    assert!(list.body.contains(TROIKA));
    assert!(
        !list.body.contains("referent@citeo.com"),
        "a Roubaix-only account is listed"
    );
    assert!(list.body.contains("Compte utilisé aussi ailleurs"));
    let deactivate = post_as_other(
        &f,
        &admin,
        "/tourcoing/admin/comptes/modifier",
        &[
            ("email", TROIKA),
            ("role", "referent"),
            ("organisation", "citeo"),
        ],
    )
    .await;
    assert_eq!(
        deactivate.status, 403,
        "an account used elsewhere is not deactivated from here"
    );
    assert!(f.store.account(TROIKA).await.unwrap().unwrap().0.active);
    // Taken away from Tourcoing: Roubaix's role stays.
    let removed = post_as_other(
        &f,
        &admin,
        "/tourcoing/admin/comptes/modifier",
        &[("email", TROIKA), ("role", ""), ("active", "1")],
    )
    .await;
    assert_eq!(removed.status, 303, "{}", removed.body);
    let held = f.store.account(TROIKA).await.unwrap().unwrap().0;
    assert_eq!(
        held.memberships,
        [Membership::new("roubaix", Role::Troika, None)]
    );
    // The last administrator of a cité stays one.
    let demoted = post_as_other(
        &f,
        &admin,
        "/tourcoing/admin/comptes/modifier",
        &[
            ("email", "coordination@ville-tourcoing.fr"),
            ("role", "troika"),
            ("active", "1"),
        ],
    )
    .await;
    assert_eq!(demoted.status, 409);
    // Each cité's log holds what was done in it.
    let roubaix = f.store.activity(Some("roubaix"), 100).await.unwrap();
    assert!(
        roubaix
            .iter()
            .all(|a| a.actor != "coordination@ville-tourcoing.fr")
    );
    let log = get_as_other(&f, &admin, "/tourcoing/admin/activite").await;
    assert!(log.body.contains("set-membership"));
    let roubaix_log = get_as(&f, Who::Admin, "/roubaix/admin/activite").await;
    assert!(!roubaix_log.body.contains("coordination@ville-tourcoing.fr"));
}

/// The instance's sign-in routes: a cité's administrator (of either cité)
/// and the national reader are refused, nothing written; the instance's
/// administrator settles an identity conflict and removes a second factor.
#[tokio::test]
async fn only_the_instances_administrator_settles_identities_and_removes_second_factors() {
    use passerelle_store::SignInStore;
    let f = fixture_of(&["roubaix", "tourcoing"]).await;
    let identity = passerelle_store::Identity {
        issuer: "https://auth.agentconnect.gouv.fr/api/v2",
        subject: "sub-1",
        idp_id: "",
        siret: "",
    };
    f.store
        .record_identity_conflict(&identity, TROIKA, "coordination@ville-roubaix.fr", 1_000)
        .await
        .unwrap();
    let id = f.store.identity_conflicts().await.unwrap()[0]
        .id
        .to_string();
    f.store
        .confirm_enrolment(TROIKA, &"ab".repeat(20), 1, &[], "aucune", 1_000)
        .await
        .unwrap();
    let tourcoing = tourcoing_admin(&f).await;
    let reader = crate::editing_cites::national_reader(&f).await;
    let routes = [
        ("/instance/identites", ("id", id.as_str())),
        ("/instance/second-facteur", ("email", TROIKA)),
    ];
    for (uri, pair) in routes {
        for who in [&tourcoing, &reader] {
            let before = f.store.activity(None, 1000).await.unwrap().len();
            assert_eq!(
                post_as_other(&f, who, uri, &[pair]).await.status,
                403,
                "{uri}"
            );
            assert_eq!(
                f.store.activity(None, 1000).await.unwrap().len(),
                before,
                "{uri}"
            );
        }
        for cite in ["roubaix", "tourcoing"] {
            let prefixed = format!("/{cite}{uri}");
            assert_ne!(
                post_as(&f, Who::Admin, &prefixed, &[pair]).await.status,
                303,
                "{prefixed}"
            );
        }
    }
    let instance = instance_admin(&f).await;
    let page = get_as_other(&f, &instance, "/instance").await;
    assert!(page.body.contains("Identités ProConnect à régler"));
    for (uri, pair) in routes {
        assert_eq!(
            post_as_other(&f, &instance, uri, &[pair]).await.status,
            303,
            "{uri}"
        );
        assert_eq!(
            post_as_other(&f, &instance, uri, &[pair]).await.status,
            404,
            "{uri} twice"
        );
    }
    assert!(f.store.identity_conflicts().await.unwrap().is_empty());
    assert_eq!(f.store.second_factor(TROIKA).await.unwrap(), None);
}

/// Accounts a cité's allow-list let in wait on that cité's page only.
#[tokio::test]
async fn an_account_waiting_for_a_role_is_shown_to_its_cites_administrators_only() {
    use passerelle_store::SignInStore;
    let f = fixture_of(&["roubaix", "tourcoing"]).await;
    let newcomer = crate::editing_cites::account("prof@ac-lille.fr", None, None);
    f.store
        .provision_account(&newcomer, "roubaix", "proconnect")
        .await
        .unwrap();
    let roubaix = get_as(&f, Who::Admin, "/roubaix/admin/comptes").await;
    assert!(roubaix.body.contains("prof@ac-lille.fr"));
    let tourcoing = tourcoing_admin(&f).await;
    let own = get_as_other(&f, &tourcoing, "/tourcoing/admin/comptes").await;
    assert_eq!(own.status, 200);
    assert!(!own.body.contains("prof@ac-lille.fr"));
    assert_eq!(
        get_as_other(&f, &tourcoing, "/roubaix/admin/comptes")
            .await
            .status,
        403
    );
    for who in [Who::Troika, Who::Contributor] {
        assert_eq!(get_as(&f, who, "/roubaix/admin/comptes").await.status, 403);
    }
}

#[tokio::test]
async fn the_instances_administrator_names_a_cites_administrators_and_the_national_readers() {
    let f = fixture_of(&["roubaix", "tourcoing"]).await;
    for who in [Who::Admin, Who::Troika] {
        assert_eq!(get_as(&f, who, "/instance").await.status, 403, "{who:?}");
        let refused = post_as(
            &f,
            who,
            "/instance/inviter",
            &[("cite", "tourcoing"), ("email", "x@y.fr"), ("name", "X")],
        )
        .await;
        assert_eq!(refused.status, 403, "{who:?}");
    }
    assert_eq!(get_as(&f, Who::Anonymous, "/instance").await.status, 401);
    let instance = instance_admin(&f).await;
    let page = get_as_other(&f, &instance, "/instance").await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("Coordination") || page.body.contains("coordination@ville-roubaix.fr")
    );
    assert!(page.body.contains("href=\"/tourcoing/admin/comptes\""));
    // Tourcoing's first administrator, invited by a one-time link.
    let named = post_as_other(
        &f,
        &instance,
        "/instance/inviter",
        &[
            ("cite", "tourcoing"),
            ("email", "direction@ville-tourcoing.fr"),
            ("name", "Direction"),
        ],
    )
    .await;
    assert_eq!(named.status, 303, "{}", named.body);
    let log = f.store.activity(Some("tourcoing"), 10).await.unwrap();
    assert!(
        log.iter()
            .any(|a| a.action == "invite" && a.target == "direction@ville-tourcoing.fr")
    );
    let unknown = post_as_other(
        &f,
        &instance,
        "/instance/inviter",
        &[("cite", "lille"), ("email", "a@b.fr"), ("name", "A")],
    )
    .await;
    assert_eq!(unknown.status, 422);
    // A national reader, given to an existing account.
    let reader = post_as_other(
        &f,
        &instance,
        "/instance/inviter",
        &[
            ("role", "lecteur-national"),
            ("email", TROIKA),
            ("name", "Troïka"),
        ],
    )
    .await;
    assert_eq!(reader.status, 303, "{}", reader.body);
    let held = f.store.account(TROIKA).await.unwrap().unwrap().0;
    assert_eq!(held.instance_role, Some(InstanceRole::LecteurNational));
    assert_eq!(
        get_as(&f, Who::Troika, "/tourcoing/admin").await.status,
        200
    );
    assert_eq!(
        get_as(&f, Who::Troika, "/tourcoing/admin/activite")
            .await
            .status,
        403
    );
    // The instance's administrator edits no cité's programme…
    assert_eq!(
        get_as_other(&f, &instance, "/tourcoing/admin").await.status,
        403
    );
    // …and stays while they are the last one.
    let last = post_as_other(
        &f,
        &instance,
        "/instance/retirer",
        &[("email", "instance@prefecture.gouv.fr")],
    )
    .await;
    assert_eq!(last.status, 409);
    let withdrawn = post_as_other(&f, &instance, "/instance/retirer", &[("email", TROIKA)]).await;
    assert_eq!(withdrawn.status, 303);
    assert_eq!(
        f.store
            .account(TROIKA)
            .await
            .unwrap()
            .unwrap()
            .0
            .instance_role,
        None
    );
}

#[tokio::test]
async fn a_registration_link_opens_in_its_own_cite_only() {
    use passerelle_domain::{Email, ParticipantKind, RegistrationForm};
    use passerelle_store::ParticipationStore;
    // Both cités hold an event of the same slug: the link is Roubaix's.
    let f = fixture_of(&["roubaix", "tourcoing"]).await;
    let form = RegistrationForm {
        name: "Nadia Parent".into(),
        email: Email::parse("nadia@exemple.fr").unwrap(),
        organisation: String::new(),
        kind: ParticipantKind::Parent,
        choices: Vec::new(),
    };
    let token = "un-jeton-d-inscription-assez-long-pour-le-test-0123456789";
    f.store
        .register(
            "roubaix",
            "roubaix-seminaire-2022-10-11",
            "2022-10-11",
            &form,
            &passerelle_auth::token_hash(token),
            None,
        )
        .await
        .unwrap();
    let own = get_as(&f, Who::Anonymous, &format!("/roubaix/inscription/{token}")).await;
    assert_eq!(own.status, 200, "{}", own.body);
    assert!(own.body.contains("Nadia Parent"));
    let there = get_as(
        &f,
        Who::Anonymous,
        &format!("/tourcoing/inscription/{token}"),
    )
    .await;
    assert_eq!(there.status, 404);
    assert!(!there.body.contains("Nadia Parent"));
    // Cancelling it through the other cité (the link is the proof): not found.
    let body = "intent=annuler";
    let uri = format!("/tourcoing/inscription/{token}");
    let cancel = crate::post_form(&f.app, &uri, body, &[]).await;
    assert_eq!(cancel.status, 404, "{}", cancel.body);
    let kept = f
        .store
        .registration(&passerelle_auth::token_hash(token))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        kept.status,
        passerelle_domain::RegistrationStatus::Confirmed
    );
    // The same form through its own cité does cancel it.
    let uri = format!("/roubaix/inscription/{token}");
    let cancel = crate::post_form(&f.app, &uri, body, &[]).await;
    assert!(
        cancel.status.is_redirection() || cancel.status == 200,
        "{}",
        cancel.status
    );
    let after = f
        .store
        .registration(&passerelle_auth::token_hash(token))
        .await
        .unwrap();
    assert!(after.is_none_or(|r| r.status != passerelle_domain::RegistrationStatus::Confirmed));
}

#[tokio::test]
async fn the_workspace_offers_the_spreadsheet_template_to_the_cites_administrators() {
    let f = crate::editing::fixture().await;
    let admin = get_as(&f, Who::Admin, "/admin").await;
    assert!(admin.body.contains("href=\"/admin/modele-programme.xlsx\""));
    assert!(
        admin
            .body
            .contains("passerelle import programme.xlsx --cite roubaix")
    );
    let troika = get_as(&f, Who::Troika, "/admin").await;
    assert!(!troika.body.contains("modele-programme"));
    let file = get_as(&f, Who::Admin, "/admin/modele-programme.xlsx").await;
    assert_eq!(file.status, 200);
    assert_eq!(
        file.header("content-type"),
        Some("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    );
    assert!(
        file.header("content-disposition")
            .unwrap()
            .contains("programme-modele.xlsx")
    );
    let csv = get_as(&f, Who::Admin, "/admin/modele-programme.csv").await;
    assert!(
        csv.body
            .contains("Programme;Axe;Intitulé de l'axe;Fiche;Intitulé")
    );
}

/// A `multipart/form-data` body with a CSRF field and a file.
pub(crate) fn multipart(csrf: Option<&str>, name: &str, file: &[u8]) -> (String, Vec<u8>) {
    let boundary = "passerelle-test-boundary";
    let mut body = Vec::new();
    if let Some(csrf) = csrf {
        body.extend(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n"
            )
            .as_bytes(),
        );
    }
    body.extend(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"fichier\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend(file);
    body.extend(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

#[tokio::test]
async fn a_cites_administrator_imports_a_spreadsheet_after_seeing_what_it_changes() {
    let f = crate::editing::fixture().await;
    assert_eq!(get_as(&f, Who::Admin, "/admin/import").await.status, 200);
    assert_eq!(get_as(&f, Who::Troika, "/admin/import").await.status, 403);
    // The programme as a spreadsheet, one title corrected, one address broken.
    let catalogue = f
        .state
        .tenant("roubaix")
        .unwrap()
        .snapshot()
        .catalogue
        .clone();
    let mut rows = passerelle_livret::sheet::rows_of(&catalogue);
    rows[1][4] = "Partage d'informations, nouvelle formule".into();
    rows[2][11] = "Structure : Jean DUPONT, jean.dupont@".into();
    let xlsx = passerelle_sheet::write_xlsx("Actions", &rows, None).unwrap();
    let (cookie, csrf) = Who::Admin.session().unwrap();
    let (content_type, body) = multipart(Some(&csrf), "programme.xlsx", &xlsx);
    let headers = [
        ("cookie", cookie.as_str()),
        ("content-type", content_type.as_str()),
    ];
    let preview = crate::request(
        &f.app,
        axum::http::Method::POST,
        "/admin/import",
        axum::body::Body::from(body),
        &headers,
    )
    .await;
    assert_eq!(preview.status, 200, "{}", preview.body);
    // The title and the contacts change; the new contact is a new person.
    assert!(
        preview
            .body
            .contains("1 ajout(s), 2 mise(s) à jour, 0 suppression(s)")
    );
    assert!(preview.body.contains(
        "programme.xlsx, feuille « Actions », ligne 3, colonne Contacts : adresse « jean.dupont@ » invalide"
    ));
    // Nothing is written before the confirmation.
    let stored = f
        .state
        .tenant("roubaix")
        .unwrap()
        .snapshot()
        .catalogue
        .clone();
    assert_eq!(stored, catalogue);
    // Without the session's token the file is refused.
    let (content_type, body) = multipart(None, "programme.xlsx", &xlsx);
    let forged = crate::request(
        &f.app,
        axum::http::Method::POST,
        "/admin/import",
        axum::body::Body::from(body),
        &[
            ("cookie", cookie.as_str()),
            ("content-type", content_type.as_str()),
        ],
    )
    .await;
    assert_eq!(forged.status, 403);
    // Confirmed: applied, visible at once, logged.
    let grid = preview
        .body
        .split("name=\"grid\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .replace("&#34;", "\"")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#60;", "<")
        .replace("&#62;", ">")
        .replace("&#38;", "&")
        .replace("&amp;", "&");
    let pairs = [("source", "programme.xlsx"), ("grid", grid.as_str())];
    let confirm = |who| post_as(&f, who, "/admin/import/confirmer", &pairs);
    let done = confirm(Who::Admin).await;
    assert_eq!(done.status, 303, "{}", done.body);
    assert!(
        get_as(&f, Who::Anonymous, "/actions/1")
            .await
            .body
            .contains("nouvelle formule")
    );
    let log = f.store.activity(Some("roubaix"), 5).await.unwrap();
    assert!(log.iter().any(|a| a.action == "import"), "{log:?}");
    // The same file again: nothing more to change.
    let again = confirm(Who::Admin).await;
    assert_eq!(again.header("location"), Some("/admin/import?fait=0"));
    // Another role cannot confirm one.
    let refused = confirm(Who::Troika).await;
    assert_eq!(refused.status, 403);
}
