//! Several cités on one instance: each cité's pages, search, API and
//! calendar show only its own data under its own prefix; the national view
//! reads across them; old single-cité URLs redirect; a host can serve one
//! cité at its root.

use axum::http::{Method, StatusCode};
use passerelle_domain::{Catalogue, Slug};
use passerelle_livret::{bundled, check};
use passerelle_web::{AppState, Snapshot, app};

use super::{get, send};

/// A word only the second cité's programme has.
const WORD: &str = "Zythologie";

/// A second cité, brought in from a spreadsheet: the Roubaix programme in
/// the spreadsheet's columns, with one action retitled with [`WORD`] and one
/// row less, so the two cités can be told apart. Its seminar is Roubaix's,
/// renamed (a spreadsheet has none; the team adds it on the web).
fn tourcoing(roubaix: &Catalogue) -> Catalogue {
    use passerelle_livret::sheet::{self, Column, Grid, GridRow, GridSheet};
    let mut rows = sheet::rows_of(roubaix);
    let title = Column::ALL
        .iter()
        .position(|c| *c == Column::Intitule)
        .unwrap();
    rows[1][title] = format!("{WORD} pour les parents");
    rows.pop();
    let grid = Grid {
        sheets: vec![GridSheet {
            name: Some("Actions".into()),
            rows: rows
                .into_iter()
                .enumerate()
                .map(|(i, cells)| GridRow {
                    number: i + 1,
                    cells,
                })
                .collect(),
        }],
    };
    let mut cite = roubaix.cite.clone();
    cite.slug = Slug::parse("tourcoing").unwrap();
    cite.name = "Cité éducative de Tourcoing".into();
    cite.city = "Tourcoing".into();
    cite.national_id = Some("cite-999".into());
    cite.contact_emails.clear();
    let mut c = sheet::parse(&grid, &passerelle_livret::Reference::empty(cite))
        .unwrap()
        .catalogue;
    c.seminars = roubaix.seminars.clone();
    for s in &mut c.seminars {
        s.slug = Slug::parse(&s.slug.as_str().replacen("roubaix", "tourcoing", 1)).unwrap();
    }
    c
}

pub(crate) fn two_cites() -> AppState {
    let (reference, parsed) = bundled::roubaix().unwrap();
    let report = check::report(bundled::BOOKLET, &reference, parsed.irregularities);
    let second = tourcoing(&parsed.catalogue);
    AppState::several(vec![
        Snapshot::new(parsed.catalogue, report, bundled::BOOKLET_NAME.into()).unwrap(),
        Snapshot::new(second, Vec::new(), "programme.xlsx".into()).unwrap(),
    ])
}

/// Every link of a page (`href`, `action`, `src`) that starts with `/`.
fn internal_links(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in ["href=\"", "action=\"", "src=\""] {
        for part in html.split(attr).skip(1) {
            let link = part.split('"').next().unwrap_or("");
            if link.starts_with('/') {
                out.push(link.to_owned());
            }
        }
    }
    out
}

/// The instance's own paths, which no cité prefixes (a cité's home is
/// `/{cite}/`, never `/`).
fn instance_path(link: &str) -> bool {
    [
        "/static/",
        "/connexion",
        "/deconnexion",
        "/compte",
        "/accessibilite",
        "/mot-de-passe-oublie",
    ]
    .iter()
    .any(|p| link.starts_with(p))
}

#[tokio::test]
async fn each_cite_lives_under_its_prefix_and_every_link_keeps_it() {
    let app = app(two_cites());
    for cite in ["roubaix", "tourcoing"] {
        for path in [
            "/",
            "/actions",
            "/actions/2",
            "/axes/1",
            "/orienter?age=8",
            "/annuaire",
            "/seminaire",
            "/bilan",
            "/bilan/couverture",
            "/qualite",
        ] {
            let page = get(&app, &format!("/{cite}{path}")).await;
            assert_eq!(page.status, StatusCode::OK, "/{cite}{path}");
            for link in internal_links(&page.body) {
                assert!(
                    link.starts_with(&format!("/{cite}/")) || instance_path(&link),
                    "/{cite}{path} links to {link}, outside its cité"
                );
            }
        }
    }
    let home = get(&app, "/tourcoing/").await;
    assert!(home.body.contains("Cité éducative de Tourcoing"));
    assert!(!home.body.contains("Cité éducative de Roubaix"));
}

#[tokio::test]
async fn a_search_in_one_cite_finds_nothing_of_the_other() {
    let app = app(two_cites());
    let there = get(&app, &format!("/tourcoing/actions?q={WORD}")).await;
    assert!(there.body.contains(WORD), "found in Tourcoing");
    assert!(there.body.contains("href=\"/tourcoing/actions/1\""));
    let here = get(&app, &format!("/roubaix/actions?q={WORD}")).await;
    assert!(
        here.body.contains("Aucune action trouvée"),
        "nothing in Roubaix"
    );
    // The API, per cité and for the default cité's old paths.
    let api = get(&app, &format!("/api/v1/cites/tourcoing/actions?q={WORD}")).await;
    assert_eq!(api.status, StatusCode::OK);
    assert_eq!(api.json()["total"], 1, "{}", api.body);
    let default = get(&app, &format!("/api/v1/actions?q={WORD}")).await;
    assert_eq!(default.json()["total"], 0, "the default cité is Roubaix");
    let counts = |v: serde_json::Value| v["total"].as_u64().unwrap();
    let roubaix = counts(get(&app, "/api/v1/cites/roubaix/actions").await.json());
    let tourcoing = counts(get(&app, "/api/v1/cites/tourcoing/actions").await.json());
    assert_eq!(roubaix, tourcoing + 1, "each cité counts its own actions");
    let unknown = get(&app, "/api/v1/cites/lille/actions").await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert_eq!(
        unknown.json()["error"]["status"],
        404,
        "the API's error shape"
    );
}

#[tokio::test]
async fn the_national_view_lists_the_cites_and_searches_across_them() {
    let app = app(two_cites());
    let home = get(&app, "/").await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.body.contains("href=\"/roubaix/\""));
    assert!(home.body.contains("href=\"/tourcoing/\""));
    assert!(home.body.contains("cite-999"), "the national id is shown");
    let own = get(&app, "/tourcoing/").await.body;
    assert!(
        own.contains("<dt>Identifiant national</dt><dd>cite-999</dd>"),
        "and on the cité's home"
    );
    assert!(
        !get(&app, "/roubaix/")
            .await
            .body
            .contains("Identifiant national"),
        "nothing invented"
    );
    // The quality report says where the programme came from.
    assert!(
        get(&app, "/tourcoing/qualite")
            .await
            .body
            .contains("<h1>Qualité des données du tableur</h1>")
    );
    assert!(
        get(&app, "/roubaix/qualite")
            .await
            .body
            .contains("<h1>Qualité des données du livret</h1>")
    );
    // The accessibility statement names each cité's coordination that gave an address.
    let statement = get(&app, "/accessibilite").await.body;
    assert!(
        statement.contains(
            "Cité éducative de Roubaix : <a href=\"mailto:citeeducative@ville-roubaix.fr\">"
        ) || statement.contains(
            "Cité éducative de Roubaix\u{a0}: <a href=\"mailto:citeeducative@ville-roubaix.fr\">"
        ),
        "{statement}"
    );
    assert!(
        !home.body.contains("href=\"/actions\""),
        "the national menu, not a cité's"
    );

    let found = get(&app, &format!("/recherche?q={WORD}")).await;
    assert_eq!(found.status, StatusCode::OK);
    assert!(found.body.contains("href=\"/tourcoing/actions/1\""));
    assert!(found.body.contains("Cité éducative de Tourcoing (1)"));
    assert!(
        !found.body.contains("Cité éducative de Roubaix ("),
        "no Roubaix facet"
    );

    // A word both programmes have: both facets, each with its own count.
    let api = get(&app, "/api/v1/national/actions?q=parents").await.json();
    let count = |cite: &str| {
        api.as_array()
            .unwrap()
            .iter()
            .filter(|a| a["cite"] == cite)
            .count()
    };
    assert!(count("roubaix") > 0 && count("tourcoing") > 0, "{api}");
    // The review of every cité, each figure leading into its cité.
    let review = get(&app, "/bilans").await;
    assert_eq!(review.status, StatusCode::OK);
    assert!(review.body.contains("href=\"/roubaix/bilan\""));
    assert!(review.body.contains("href=\"/tourcoing/bilan/couverture\""));
    let figures = get(&app, "/api/v1/national/review").await.json();
    let actions: Vec<u64> = figures["cites"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["actions"].as_u64().unwrap())
        .collect();
    assert_eq!(actions, [27, 26]);
    let page = get(&app, "/recherche?q=parents").await.body;
    assert!(page.contains(&format!("Cité éducative de Roubaix ({})", count("roubaix"))));
    assert!(page.contains(&format!(
        "Cité éducative de Tourcoing ({})",
        count("tourcoing")
    )));

    let one = get(&app, "/recherche?q=parents&cite=tourcoing").await.body;
    assert!(
        !one.contains("href=\"/roubaix/actions/"),
        "only the chosen cité"
    );

    for bad in [
        "cite=Lille!",
        "age=",
        "offset=",
        "limit=",
        &format!("q={}", "a".repeat(201)),
    ] {
        let refused = get(&app, &format!("/api/v1/national/actions?{bad}")).await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{bad}");
    }

    let cites = get(&app, "/api/v1/national/cites").await.json();
    assert_eq!(cites[0]["slug"], "roubaix");
    assert_eq!(cites[1]["national_id"], "cite-999");
}

#[tokio::test]
async fn old_single_cite_urls_redirect_to_the_default_cite() {
    let app = app(two_cites());
    let old = get(&app, "/actions/5?x=1").await;
    assert_eq!(old.status, StatusCode::PERMANENT_REDIRECT);
    assert_eq!(old.header("location"), Some("/roubaix/actions/5?x=1"));
    let post = send(&app, Method::POST, "/seminaire/x/inscription", &[]).await;
    assert_eq!(
        post.status,
        StatusCode::PERMANENT_REDIRECT,
        "308 keeps the method"
    );
    // The instance's own pages stay where they are.
    assert_eq!(get(&app, "/accessibilite").await.status, StatusCode::OK);
    assert_eq!(get(&app, "/healthz").await.status, StatusCode::OK);
    assert_eq!(get(&app, "/static/style.css").await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_mapped_host_serves_its_cite_at_the_root() {
    let state = two_cites()
        .map_host("cite-educative.tourcoing.test", "tourcoing")
        .unwrap();
    let app = app(state);
    let host = [("host", "cite-educative.tourcoing.test")];
    let page = send(&app, Method::GET, &format!("/actions?q={WORD}"), &host).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("href=\"/actions/1\""),
        "links without prefix"
    );
    // The same URL on the main host is the default cité's, redirected.
    assert_eq!(
        get(&app, &format!("/actions?q={WORD}")).await.status,
        StatusCode::PERMANENT_REDIRECT
    );
    assert!(two_cites().map_host("x.test", "lille").is_err());
}

#[tokio::test]
async fn calendars_carry_their_cite() {
    let app = app(two_cites());
    let ics = get(&app, "/tourcoing/seminaire/agenda.ics").await;
    assert_eq!(ics.status, StatusCode::OK);
    assert!(ics.body.contains("@tourcoing.passerelle"));
    assert!(!ics.body.contains("@roubaix.passerelle"));
}

#[tokio::test]
async fn one_cite_keeps_todays_urls() {
    let app = super::roubaix();
    assert_eq!(get(&app, "/actions/5").await.status, StatusCode::OK);
    let home = get(&app, "/").await;
    assert!(home.body.contains("href=\"/actions\""), "no prefix");
    let api = get(&app, "/api/v1/cites/roubaix/actions").await;
    assert_eq!(
        api.status,
        StatusCode::OK,
        "the per-cité API path works too"
    );
}

#[tokio::test]
async fn the_national_search_ranks_across_cites_and_pages_its_results() {
    let app = app(two_cites());
    let api = get(&app, "/api/v1/national/actions?q=parents").await.json();
    let all = api.as_array().unwrap().len();
    assert!(all > 20, "enough results to page: {all}");
    let first = get(&app, "/api/v1/national/actions?q=parents&limit=5")
        .await
        .json();
    let next = get(&app, "/api/v1/national/actions?q=parents&limit=5&offset=5")
        .await
        .json();
    assert_eq!(first.as_array().unwrap().len(), 5);
    assert_eq!(first[4], api[4]);
    assert_eq!(next[0], api[5]);
    for bad in ["limit=0", "limit=501", "offset=-1", "limit=beaucoup"] {
        let got = get(&app, &format!("/api/v1/national/actions?q=parents&{bad}")).await;
        assert_eq!(got.status, StatusCode::BAD_REQUEST, "{bad}");
    }
    // The page shows twenty at a time, the best first, and says how many.
    let page = get(&app, "/recherche?q=parents").await.body;
    assert!(page.contains(&format!("{all} actions")));
    assert_eq!(page.matches("<li class=\"card\">").count(), 20);
    assert!(page.contains("rel=\"next\""));
    let two = get(&app, "/recherche?q=parents&page=2").await.body;
    assert!(
        two.contains("Les plus pertinentes d&#39;abord : 21 à")
            || two.contains("Les plus pertinentes d'abord : 21 à")
    );
    assert!(two.contains("rel=\"prev\""));
    let href = |v: &serde_json::Value| v["href"].as_str().unwrap().to_owned();
    assert!(
        page.contains(&href(&api[0])),
        "the best result is on the first page"
    );
    assert_eq!(
        get(&app, "/recherche?q=parents&page=0").await.status,
        StatusCode::BAD_REQUEST
    );
    // The cité search's facets, nationally: by need and by public; a need
    // chosen narrows the results and is kept by the other links.
    assert!(page.contains("<h2 id=\"h-themes\">Par besoin</h2>"));
    assert!(page.contains("<h2 id=\"h-audiences\">Par public</h2>"));
    let narrowed = get(&app, "/recherche?q=parents&theme=parentalite-coeducation")
        .await
        .body;
    let n: usize = narrowed
        .split("<h2 id=\"h-results\" aria-live=\"polite\">")
        .nth(1)
        .and_then(|h| h.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap();
    assert!(n > 0 && n < all, "{n} of {all}");
    assert!(
        narrowed.contains("theme=parentalite-coeducation&amp;cite=roubaix")
            || narrowed.contains("theme=parentalite-coeducation&#38;cite=roubaix"),
        "the cité facet keeps the need: {}",
        narrowed
            .split("Par cité")
            .nth(1)
            .unwrap_or_default()
            .chars()
            .take(600)
            .collect::<String>()
    );
}

#[tokio::test]
async fn a_family_who_moves_is_oriented_in_the_cite_it_moves_to() {
    let app = app(two_cites());
    let form = get(&app, "/orientation").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("<option value=\"tourcoing\">"));
    let go = get(
        &app,
        "/orientation?cite=tourcoing&qui=parent&age=8&besoin=parentalite-coeducation&autre=x",
    )
    .await;
    assert_eq!(go.status, StatusCode::SEE_OTHER);
    assert_eq!(
        go.header("location"),
        Some("/tourcoing/orienter?qui=parent&age=8&besoin=parentalite-coeducation")
    );
    let there = get(&app, go.header("location").unwrap()).await;
    assert_eq!(there.status, StatusCode::OK);
    let unknown = get(&app, "/orientation?cite=lille&age=8").await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert!(unknown.body.contains("choisissez-la dans la liste"));
}

/// Every `url` and `href` of a JSON answer that starts with `/`.
fn json_links(v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::Object(m) => {
            for (k, v) in m {
                match v {
                    serde_json::Value::String(s)
                        if (k == "url" || k == "href") && s.starts_with('/') =>
                    {
                        out.push(s.clone());
                    }
                    _ => json_links(v, out),
                }
            }
        }
        serde_json::Value::Array(a) => a.iter().for_each(|v| json_links(v, out)),
        _ => {}
    }
}

#[tokio::test]
async fn every_link_of_a_cites_api_leads_to_that_cite() {
    let app = app(two_cites());
    let doc = get(&app, "/api/v1/openapi.json").await.json();
    let lists: Vec<String> = doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(path, ops)| {
            ops.get("get").is_some()
                && !path.contains('{')
                && ![
                    "/api/v1/national",
                    "/api/v1/entities",
                    "/api/v1/orientations",
                    "/api/v1/openapi",
                    // The money: for accounts allowed to see it.
                    "/api/v1/funding",
                    "/api/v1/envelopes",
                ]
                .iter()
                .any(|p| path.starts_with(p))
        })
        .map(|(path, _)| path.clone())
        .collect();
    assert!(lists.len() >= 6, "{lists:?}");
    for cite in ["roubaix", "tourcoing"] {
        let api = format!("/api/v1/cites/{cite}/");
        let pages = format!("/{cite}/");
        let mut queue: Vec<String> = lists
            .iter()
            .map(|p| p.replacen("/api/v1/", &api, 1))
            .collect();
        let mut seen = std::collections::HashSet::new();
        let mut followed = 0;
        while let Some(uri) = queue.pop() {
            if !seen.insert(uri.clone()) {
                continue;
            }
            let answer = get(&app, &uri).await;
            assert_eq!(answer.status, StatusCode::OK, "{uri}: {}", answer.body);
            if !uri.starts_with("/api/") {
                continue;
            }
            let mut links = Vec::new();
            json_links(&answer.json(), &mut links);
            for link in links {
                assert!(
                    link.starts_with(&api) || link.starts_with(&pages),
                    "{uri} links out of {cite}: {link}"
                );
                followed += 1;
                // Each API link and a few pages are followed.
                if link.starts_with(&api) || seen.len() < 60 {
                    queue.push(link);
                }
            }
        }
        assert!(followed > 27, "{cite}: {followed} links");
        // The second cité's fiche 1 is its own, not Roubaix's.
        let one = get(&app, &format!("{api}actions/1")).await.json();
        assert_eq!(one["url"], format!("/{cite}/actions/1"));
        assert_eq!(
            one["title"].as_str().unwrap().contains(WORD),
            cite == "tourcoing"
        );
    }
}
