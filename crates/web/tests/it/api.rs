//! The JSON API: shapes, filters, pagination, errors, the OpenAPI document.

use axum::http::Method;

use crate::{get, roubaix, send};

#[tokio::test]
async fn actions_search_uses_the_same_filters_as_the_page() {
    let app = roubaix();
    let a = get(&app, "/api/v1/actions?age=10&theme=culture-sport").await;
    assert_eq!(a.status, 200);
    assert_eq!(a.header("content-type"), Some("application/json"));
    let v = a.json();
    let fiches: Vec<u64> = v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["fiche"].as_u64().unwrap())
        .collect();
    assert_eq!(fiches, [21, 22, 25]);
    assert_eq!(v["total"], 3);
    assert!(
        v["facets"]["theme"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["key"] == "culture-sport")
    );
    let a = get(&app, "/api/v1/actions?q=eloquence").await.json();
    assert_eq!(a["items"][0]["fiche"], 21);
    let a = get(&app, "/api/v1/actions?territory=secteur-sud&axis=2")
        .await
        .json();
    let fiches: Vec<u64> = a["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["fiche"].as_u64().unwrap())
        .collect();
    assert!(fiches.contains(&13) && !fiches.contains(&12), "{fiches:?}");
}

#[tokio::test]
async fn lists_are_paginated() {
    let app = roubaix();
    let p1 = get(&app, "/api/v1/actions?per_page=10").await.json();
    let p3 = get(&app, "/api/v1/actions?per_page=10&page=3").await.json();
    assert_eq!(
        (
            p1["items"].as_array().unwrap().len(),
            p3["items"].as_array().unwrap().len()
        ),
        (10, 7)
    );
    assert_eq!(p3["total"], 27);
    assert_eq!(p3["items"][0]["fiche"], 21);
    let people = get(&app, "/api/v1/people?per_page=5&page=2").await.json();
    assert_eq!(people["items"].as_array().unwrap().len(), 5);
    assert_eq!(people["total"], 18);
    let a = get(&app, "/api/v1/organisations?per_page=1000").await;
    assert_eq!(a.status, 400);
    assert_eq!(a.json()["error"]["parameter"], "per_page");
}

#[tokio::test]
async fn errors_have_one_shape() {
    let app = roubaix();
    for (uri, status, code) in [
        ("/api/v1/actions/99", 404, "not-found"),
        ("/api/v1/people/nobody", 404, "not-found"),
        ("/api/v1/organisations/NOPE", 404, "not-found"),
        ("/api/v1/territories/x", 404, "not-found"),
        ("/api/v1/nothing-here", 404, "not-found"),
        ("/api/v1/actions?age=abc", 400, "bad-request"),
        ("/api/v1/actions?page=0", 400, "bad-request"),
    ] {
        let a = get(&app, uri).await;
        assert_eq!(a.status, status, "{uri}");
        let v = a.json();
        assert_eq!(v["error"]["status"], status, "{uri}");
        assert_eq!(v["error"]["code"], code, "{uri}");
        assert!(
            v["error"]["message"]
                .as_str()
                .is_some_and(|m| !m.is_empty()),
            "{uri}"
        );
    }
}

#[tokio::test]
async fn undeclared_methods_get_405_with_allow() {
    let app = roubaix();
    for (method, uri) in [
        (Method::POST, "/api/v1/actions"),
        (Method::DELETE, "/api/v1/actions/3"),
        (Method::PUT, "/api/v1/people/julia-camus"),
        (Method::POST, "/actions"),
    ] {
        let a = send(&app, method.clone(), uri, &[]).await;
        assert_eq!(a.status, 405, "{method} {uri}");
        assert_eq!(a.header("allow"), Some("GET,HEAD"), "{method} {uri}");
    }
    let a = send(&app, Method::POST, "/api/v1/actions", &[]).await;
    assert_eq!(a.json()["error"]["code"], "method-not-allowed");
}

#[tokio::test]
async fn every_api_route_answers() {
    let app = roubaix();
    for uri in [
        "/api/v1/actions",
        "/api/v1/actions/17",
        "/api/v1/axes",
        "/api/v1/programme",
        "/api/v1/organisations",
        "/api/v1/organisations/citeo",
        "/api/v1/people",
        "/api/v1/people/julia-camus",
        "/api/v1/territories",
        "/api/v1/territories/secteur-nord",
        "/api/v1/openapi.json",
    ] {
        let a = get(&app, uri).await;
        assert_eq!(a.status, 200, "{uri}");
        let _ = a.json();
    }
    let j = get(&app, "/healthz").await;
    assert_eq!(
        (j.status.as_u16(), j.json()["actions"].as_u64()),
        (200, Some(27))
    );
}

#[tokio::test]
async fn api_snapshots() {
    let app = roubaix();
    insta::assert_json_snapshot!("action_17", get(&app, "/api/v1/actions/17").await.json());
    insta::assert_json_snapshot!("programme", get(&app, "/api/v1/programme").await.json());
    insta::assert_json_snapshot!(
        "person_belgaid",
        get(&app, "/api/v1/people/anne-sophie-belgaid").await.json()
    );
}

#[tokio::test]
async fn the_openapi_document_is_generated_from_the_code_and_stable() {
    let doc = serde_json::to_value(passerelle_web::openapi_for(&["roubaix"])).unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    let paths: Vec<&String> = doc["paths"].as_object().unwrap().keys().collect();
    // Every cité path twice (as it is, and under /api/v1/cites/{cite}/…),
    // the national ones once.
    let national = paths
        .iter()
        .filter(|p| p.starts_with("/api/v1/national/"))
        .count();
    assert_eq!(paths.len(), 2 * (26 - national) + national);
    assert!(paths.contains(&&"/api/v1/cites/{cite}/actions".to_owned()));
    let cite = &doc["paths"]["/api/v1/cites/{cite}/actions"]["get"]["parameters"][0];
    assert_eq!(cite["name"], "cite");
    assert_eq!(cite["schema"]["enum"], serde_json::json!(["roubaix"]));
    let ids: Vec<&str> = paths
        .iter()
        .flat_map(|p| doc["paths"][p.as_str()].as_object().unwrap().values())
        .filter_map(|op| op["operationId"].as_str())
        .collect();
    let unique: std::collections::BTreeSet<&&str> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "operation ids are unique");
    assert_eq!(get(&roubaix(), "/api/v1/openapi.json").await.json(), doc);
    insta::assert_json_snapshot!("openapi", doc, { ".info.version" => "[version]" });
}

#[tokio::test]
async fn the_api_refuses_empty_values_that_pages_accept() {
    let app = roubaix();
    let a = get(&app, "/api/v1/actions?age=").await;
    assert_eq!(
        (a.status.as_u16(), a.json()["error"]["parameter"].as_str()),
        (400, Some("age"))
    );
    assert_eq!(
        get(&app, "/actions?age=").await.status,
        200,
        "an empty form field is no filter"
    );
    assert_eq!(
        get(&app, "/api/v1/actions?q=").await.status,
        200,
        "an empty text is a valid text"
    );
}

#[tokio::test]
async fn the_document_lists_the_accepted_theme_and_audience_values() {
    let doc = serde_json::to_value(passerelle_web::openapi()).unwrap();
    let params = doc["paths"]["/api/v1/actions"]["get"]["parameters"]
        .as_array()
        .unwrap();
    let schema = |name: &str| params.iter().find(|p| p["name"] == name).unwrap()["schema"].clone();
    let themes = schema("theme")["items"]["enum"].as_array().unwrap().len();
    assert_eq!(themes, passerelle_domain::Theme::ALL.len());
    assert_eq!(schema("audience")["enum"][2], "parents");
}
