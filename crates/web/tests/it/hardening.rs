//! The findings of the security review of `f82bfd2`, each pinned by a test
//! named after what it protects.

use axum::http::StatusCode;

use crate::{get, roubaix};

#[tokio::test]
async fn a_language_prefix_never_redirects_off_the_site() {
    let app = roubaix();
    for lang in ["en", "tr", "ar", "pt"] {
        for tail in [
            "//evil.example",
            "//evil.example/actions",
            "/\\evil.example",
            "/%5Cevil.example",
            "/%2F%2Fevil.example",
        ] {
            let uri = format!("/{lang}{tail}");
            let Ok(_) = uri.parse::<axum::http::Uri>() else {
                continue;
            };
            let answer = get(&app, &uri).await;
            assert_eq!(answer.status, StatusCode::NOT_FOUND, "{uri}");
            assert!(answer.header("location").is_none(), "{uri}");
        }
    }
    // The ordinary redirect of a page only in French stays on the site.
    let answer = get(&app, "/en/bilan").await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
    assert_eq!(answer.header("location"), Some("/bilan"));
}

#[tokio::test]
async fn the_public_quality_report_hides_the_contact_details_kept_for_professionals() {
    use passerelle_domain::Visibility;
    let f = crate::editing::fixture().await;
    let (reference, parsed) = passerelle_livret::bundled::roubaix().unwrap();
    let report = passerelle_livret::check::report(
        passerelle_livret::bundled::BOOKLET,
        &reference,
        parsed.irregularities,
    );
    let messages: String = report.iter().map(|i| format!("{}\n", i.message)).collect();
    let mut catalogue = parsed.catalogue;
    // Everyone whose email the report quotes keeps their details for
    // professionals.
    let contacts: Vec<passerelle_domain::Contact> = catalogue
        .programmes
        .iter()
        .flat_map(|p| &p.actions)
        .flat_map(|a| a.contacts.clone())
        .collect();
    let mut hidden: Vec<String> = Vec::new();
    let mut people = 0;
    for person in &mut catalogue.people {
        let mut theirs: Vec<String> = person
            .emails
            .iter()
            .map(|e| e.as_str().to_owned())
            .collect();
        theirs.extend(
            contacts
                .iter()
                .filter(|c| c.person == person.slug)
                .filter_map(|c| c.email.clone()),
        );
        theirs.retain(|e| messages.contains(e.as_str()));
        theirs.sort();
        theirs.dedup();
        if theirs.is_empty() {
            continue;
        }
        person.email_visibility = Visibility::Professionnels;
        person.phone_visibility = Visibility::Professionnels;
        people += 1;
        hidden.extend(theirs);
    }
    assert!(
        people >= 3 && hidden.len() >= 5,
        "{people} people, {hidden:?}"
    );
    let snapshot = passerelle_web::Snapshot::new(catalogue, report, "livret.md".into()).unwrap();
    f.state.tenant("roubaix").unwrap().replace(snapshot);

    let anonymous = get(&f.app, "/qualite").await;
    assert_eq!(anonymous.status, StatusCode::OK);
    assert!(anonymous.body.contains("réservée aux professionnels"));
    let (cookie, _) = crate::editing::Who::Troika.session().unwrap();
    let professional = crate::send(
        &f.app,
        axum::http::Method::GET,
        "/qualite",
        &[("cookie", cookie.as_str())],
    )
    .await;
    assert_eq!(professional.status, StatusCode::OK);
    for email in &hidden {
        assert!(
            !anonymous.body.contains(email.as_str()),
            "{email} shown to the public"
        );
        assert!(
            professional.body.contains(email.as_str()),
            "{email} hidden from professionals"
        );
    }
    // VENANT's phone, as printed, goes too.
    assert!(!anonymous.body.contains("03.20.30.56.07"));
}

/// A value other than `v`, of the same shape where it has one.
fn forged(v: &serde_json::Value) -> serde_json::Value {
    use serde_json::{Value, json};
    match v {
        Value::Object(m) => {
            let mut m = m.clone();
            m.insert("forge".into(), json!(999));
            Value::Object(m)
        }
        Value::Array(a) => {
            let mut a = a.clone();
            a.push(json!({"year": 2022, "value": 999, "validated_by": "coordination@ville-roubaix.fr"}));
            Value::Array(a)
        }
        Value::String(s) => json!(format!("{s} forgé")),
        Value::Number(n) => json!(n.as_i64().unwrap_or(0) + 1),
        Value::Bool(b) => json!(!b),
        Value::Null => json!({"year": 2022, "value": 999}),
    }
}

#[tokio::test]
async fn an_api_write_changes_only_what_the_editing_form_lets_its_author_change() {
    use axum::http::Method;
    use passerelle_domain::EntityKind;
    use passerelle_store::CatalogueStore;
    use serde_json::json;

    use crate::editing::{Who, fixture, form_values, get_as};
    use crate::editing_matrix::json_as;

    let kinds = [
        (EntityKind::Action, "actions", "action"),
        (EntityKind::Axis, "axes", "axis"),
        (EntityKind::Programme, "programmes", "programme"),
        (EntityKind::Organisation, "organisations", "organisation"),
        (EntityKind::Person, "personnes", "person"),
        (EntityKind::Territory, "territoires", "territory"),
        (EntityKind::Seminar, "evenements", "seminar"),
        (EntityKind::Cite, "cite", "cite"),
    ];
    let f = fixture().await;
    let all = f.store.entities("roubaix").await.unwrap();
    let mut tried = 0;
    for (kind, segment, api_kind) in kinds {
        // Fiche 5 for the actions: its operator's referent may edit it.
        let entity = all
            .iter()
            .filter(|e| e.kind == kind)
            .find(|e| kind != EntityKind::Action || e.key.ends_with("fiche-5"))
            .unwrap();
        let url_key = entity.key.replace('/', "~");
        let page = get_as(&f, Who::Admin, &format!("/admin/{segment}/{url_key}")).await;
        assert_eq!(page.status, 200, "{segment}");
        let fields: Vec<String> = form_values(&page.body)
            .into_iter()
            .map(|(k, _)| k.split('.').next().unwrap_or_default().to_owned())
            .collect();
        let mut keys: Vec<String> = entity.body.as_object().unwrap().keys().cloned().collect();
        keys.extend(["review", "predecessor", "inconnu"].map(String::from));
        keys.sort();
        keys.dedup();
        let outside: Vec<String> = keys
            .into_iter()
            .filter(|k| !fields.contains(k))
            .filter(|k| !["slug", "fiche", "number", "inferred", "half_days"].contains(&k.as_str()))
            .collect();
        assert!(
            !outside.is_empty() || kind != EntityKind::Action,
            "{outside:?}"
        );
        let uri = format!("/api/v1/entities/{api_kind}/{url_key}");
        for key in &outside {
            for who in Who::ALL {
                let before = f
                    .store
                    .entity("roubaix", kind, &entity.key)
                    .await
                    .unwrap()
                    .unwrap();
                let mut body = before.entity.body.clone();
                body[key.as_str()] = forged(&body[key.as_str()]);
                let put = json!({"version": before.version, "body": body});
                let got = json_as(&f, who, Method::PUT, &uri, &put).await;
                let after = f
                    .store
                    .entity("roubaix", kind, &entity.key)
                    .await
                    .unwrap()
                    .unwrap();
                assert_eq!(
                    after.version, before.version,
                    "{who:?} changed {segment}.{key}: {}",
                    got.body
                );
                assert_eq!(
                    after.entity.body, before.entity.body,
                    "{who:?} {segment}.{key}"
                );
                assert!(
                    [401, 403, 422].contains(&got.status.as_u16()),
                    "{who:?} {segment}.{key}: {} {}",
                    got.status,
                    got.body
                );
                if got.status == 422 {
                    assert_eq!(got.json()["error"]["parameter"], format!("body.{key}"));
                }
                tried += 1;
            }
        }
    }
    assert!(tried > 100, "{tried} writes tried");
}

#[tokio::test]
async fn a_referent_cannot_publish_validated_review_values_through_the_api() {
    use axum::http::Method;
    use serde_json::json;

    use crate::editing::{FICHE5, Who, fixture, get_as};
    use crate::editing_matrix::json_as;

    let f = fixture().await;
    let uri = format!("/api/v1/entities/action/{}", FICHE5.replace('/', "~"));
    let current = json_as(&f, Who::ReferentOwn, Method::GET, &uri, &json!(null))
        .await
        .json();
    let mut body = current["body"].clone();
    body["review"] = json!({
        "status": "en-cours",
        "indicators": [{"label": "Participants", "target": {"value": 1}, "values": [
            {"year": 2022, "value": 999, "validated_by": "coordination@ville-roubaix.fr", "entered_by": "coordination@ville-roubaix.fr"}
        ]}],
        "decision": "maintenir"
    });
    body["predecessor"] = json!("programmation-2020-2022/fiche-1");
    let put = |body: serde_json::Value| {
        let save = json!({"version": current["version"], "body": body});
        let (f, uri) = (&f, &uri);
        async move { json_as(f, Who::ReferentOwn, Method::PUT, uri, &save).await }
    };
    let got = put(body).await;
    assert_eq!(got.status, 422, "{}", got.body);
    let review = get_as(&f, Who::Anonymous, "/bilan").await;
    assert!(!review.body.contains("999"));
    // The same body with the review as stored saves: a client that reads,
    // changes a field and writes back is not refused.
    let mut body = current["body"].clone();
    body["title"] = json!("Titre changé");
    let saved = put(body).await;
    assert_eq!(saved.status, 200, "{}", saved.body);
}

#[tokio::test]
async fn an_anonymous_form_refuses_a_csrf_cookie_this_instance_did_not_sign() {
    use crate::post_form;
    let f = crate::editing::fixture().await;
    // A cookie and field of the same value, as a sibling subdomain could
    // plant: equal, but not signed here.
    let planted = "a".repeat(64);
    let cookie = format!("passerelle_csrf={planted}");
    let signin = format!("email=troika%40nord.gouv.fr&password=x&csrf={planted}");
    let refused = post_form(&f.app, "/connexion", &signin, &[("cookie", &cookie)]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
    let forgot = format!("email=troika%40nord.gouv.fr&csrf={planted}");
    let refused = post_form(
        &f.app,
        "/mot-de-passe-oublie",
        &forgot,
        &[("cookie", &cookie)],
    )
    .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let letter = format!("email=nadia%40exemple.fr&liste=1&csrf={planted}");
    let refused = post_form(&f.app, "/lettre", &letter, &[("cookie", &cookie)]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    // The token the form hands out is signed, and passes.
    let form = get(&f.app, "/connexion").await;
    let issued = form.cookie("passerelle_csrf").unwrap();
    let issued = issued.trim_start_matches("passerelle_csrf=").to_owned();
    assert!(issued.contains('.'), "signed: {issued}");
    let cookie = format!("passerelle_csrf={issued}");
    let signin = format!("email=troika%40nord.gouv.fr&password=faux-mot-de-passe&csrf={issued}");
    let wrong_password = post_form(&f.app, "/connexion", &signin, &[("cookie", &cookie)]).await;
    assert_eq!(wrong_password.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_forgotten_password_form_needs_its_csrf_token() {
    let f = crate::editing::fixture().await;
    let form = get(&f.app, "/mot-de-passe-oublie").await;
    assert!(form.body.contains("name=\"csrf\""));
    let bare = crate::post_form(
        &f.app,
        "/mot-de-passe-oublie",
        "email=troika%40nord.gouv.fr",
        &[],
    )
    .await;
    assert_eq!(bare.status, StatusCode::FORBIDDEN);
    tokio::task::yield_now().await;
    assert!(
        f.state.editing().unwrap().logged_mail().is_empty(),
        "no link made"
    );
    let ok = crate::editing::forgot(&f, "troika@nord.gouv.fr").await;
    assert_eq!(ok.status, StatusCode::OK);
}

#[tokio::test]
async fn a_forgotten_password_is_answered_before_the_account_is_looked_up() {
    let f = crate::editing::fixture().await;
    let answer = crate::editing::forgot(&f, "troika@nord.gouv.fr").await;
    assert_eq!(answer.status, StatusCode::OK);
    // On this test's one thread, the link is made only once the answer has
    // left: nothing was mailed yet, whatever the account.
    assert!(f.state.editing().unwrap().logged_mail().is_empty());
    let mails = crate::editing::mails_once(&f, 1).await;
    assert_eq!(mails.len(), 1, "then the link is mailed");
    assert_eq!(mails[0].to, "troika@nord.gouv.fr");
}

#[tokio::test]
async fn a_password_reset_lists_then_revokes_the_accounts_api_tokens() {
    use axum::http::Method;

    use crate::editing::{Who, get_as, post_as};
    let f = crate::editing::fixture().await;
    for (label, days) in [("tableur", "30"), ("script", "")] {
        let made = post_as(
            &f,
            Who::Troika,
            "/compte/jetons",
            &[("label", label), ("days", days)],
        )
        .await;
        assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    }
    let account = get_as(&f, Who::Troika, "/compte").await;
    assert!(
        account.body.contains("valable jusqu&#39;au") || account.body.contains("valable jusqu'au"),
        "the expiry shown"
    );
    assert!(
        account.body.contains("jusqu&#39;à sa révocation")
            || account.body.contains("jusqu'à sa révocation")
    );
    let token = {
        let made = post_as(
            &f,
            Who::Troika,
            "/compte/jetons",
            &[("label", "lecture"), ("days", "90")],
        )
        .await;
        made.created_token()
    };
    let bearer = format!("Bearer {token}");
    let before = crate::send(
        &f.app,
        Method::GET,
        "/api/v1/orientations",
        &[("authorization", &bearer)],
    )
    .await;
    assert_eq!(before.status, StatusCode::OK, "{}", before.body);
    crate::editing::forgot(&f, "troika@nord.gouv.fr").await;
    let mails = crate::editing::mails_once(&f, 1).await;
    let link = mails[0]
        .body
        .split("http://passerelle.test")
        .nth(1)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_owned();
    let page = get(&f.app, &link).await;
    assert!(
        page.body
            .contains("3 jetons d&#39;API personnels seront révoqués")
            || page
                .body
                .contains("3 jetons d'API personnels seront révoqués"),
        "{}",
        page.body
    );
    assert!(page.body.contains("« tableur »"));
    let reset = crate::post_form(
        &f.app,
        &link,
        "password=un-nouveau-mot-de-passe&confirmation=un-nouveau-mot-de-passe",
        &[],
    )
    .await;
    assert_eq!(reset.status, StatusCode::SEE_OTHER);
    let after = crate::send(
        &f.app,
        Method::GET,
        "/api/v1/orientations",
        &[("authorization", &bearer)],
    )
    .await;
    assert_eq!(after.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn over_https_every_answer_asks_browsers_to_keep_to_https() {
    let f = crate::editing::fixture().await;
    let secure = passerelle_web::app(f.state.clone().with_accounts(f.store.clone(), true));
    for uri in [
        "/",
        "/actions/5",
        "/connexion",
        "/api/v1/actions",
        "/nulle-part",
    ] {
        let answer = get(&secure, uri).await;
        assert_eq!(
            answer.header("strict-transport-security"),
            Some("max-age=31536000"),
            "{uri}"
        );
    }
    // Over plain HTTP (a developer's machine), none.
    assert!(
        get(&f.app, "/")
            .await
            .header("strict-transport-security")
            .is_none()
    );
}

#[tokio::test]
async fn an_event_written_through_the_api_keeps_its_half_days_times() {
    use axum::http::Method;
    use serde_json::json;

    use crate::editing::{Who, fixture};
    use crate::editing_matrix::json_as;

    let f = fixture().await;
    let half_day = |end_hour: u8| {
        json!([{"label": "Matinée", "title": "Travail", "start": {"hour": 9, "minute": 0},
            "end": {"hour": end_hour, "minute": 0},
            "sessions": [{"start": {"hour": 9, "minute": 0}, "end": null, "title": "Séance",
                "subtitle": null, "kind": "ouverture", "parts": []}]}])
    };
    let body = json!({"version": 0, "body": {
        "title": "Commission", "subtitle": "", "date": {"year": 2027, "month": 3, "day": 24},
        "introduction": "", "goals": [], "walking_questions": [], "workshops": [],
        "place": "Roubaix", "half_days": half_day(12)}});
    let created = json_as(
        &f,
        Who::Admin,
        Method::POST,
        "/api/v1/entities/seminar",
        &body,
    )
    .await;
    assert_eq!(created.status, 201, "{}", created.body);
    let saved = created.json();
    assert_eq!(
        saved["body"]["half_days"][0]["end"],
        json!({"hour": 12, "minute": 0})
    );
    assert_eq!(saved["body"]["half_days"][0]["title"], "Travail");
    // Changed through the API, the half-day's end is saved too.
    let mut changed = saved["body"].clone();
    changed["half_days"] = half_day(13);
    let uri = format!(
        "/api/v1/entities/seminar/{}",
        saved["key"].as_str().unwrap()
    );
    let put = json!({"version": saved["version"], "body": changed});
    let updated = json_as(&f, Who::Admin, Method::PUT, &uri, &put).await;
    assert_eq!(updated.status, 200, "{}", updated.body);
    assert_eq!(
        updated.json()["body"]["half_days"][0]["end"],
        json!({"hour": 13, "minute": 0})
    );
}
