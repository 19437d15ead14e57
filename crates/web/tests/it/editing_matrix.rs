//! Every mutating route × every role gets exactly the expected answer; no
//! form passes without its CSRF token; script typed in any field is inert.

use passerelle_domain::EntityKind;
use passerelle_store::CatalogueStore;

use crate::editing::{FICHE5, Fixture, Who, fixture, form_values, get_as, post_as, set};

/// A mutating route, and the form that makes it succeed for those allowed.
pub(crate) struct Route {
    pub(crate) uri: &'static str,
    /// Values: from an admin's form at this address, plus these.
    pub(crate) form_from: Option<&'static str>,
    pub(crate) extra: &'static [(&'static str, &'static str)],
}

pub(crate) const ROUTES: &[Route] = &[
    Route {
        uri: "/admin/actions/nouveau",
        form_from: None,
        extra: &[("fiche", "99"), ("title", "Nouvelle action"), ("axis", "1")],
    },
    Route {
        uri: "/admin/axes/nouveau",
        form_from: None,
        extra: &[
            ("number", "4"),
            ("title", "Axe nouveau"),
            ("heading", "AXE NOUVEAU"),
        ],
    },
    Route {
        uri: "/admin/programmes/nouveau",
        form_from: None,
        extra: &[
            ("title", "Programmation 2023-2025"),
            ("start_year", "2023"),
            ("end_year", "2025"),
        ],
    },
    Route {
        uri: "/admin/organisations/nouveau",
        form_from: None,
        extra: &[("name", "Nouvelle association"), ("kind", "association")],
    },
    Route {
        uri: "/admin/personnes/nouveau",
        form_from: None,
        extra: &[
            ("name", "Nouvelle Personne"),
            ("email_visibility", "public"),
            ("phone_visibility", "public"),
        ],
    },
    Route {
        uri: "/admin/territoires/nouveau",
        form_from: None,
        extra: &[("name", "Nouveau quartier"), ("kind", "quartier")],
    },
    Route {
        uri: "/admin/actions/programmation-2020-2022~fiche-5",
        form_from: Some("/admin/actions/programmation-2020-2022~fiche-5"),
        extra: &[("title", "Changé")],
    },
    Route {
        uri: "/admin/actions/programmation-2020-2022~fiche-9",
        form_from: Some("/admin/actions/programmation-2020-2022~fiche-9"),
        extra: &[("title", "Changé")],
    },
    Route {
        uri: "/admin/axes/programmation-2020-2022~axe-1",
        form_from: Some("/admin/axes/programmation-2020-2022~axe-1"),
        extra: &[("title", "Changé")],
    },
    Route {
        uri: "/admin/programmes/programmation-2020-2022",
        form_from: Some("/admin/programmes/programmation-2020-2022"),
        extra: &[("title", "Changé")],
    },
    Route {
        uri: "/admin/organisations/citeo",
        form_from: Some("/admin/organisations/citeo"),
        extra: &[("name", "Changé")],
    },
    Route {
        uri: "/admin/personnes/julia-camus",
        form_from: Some("/admin/personnes/julia-camus"),
        extra: &[("name", "Changé")],
    },
    Route {
        uri: "/admin/territoires/secteur-nord",
        form_from: Some("/admin/territoires/secteur-nord"),
        extra: &[("name", "Changé")],
    },
    Route {
        uri: "/admin/cite/roubaix",
        form_from: Some("/admin/cite/roubaix"),
        extra: &[("name", "Changé")],
    },
    Route {
        uri: "/admin/organisations/citeo/archiver",
        form_from: None,
        extra: &[("version", "1")],
    },
    Route {
        uri: "/admin/actions/programmation-2020-2022~fiche-5/restaurer",
        form_from: None,
        extra: &[("version", "1"), ("restore", "1")],
    },
    Route {
        uri: "/admin/comptes/inviter",
        form_from: None,
        extra: &[
            ("email", "nouveau@roubaix.fr"),
            ("name", "Nouveau"),
            ("role", "troika"),
        ],
    },
    Route {
        uri: "/admin/comptes/modifier",
        form_from: None,
        extra: &[("email", "troika@nord.gouv.fr"), ("role", "troika")],
    },
    Route {
        uri: "/compte/jetons",
        form_from: None,
        extra: &[("label", "script")],
    },
    Route {
        uri: "/compte/jetons/revoquer",
        form_from: None,
        extra: &[("label", "script")],
    },
    Route {
        uri: "/compte/sessions/fermer",
        form_from: None,
        // Nobody's session: ending one that is not one's own is tried in
        // `second_factor.rs`.
        extra: &[("id", "0123456789abcdef")],
    },
    Route {
        uri: "/compte/sessions/fermer-les-autres",
        form_from: None,
        extra: &[],
    },
    Route {
        uri: "/compte/mot-de-passe",
        form_from: None,
        extra: &[
            ("current", "pas-le-mot-de-passe"),
            ("password", "une-nouvelle-phrase-de-passe"),
            ("confirmation", "une-nouvelle-phrase-de-passe"),
        ],
    },
    Route {
        uri: "/instance/identites",
        form_from: None,
        extra: &[("id", "1")],
    },
    Route {
        uri: "/instance/second-facteur",
        form_from: None,
        extra: &[("email", "troika@nord.gouv.fr")],
    },
];

/// What each role gets, in the order of [`Who::ALL`]:
/// anonymous, contributor, troïka, referent of Citéo, referent of the GAPAS, administrator.
fn expected(uri: &str) -> [u16; 6] {
    match uri {
        "/compte/jetons" => [401, 201, 201, 201, 201, 201],
        "/compte/jetons/revoquer" => [401, 303, 303, 303, 303, 303],
        "/compte/sessions/fermer" => [401, 404, 404, 404, 404, 404],
        "/compte/sessions/fermer-les-autres" => [401, 303, 303, 303, 303, 303],
        // The current password is wrong: refused, nothing changed.
        "/compte/mot-de-passe" => [401, 422, 422, 422, 422, 422],
        // The instance's administrators only (`memberships.rs`).
        u if u.starts_with("/instance/") => [401, 403, 403, 403, 403, 403],
        u if u.contains("fiche-5") => [401, 403, 403, 303, 403, 303],
        u if u.contains("fiche-9") => [401, 403, 403, 403, 303, 303],
        _ => [401, 403, 403, 403, 403, 303],
    }
}

async fn values(f: &Fixture, route: &Route) -> Vec<(String, String)> {
    let mut values = match route.form_from {
        Some(from) => {
            let form = get_as(f, Who::Admin, from).await;
            assert_eq!(form.status, 200, "{from}");
            form_values(&form.body)
        }
        None => Vec::new(),
    };
    for (k, v) in route.extra {
        set(&mut values, k, v);
    }
    values
}

#[tokio::test]
async fn every_mutating_route_answers_each_role_exactly_as_expected() {
    let mut failures = Vec::new();
    for route in ROUTES {
        for (who, want) in Who::ALL.into_iter().zip(expected(route.uri)) {
            // A fresh database for each: a success must not change the next case.
            let f = fixture().await;
            let values = values(&f, route).await;
            let pairs: Vec<(&str, &str)> = values
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .chain([("intent", "enregistrer")])
                .collect();
            let before = f.store.activity(None, 1000).await.unwrap().len();
            let got = post_as(&f, who, route.uri, &pairs).await;
            let after = f.store.activity(None, 1000).await.unwrap().len();
            if got.status.as_u16() != want {
                failures.push(format!(
                    "{who:?} POST {}: {} (expected {want})",
                    route.uri, got.status
                ));
            }
            let wrote = after > before;
            if (want >= 400) == wrote {
                failures.push(format!(
                    "{who:?} POST {}: wrote {wrote} with {}",
                    route.uri, got.status
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[tokio::test]
async fn no_form_is_accepted_without_the_sessions_csrf_token() {
    let f = fixture().await;
    let (cookie, _) = Who::Admin.session().unwrap();
    for route in ROUTES {
        let values = values(&f, route).await;
        for csrf in [None, Some("csrf-Troika"), Some("")] {
            let mut pairs: Vec<(&str, &str)> = values
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            if let Some(c) = csrf {
                pairs.push(("csrf", c));
            }
            let body = serde_urlencoded::to_string(&pairs).unwrap();
            let got = crate::post_form(&f.app, route.uri, &body, &[("cookie", &cookie)]).await;
            assert_eq!(got.status, 403, "{} with csrf {csrf:?}", route.uri);
        }
    }
    // Nothing was written: the log holds only the import and the test accounts.
    let activity = f.store.activity(None, 1000).await.unwrap();
    assert!(
        activity
            .iter()
            .all(|a| ["import", "create-account", "sign-in"].contains(&a.action.as_str())),
        "{activity:?}"
    );
}

const PAYLOAD: &str = "<script>alert('xss')</script><img src=x onerror=alert(1)>\"'";

/// Fields that refuse what is not an email, a phone, a URL, a number…
fn takes_free_text(name: &str) -> bool {
    ![
        "email",
        "phone",
        "url",
        "ages",
        "count",
        "ordre",
        "version",
        "fiche",
        "number",
        "year",
        "retirer",
        "kind",
        "role",
        "emails",
        "phones",
        "website",
        "siret",
        "source",
        "visibility",
        "axis",
        "organisation",
        "territory",
        "person",
        "parent",
        "themes",
        "_on",
    ]
    .iter()
    .any(|n| name.ends_with(n) || name.contains(&format!(".{n}")) || name == *n)
        || name == "email_domains"
}

#[tokio::test]
async fn script_typed_in_any_field_is_shown_inert_on_every_page() {
    let f = fixture().await;
    let edits = [
        format!("/admin/actions/{FICHE5}"),
        "/admin/axes/programmation-2020-2022~axe-1".into(),
        "/admin/programmes/programmation-2020-2022".into(),
        "/admin/organisations/citeo".into(),
        "/admin/personnes/marie-claude-venant".into(),
        "/admin/territoires/secteur-nord".into(),
        "/admin/cite/roubaix".into(),
    ];
    let mut filled = 0;
    for uri in &edits {
        let mut values = form_values(&get_as(&f, Who::Admin, uri).await.body);
        for (name, value) in &mut values {
            // Every free-text field, and the cells of the rows that exist.
            if takes_free_text(name) && (!value.is_empty() || !name.contains('.')) {
                *value = format!("{PAYLOAD} {name}");
                filled += 1;
            }
        }
        let saved = crate::editing::submit(&f, Who::Admin, uri, &values).await;
        let errors = saved
            .body
            .split("champ(s) à corriger")
            .nth(1)
            .unwrap_or_default();
        assert_eq!(
            saved.status,
            303,
            "{uri}: {}",
            &errors[..errors.len().min(3000)]
        );
    }
    assert!(filled > 20, "only {filled} fields filled");
    let stored =
        crate::editing::stored_body(&f, EntityKind::Action, "programmation-2020-2022/fiche-5")
            .await;
    assert!(stored["title"].as_str().unwrap().starts_with(PAYLOAD));

    let mut pages: Vec<String> = [
        "/",
        "/actions",
        "/actions/5",
        "/actions/5/familles",
        "/axes/1",
        "/annuaire",
        "/annuaire/organisations/citeo",
        "/annuaire/personnes/marie-claude-venant",
        "/annuaire/territoires/secteur-nord",
        "/orienter?age=10",
        "/orienter/fiche?age=10",
        "/seminaire",
        "/actions?q=script",
        "/actions?q=alert",
        "/qualite",
        "/admin",
        "/admin/actions",
        "/admin/organisations",
        "/admin/personnes",
        "/admin/territoires",
        "/admin/axes",
        "/admin/programmes",
        "/admin/cite",
        "/admin/activite",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    for uri in &edits {
        pages.push(uri.clone());
        pages.push(format!("{uri}/historique"));
    }
    for page in &pages {
        for who in [Who::Anonymous, Who::Admin] {
            let a = get_as(&f, who, page).await;
            if a.status == 401 {
                continue;
            }
            assert_eq!(a.status, 200, "{page} as {who:?}");
            for raw in [
                "<script>alert",
                "<img src=x onerror",
                "onerror=\"",
                "<img src=\"x\" onerror",
            ] {
                assert!(!a.body.contains(raw), "{page} as {who:?} contains {raw}");
            }
        }
    }
    // The payload is there, escaped, where the title shows.
    let action = get_as(&f, Who::Anonymous, "/actions/5").await;
    assert!(
        action
            .body
            .contains("&#60;script&#62;alert(&#39;xss&#39;)&#60;/script&#62;")
    );
}

pub(crate) async fn json_as(
    f: &Fixture,
    who: Who,
    method: axum::http::Method,
    uri: &str,
    body: &serde_json::Value,
) -> crate::Answer {
    let mut headers = vec![("content-type".to_owned(), "application/json".to_owned())];
    if let Some((cookie, csrf)) = who.session() {
        headers.push(("cookie".into(), cookie));
        headers.push(("x-csrf-token".into(), csrf));
    }
    let refs: Vec<(&str, &str)> = headers
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    crate::request(
        &f.app,
        method,
        uri,
        axum::body::Body::from(body.to_string()),
        &refs,
    )
    .await
}

#[tokio::test]
async fn api_writes_follow_the_same_permissions() {
    use axum::http::Method;
    use serde_json::json;
    let cases: [(&str, Method, &str, [u16; 6]); 4] = [
        (
            "fiche-5",
            Method::PUT,
            "/api/v1/entities/action/programmation-2020-2022~fiche-5",
            [401, 403, 403, 200, 403, 200],
        ),
        (
            "fiche-9",
            Method::PUT,
            "/api/v1/entities/action/programmation-2020-2022~fiche-9",
            [401, 403, 403, 403, 200, 200],
        ),
        (
            "new",
            Method::POST,
            "/api/v1/entities/organisation",
            [401, 403, 403, 403, 403, 201],
        ),
        (
            "archive",
            Method::POST,
            "/api/v1/entities/organisation/citeo/archive",
            [401, 403, 403, 403, 403, 200],
        ),
    ];
    for (what, method, uri, expected) in cases {
        for (who, want) in Who::ALL.into_iter().zip(expected) {
            let f = fixture().await;
            let body = match what {
                "new" => {
                    json!({"version": 0, "body": {"name": "Nouvelle", "kind": "association", "aliases": [], "email_domains": []}})
                }
                "archive" => json!({"version": 1, "archived": true}),
                _ => {
                    let current = json_as(&f, Who::Admin, Method::GET, uri, &json!(null))
                        .await
                        .json();
                    let mut body = current["body"].clone();
                    body["title"] = json!("Titre changé par l'API");
                    json!({"version": current["version"], "body": body})
                }
            };
            let got = json_as(&f, who, method.clone(), uri, &body).await;
            assert_eq!(
                got.status.as_u16(),
                want,
                "{who:?} {method} {uri}: {}",
                got.body
            );
        }
    }
}

#[tokio::test]
async fn a_personal_token_writes_through_the_api_until_revoked() {
    use axum::http::Method;
    use serde_json::json;
    let f = fixture().await;
    let created = post_as(
        &f,
        Who::ReferentOwn,
        "/compte/jetons",
        &[("label", "tableur")],
    )
    .await;
    assert_eq!(created.status, 201);
    let token = created.created_token();
    let bearer = format!("Bearer {token}");
    let call = |method: Method, uri: &'static str, body: serde_json::Value, auth: String| {
        let app = f.app.clone();
        async move {
            crate::request(
                &app,
                method,
                uri,
                axum::body::Body::from(body.to_string()),
                &[
                    ("authorization", auth.as_str()),
                    ("content-type", "application/json"),
                ],
            )
            .await
        }
    };
    let uri = "/api/v1/entities/action/programmation-2020-2022~fiche-5";
    let current = call(Method::GET, uri, json!(null), bearer.clone()).await;
    assert_eq!(current.status, 200, "{}", current.body);
    let current = current.json();
    let mut body = current["body"].clone();
    body["title"] = json!("Écrit par le tableur");
    let saved = call(
        Method::PUT,
        uri,
        json!({"version": current["version"], "body": body}),
        bearer.clone(),
    )
    .await;
    assert_eq!(saved.status, 200, "{}", saved.body);
    assert_eq!(saved.json()["version"], 2);
    assert!(
        get_as(&f, Who::Anonymous, "/actions/5")
            .await
            .body
            .contains("Écrit par le tableur")
    );
    // The same version again: refused with what is stored now.
    let stale = call(
        Method::PUT,
        uri,
        json!({"version": 1, "body": body}),
        bearer.clone(),
    )
    .await;
    assert_eq!(stale.status, 409);
    assert_eq!(stale.json()["version"], 2);
    // The form's rules hold: a contact email that is not one is refused, located.
    let mut bad = body.clone();
    bad["contacts"][0]["email"] = json!("pas-une-adresse");
    let refused = call(
        Method::PUT,
        uri,
        json!({"version": 2, "body": bad}),
        bearer.clone(),
    )
    .await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert_eq!(refused.json()["error"]["parameter"], "contacts.0.email");
    let history = call(
        Method::GET,
        "/api/v1/entities/action/programmation-2020-2022~fiche-5/history",
        json!(null),
        bearer.clone(),
    )
    .await;
    assert_eq!(history.json().as_array().unwrap().len(), 2);
    assert_eq!(history.json()[1]["actor"], "referent@citeo.com");

    post_as(
        &f,
        Who::ReferentOwn,
        "/compte/jetons/revoquer",
        &[("label", "tableur")],
    )
    .await;
    let revoked = call(Method::GET, uri, json!(null), bearer).await;
    assert_eq!(revoked.status, 401);
    assert_eq!(revoked.json()["error"]["code"], "unauthorized");
}
