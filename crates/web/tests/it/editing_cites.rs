//! The permission matrix's cité dimension: a role in one cité × every
//! mutating route of another: refused, nothing written; the same routes
//! succeed for the cité's own administrator; a national reader reads every
//! cité's internal pages and writes nothing.

use passerelle_store::CatalogueStore;

use crate::editing::{FICHE5, Fixture, Who, form_values, get_as, post_as, set};
use crate::editing_matrix::{ROUTES, Route, json_as};

/// A national reader, signed in.
pub(crate) async fn national_reader(f: &Fixture) -> Other {
    let reader = account(
        "anct@anct.gouv.fr",
        Some(passerelle_domain::InstanceRole::LecteurNational),
        None,
    );
    other(f, reader).await
}

/// Tourcoing's administrator (`coordination@ville-tourcoing.fr`), signed in.
pub(crate) async fn tourcoing_admin(f: &Fixture) -> Other {
    let admin = account(
        "coordination@ville-tourcoing.fr",
        None,
        Some(passerelle_domain::Membership::new(
            "tourcoing",
            passerelle_domain::Role::Administrateur,
            None,
        )),
    );
    other(f, admin).await
}

/// An administrator of the instance, signed in.
pub(crate) async fn instance_admin(f: &Fixture) -> Other {
    let admin = account(
        "instance@prefecture.gouv.fr",
        Some(passerelle_domain::InstanceRole::Administrateur),
        None,
    );
    other(f, admin).await
}

/// Someone holding a role outside [`Who`]: an account with a session.
pub(crate) struct Other {
    cookie: String,
    csrf: String,
}

pub(crate) async fn other(f: &Fixture, account: passerelle_domain::Account) -> Other {
    let name = account.email.as_str().replace(['@', '.'], "-");
    let other = Other {
        cookie: format!("passerelle_session=session-{name}"),
        csrf: format!("csrf-{name}"),
    };
    crate::editing::open_session(&f.store, &account, &other.cookie, &other.csrf).await;
    other
}

pub(crate) async fn post_as_other(
    f: &Fixture,
    who: &Other,
    uri: &str,
    pairs: &[(&str, &str)],
) -> crate::Answer {
    let mut all = pairs.to_vec();
    all.push(("csrf", &who.csrf));
    let body = serde_urlencoded::to_string(&all).unwrap();
    crate::post_form(&f.app, uri, &body, &[("cookie", &who.cookie)]).await
}

pub(crate) async fn get_as_other(f: &Fixture, who: &Other, uri: &str) -> crate::Answer {
    crate::send(
        &f.app,
        axum::http::Method::GET,
        uri,
        &[("cookie", &who.cookie)],
    )
    .await
}

pub(crate) fn account(
    email: &str,
    instance: Option<passerelle_domain::InstanceRole>,
    membership: Option<passerelle_domain::Membership>,
) -> passerelle_domain::Account {
    passerelle_domain::Account {
        email: passerelle_domain::Email::parse(email).unwrap(),
        name: email.into(),
        active: true,
        instance_role: instance,
        memberships: membership.into_iter().collect(),
    }
}

/// The cité's mutating routes (the instance's own, `/compte/…` and
/// `/instance/…`, are not a cité's: `memberships.rs` tries them with each
/// cité's administrators).
fn cite_routes() -> impl Iterator<Item = &'static Route> {
    ROUTES
        .iter()
        .filter(|r| !r.uri.starts_with("/compte") && !r.uri.starts_with("/instance"))
}

async fn pairs_for(f: &Fixture, route: &Route) -> Vec<(String, String)> {
    let mut values = match route.form_from {
        Some(from) => {
            let form = get_as(f, Who::Admin, &format!("/roubaix{from}")).await;
            assert_eq!(form.status, 200, "{from}");
            form_values(&form.body)
        }
        None => Vec::new(),
    };
    for (k, v) in route.extra {
        set(&mut values, k, v);
    }
    values.push(("intent".into(), "enregistrer".into()));
    values
}

/// A route's address in a cité (the cité's own entity is keyed by its slug).
fn in_cite(cite: &str, route: &Route) -> String {
    format!(
        "/{cite}{}",
        route
            .uri
            .replace("/admin/cite/roubaix", &format!("/admin/cite/{cite}"))
    )
}

#[tokio::test]
async fn a_role_in_one_cite_gives_nothing_in_another_and_a_national_reader_writes_nothing() {
    let f = crate::editing::fixture_of(&["roubaix", "tourcoing"]).await;
    let reader = national_reader(&f).await;
    let instance = instance_admin(&f).await;
    let mut failures = Vec::new();
    // Every role of Roubaix, the national reader and the instance's
    // administrator, on every mutating route of Tourcoing (and the reader and
    // the instance's administrator on Roubaix's): refused, nothing written.
    for route in cite_routes() {
        let values = pairs_for(&f, route).await;
        let pairs: Vec<(&str, &str)> = values
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let accounts_route = route.uri.starts_with("/admin/comptes");
        for cite in ["roubaix", "tourcoing"] {
            let uri = in_cite(cite, route);
            let mut cases: Vec<(String, crate::Answer, u16)> = Vec::new();
            if cite == "tourcoing" {
                for who in Who::ALL {
                    let want = if who == Who::Anonymous { 401 } else { 403 };
                    cases.push((
                        format!("{who:?}"),
                        post_as(&f, who, &uri, &pairs).await,
                        want,
                    ));
                }
            }
            cases.push((
                "national reader".into(),
                post_as_other(&f, &reader, &uri, &pairs).await,
                403,
            ));
            if !accounts_route {
                cases.push((
                    "instance administrator".into(),
                    post_as_other(&f, &instance, &uri, &pairs).await,
                    403,
                ));
            }
            for (who, got, want) in cases {
                if got.status.as_u16() != want {
                    failures.push(format!(
                        "{who} POST {uri}: {} (expected {want})",
                        got.status
                    ));
                }
            }
        }
    }
    // The JSON API of Tourcoing refuses Roubaix's administrator too.
    let uri = format!("/api/v1/cites/tourcoing/entities/action/{FICHE5}");
    let current = json_as(
        &f,
        Who::Admin,
        axum::http::Method::GET,
        &format!("/api/v1/cites/roubaix/entities/action/{FICHE5}"),
        &serde_json::json!(null),
    )
    .await;
    assert_eq!(current.status, 200);
    let body =
        serde_json::json!({"version": current.json()["version"], "body": current.json()["body"]});
    for (method, uri, body) in [
        (axum::http::Method::PUT, uri.clone(), body),
        (
            axum::http::Method::POST,
            "/api/v1/cites/tourcoing/entities/organisation/citeo/archive".to_owned(),
            serde_json::json!({"version": 1, "archived": true}),
        ),
    ] {
        let got = json_as(&f, Who::Admin, method.clone(), &uri, &body).await;
        if got.status != 403 {
            failures.push(format!("Admin {method} {uri}: {}", got.status));
        }
    }
    let written: Vec<_> = f
        .store
        .activity(None, 1000)
        .await
        .unwrap()
        .into_iter()
        .filter(|a| !["import", "create-account", "sign-in"].contains(&a.action.as_str()))
        .collect();
    assert!(written.is_empty(), "written: {written:?}");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[tokio::test]
async fn the_same_routes_succeed_for_the_cites_own_administrator_and_write_in_it_only() {
    let mut failures = Vec::new();
    for route in cite_routes() {
        let f = crate::editing::fixture_of(&["roubaix", "tourcoing"]).await;
        let admin = tourcoing_admin(&f).await;
        let values = pairs_for(&f, route).await;
        let pairs: Vec<(&str, &str)> = values
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let uri = in_cite("tourcoing", route);
        // The Roubaix troïka member has no role in Tourcoing to change.
        let want = if route.uri == "/admin/comptes/modifier" {
            404
        } else {
            303
        };
        let got = post_as_other(&f, &admin, &uri, &pairs).await;
        if got.status.as_u16() != want {
            failures.push(format!(
                "Tourcoing's administrator POST {uri}: {} (expected {want})",
                got.status
            ));
        }
        let roubaix = f.store.activity(Some("roubaix"), 1000).await.unwrap();
        if roubaix
            .iter()
            .any(|a| a.actor == "coordination@ville-tourcoing.fr")
        {
            failures.push(format!("{uri} wrote in Roubaix's log"));
        }
        let tourcoing = f.store.activity(Some("tourcoing"), 1000).await.unwrap();
        let wrote = tourcoing
            .iter()
            .any(|a| a.actor == "coordination@ville-tourcoing.fr");
        if wrote != (want == 303) {
            failures.push(format!("{uri}: wrote {wrote} with {}", got.status));
        }
        // The instance's administrator names a cité's administrators.
        if route.uri == "/admin/comptes/inviter" {
            let instance = instance_admin(&f).await;
            let mut pairs = pairs.clone();
            set_pair(&mut pairs, "email", "deuxieme@ville-tourcoing.fr");
            let got = post_as_other(&f, &instance, &uri, &pairs).await;
            if got.status != 303 {
                failures.push(format!("instance administrator POST {uri}: {}", got.status));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn set_pair<'a>(pairs: &mut [(&'a str, &'a str)], name: &str, value: &'a str) {
    for p in pairs.iter_mut().filter(|p| p.0 == name) {
        p.1 = value;
    }
}

#[tokio::test]
async fn another_cites_internal_pages_are_closed_and_a_national_reader_reads_them() {
    let f = crate::editing::fixture_of(&["roubaix", "tourcoing"]).await;
    let reader = national_reader(&f).await;
    let history = format!("/admin/actions/{FICHE5}/historique");
    for page in [
        "/admin",
        history.as_str(),
        "/admin/activite",
        "/admin/comptes",
        "/seminaire/roubaix-seminaire-2022-10-11/inscriptions",
    ] {
        for who in [Who::Admin, Who::Troika, Who::ReferentOwn] {
            let own = get_as(&f, who, &format!("/roubaix{page}")).await.status;
            let there = get_as(&f, who, &format!("/tourcoing{page}")).await.status;
            assert_eq!(
                there, 403,
                "{who:?} reads Tourcoing's {page} (Roubaix's: {own})"
            );
        }
    }
    for cite in ["roubaix", "tourcoing"] {
        for page in ["/admin", history.as_str()] {
            let got = get_as_other(&f, &reader, &format!("/{cite}{page}")).await;
            assert_eq!(got.status, 200, "national reader on /{cite}{page}");
        }
        for page in ["/admin/activite", "/admin/comptes"] {
            let got = get_as_other(&f, &reader, &format!("/{cite}{page}")).await;
            assert_eq!(got.status, 403, "national reader on /{cite}{page}");
        }
    }
    // What Roubaix's troïka sees of Tourcoing is what the public sees.
    for page in [
        "/annuaire/personnes/marie-claude-venant",
        "/actions/5",
        "/bilan",
    ] {
        let public = crate::send(
            &f.app,
            axum::http::Method::GET,
            &format!("/tourcoing{page}"),
            &[],
        )
        .await;
        let troika = get_as(&f, Who::Troika, &format!("/tourcoing{page}")).await;
        assert_eq!(public.status, 200, "{page}");
        assert_eq!(
            strip_session(&troika.body),
            strip_session(&public.body),
            "Roubaix's troïka sees more of Tourcoing's {page} than the public"
        );
    }
}

/// A page without what depends on being signed in (the menu's account links).
fn strip_session(html: &str) -> String {
    html.split("<header")
        .nth(1)
        .and_then(|h| h.split("</header>").nth(1))
        .unwrap_or(html)
        .to_owned()
}
