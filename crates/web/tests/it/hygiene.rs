//! HTTP hygiene: validators, conditional requests, compression, security
//! headers, CORS.

use crate::{get, roubaix, send};
use axum::http::Method;

#[tokio::test]
async fn pages_and_api_carry_validators_and_answer_conditional_requests() {
    let app = roubaix();
    for uri in ["/actions/5", "/api/v1/actions/5", "/actions?q=lecture"] {
        let a = get(&app, uri).await;
        let etag = a.header("etag").unwrap().to_owned();
        let last_modified = a.header("last-modified").unwrap().to_owned();
        assert!(etag.starts_with("W/\""), "{uri}");
        let b = send(&app, Method::GET, uri, &[("if-none-match", &etag)]).await;
        assert_eq!(b.status, 304, "{uri}");
        assert!(b.body.is_empty());
        assert_eq!(b.header("etag"), Some(etag.as_str()));
        let c = send(
            &app,
            Method::GET,
            uri,
            &[("if-modified-since", &last_modified)],
        )
        .await;
        assert_eq!(c.status, 304, "{uri}");
        let d = send(&app, Method::GET, uri, &[("if-none-match", "W/\"autre\"")]).await;
        assert_eq!(d.status, 200, "{uri}");
        let e = send(
            &app,
            Method::GET,
            uri,
            &[("if-modified-since", "Sat, 01 Jan 2000 00:00:00 GMT")],
        )
        .await;
        assert_eq!(e.status, 200, "{uri}");
    }
}

#[tokio::test]
async fn responses_are_compressed_when_asked() {
    let app = roubaix();
    for enc in ["gzip", "br"] {
        let a = send(&app, Method::GET, "/actions", &[("accept-encoding", enc)]).await;
        assert_eq!(a.header("content-encoding"), Some(enc));
    }
    assert_eq!(get(&app, "/actions").await.header("content-encoding"), None);
}

#[tokio::test]
async fn security_headers_are_on_every_response() {
    let app = roubaix();
    for uri in ["/", "/api/v1/actions", "/nowhere", "/static/style.css"] {
        let a = get(&app, uri).await;
        let csp = a.header("content-security-policy").unwrap();
        assert!(
            csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
            "{uri}"
        );
        assert!(csp.contains("frame-ancestors 'none'"));
        assert_eq!(a.header("x-content-type-options"), Some("nosniff"), "{uri}");
        assert_eq!(a.header("x-frame-options"), Some("DENY"), "{uri}");
        assert_eq!(
            a.header("referrer-policy"),
            Some("strict-origin-when-cross-origin"),
            "{uri}"
        );
    }
}

#[tokio::test]
async fn pages_have_no_inline_script_but_json_ld_data() {
    let a = get(&roubaix(), "/actions/3").await;
    let scripts = a.body.matches("<script").count();
    let data = a
        .body
        .matches("<script type=\"application/ld+json\">")
        .count();
    assert_eq!(scripts, data);
    assert!(!a.body.contains(" onclick=") && !a.body.contains("javascript:"));
}

#[tokio::test]
async fn the_api_allows_cross_origin_reads_only() {
    let app = roubaix();
    let a = send(
        &app,
        Method::GET,
        "/api/v1/axes",
        &[("origin", "https://exemple.fr")],
    )
    .await;
    assert_eq!(a.header("access-control-allow-origin"), Some("*"));
    let pre = send(
        &app,
        Method::OPTIONS,
        "/api/v1/axes",
        &[
            ("origin", "https://exemple.fr"),
            ("access-control-request-method", "DELETE"),
        ],
    )
    .await;
    let allowed = pre.header("access-control-allow-methods").unwrap_or("");
    assert!(!allowed.contains("DELETE"), "{allowed}");
    let page = send(&app, Method::GET, "/", &[("origin", "https://exemple.fr")]).await;
    assert_eq!(page.header("access-control-allow-origin"), None);
}

#[tokio::test]
async fn a_replaced_snapshot_is_served_at_once_despite_the_response_cache() {
    let state = crate::roubaix_state();
    let app = passerelle_web::app(state.clone());
    let before = get(&app, "/actions/1").await;
    assert!(before.body.contains("Partage d&#39;informations"));
    assert_eq!(
        get(&app, "/actions/1").await.body,
        before.body,
        "same page twice"
    );
    let old = state.default_tenant().snapshot();
    let mut catalogue = old.catalogue.clone();
    catalogue.programmes[0].actions[0].title = "Un titre corrigé".into();
    state.default_tenant().replace(
        passerelle_web::Snapshot::new(catalogue, old.report.clone(), old.report_source.clone())
            .unwrap(),
    );
    let after = get(&app, "/actions/1").await;
    assert!(
        after.body.contains("<h1 id=\"t-1\">Un titre corrigé</h1>"),
        "{}",
        after.body
    );
    assert_ne!(after.header("etag"), before.header("etag"));
}

#[tokio::test]
async fn requests_with_credentials_get_the_same_page_without_the_cache() {
    let app = roubaix();
    let anonymous = get(&app, "/actions/2").await;
    let with_cookie = send(&app, Method::GET, "/actions/2", &[("cookie", "session=x")]).await;
    assert_eq!(with_cookie.status, 200);
    assert_eq!(with_cookie.body, anonymous.body);
    assert_eq!(with_cookie.header("etag"), anonymous.header("etag"));
}
