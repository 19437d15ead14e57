//! `/metrics`: off by default, behind the configuration's token, at the
//! instance's root only, every request counted under its route's template.

use axum::http::{Method, StatusCode};
use passerelle_web::{MetricsAccess, app};

use crate::{get, roubaix, send};

const TOKEN: &str = "0123456789abcdef0123456789abcdef";

async fn scrape(app: &axum::Router, path: &str, token: &str) -> crate::Answer {
    let bearer = format!("Bearer {token}");
    send(app, Method::GET, path, &[("authorization", &bearer)]).await
}

#[tokio::test]
async fn there_are_no_metrics_unless_configured() {
    let app = roubaix();
    assert_eq!(get(&app, "/metrics").await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        scrape(&app, "/metrics", TOKEN).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn the_metrics_need_their_token_and_belong_to_the_instance() {
    let app = app(crate::cites::two_cites()
        .with_metrics(MetricsAccess::new(Some(TOKEN.into())).expect("recorder")));
    let none = get(&app, "/metrics").await;
    assert_eq!(none.status, StatusCode::UNAUTHORIZED);
    assert_eq!(none.header("www-authenticate"), Some("Bearer"));
    let wrong = scrape(&app, "/metrics", "0123456789abcdef0123456789abcdeX").await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert!(!wrong.body.contains("passerelle_"));
    // Not an account's API token either: the metrics' token signs nobody in.
    let ok = scrape(&app, "/metrics", TOKEN).await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    assert_eq!(
        ok.header("content-type"),
        Some("text/plain; version=0.0.4; charset=utf-8")
    );
    assert_eq!(ok.header("cache-control"), Some("no-store"));
    // A cité's prefix does not lead to them, through its pages or its API.
    for path in ["/roubaix/metrics", "/api/v1/cites/roubaix/metrics"] {
        assert_eq!(
            scrape(&app, path, TOKEN).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
}

/// The sample of `family` whose labels include every one of `labels`.
fn sample(text: &str, family: &str, labels: &[&str]) -> Option<f64> {
    text.lines()
        .filter(|l| l.starts_with(&format!("{family}{{")))
        .find(|l| labels.iter().all(|want| l.contains(want)))
        .and_then(|l| l.rsplit(' ').next()?.parse().ok())
}

#[tokio::test]
async fn a_request_counts_under_its_route_template_never_its_path() {
    let app = app(crate::cites::two_cites()
        .with_metrics(MetricsAccess::new(Some(TOKEN.into())).expect("recorder")));
    let requests = "passerelle_http_requests_total";
    let page = [
        r#"route="/{cite}/actions/{fiche}""#,
        r#"status="200""#,
        r#"method="GET""#,
    ];
    let api = [
        r#"route="/api/v1/cites/{cite}/actions/{fiche}""#,
        r#"status="200""#,
    ];
    let before = scrape(&app, "/metrics", TOKEN).await.body;
    let (page_before, api_before) = (
        sample(&before, requests, &page).unwrap_or(0.0),
        sample(&before, requests, &api).unwrap_or(0.0),
    );
    assert_eq!(get(&app, "/roubaix/actions/5").await.status, StatusCode::OK);
    assert_eq!(
        get(&app, "/tourcoing/actions/1").await.status,
        StatusCode::OK
    );
    assert_eq!(
        get(&app, "/api/v1/cites/roubaix/actions/5").await.status,
        StatusCode::OK
    );
    assert_eq!(
        get(&app, "/roubaix/nulle-part/12345").await.status,
        StatusCode::NOT_FOUND
    );
    let after = scrape(&app, "/metrics", TOKEN).await.body;
    // Other tests of this process count too: at least ours are there.
    assert!(
        sample(&after, requests, &page).unwrap_or(0.0) >= page_before + 2.0,
        "{after}"
    );
    assert!(
        sample(&after, requests, &api).unwrap_or(0.0) >= api_before + 1.0,
        "{after}"
    );
    assert!(
        sample(
            &after,
            requests,
            &[r#"route="unmatched""#, r#"status="404""#]
        )
        .is_some(),
        "{after}"
    );
    assert!(
        after.lines().any(
            |l| l.starts_with("passerelle_http_request_duration_seconds_bucket{")
                && l.contains(r#"route="/{cite}/actions/{fiche}""#)
        ),
        "{after}"
    );
    for raw in ["/roubaix/actions/5", "/actions/5", "nulle-part"] {
        assert!(!after.contains(raw), "a raw path in the metrics: {raw}");
    }
    // The cache answered the second visit of a page from memory.
    assert_eq!(get(&app, "/roubaix/actions/5").await.status, StatusCode::OK);
    let hits = |t: &str| {
        t.lines()
            .find(|l| l.starts_with("passerelle_response_cache_hits_total "))
            .and_then(|l| l.rsplit(' ').next()?.parse::<f64>().ok())
    };
    let last = scrape(&app, "/metrics", TOKEN).await.body;
    assert!(
        hits(&last).unwrap_or(0.0) >= hits(&after).unwrap_or(0.0) + 1.0,
        "{last}"
    );
}
