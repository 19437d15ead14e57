//! The web application, in process: every route and status, the HTTP
//! hygiene, and snapshots of what people and programs see.

#![allow(
    clippy::unwrap_used,
    reason = "test helpers: a failed unwrap is a failed test"
)]

mod api;
mod board;
mod calls;
mod calls_data;
mod calls_matrix;
mod cites;
mod editing;
mod editing_cites;
mod editing_matrix;
mod funding;
mod funding_revue;
mod hardening;
mod hygiene;
mod languages;
mod memberships;
mod metrics;
mod newsletter;
mod pages;
mod plain;
mod proconnect;
mod publication;
mod referrals;
mod referrals_api;
mod review;
mod second_factor;
mod seminar;
mod signin;
mod tidy;

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, Response, StatusCode};
use http_body_util::BodyExt;
use passerelle_livret::{bundled, check};
use passerelle_web::{AppState, Snapshot, app};
use tower::ServiceExt;

/// The application over the bundled Roubaix programme.
pub fn roubaix() -> Router {
    app(roubaix_state())
}

/// The state behind [`roubaix`], for tests that replace the snapshot.
pub fn roubaix_state() -> AppState {
    let (reference, parsed) = bundled::roubaix().unwrap();
    let report = check::report(bundled::BOOKLET, &reference, parsed.irregularities);
    AppState::new(Snapshot::new(parsed.catalogue, report, bundled::BOOKLET_NAME.into()).unwrap())
}

/// The value of the first input named `name` in `html`.
pub fn input_of(html: &str, name: &str) -> String {
    html.split(&format!("name=\"{name}\" value=\""))
        .nth(1)
        .unwrap_or_else(|| panic!("no input {name} in {html}"))
        .split('"')
        .next()
        .unwrap()
        .to_owned()
}

#[derive(Debug)]
pub struct Answer {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
    /// The body as sent (a PDF, say).
    pub bytes: Vec<u8>,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The cookie the answer sets, as a request sends it back (`name=value`).
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.headers
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|c| c.starts_with(&format!("{name}=")))
            .map(|c| c.split(';').next().unwrap_or_default().to_owned())
    }

    /// The value of the page's first input named `name` (a form's hidden
    /// `csrf`, say).
    pub fn input(&self, name: &str) -> String {
        input_of(&self.body, name)
    }

    /// The personal API token `/compte` shows once, after creating it.
    pub fn created_token(&self) -> String {
        self.body
            .split("<code class=\"token\">")
            .nth(1)
            .and_then(|rest| rest.split('<').next())
            .unwrap_or_else(|| panic!("no token shown: {}", self.body))
            .to_owned()
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

pub async fn send(app: &Router, method: Method, uri: &str, headers: &[(&str, &str)]) -> Answer {
    request(app, method, uri, Body::empty(), headers).await
}

pub async fn post_form(app: &Router, uri: &str, body: &str, headers: &[(&str, &str)]) -> Answer {
    let mut all = vec![("content-type", "application/x-www-form-urlencoded")];
    all.extend_from_slice(headers);
    request(app, Method::POST, uri, Body::from(body.to_owned()), &all).await
}

pub async fn request(
    app: &Router,
    method: Method,
    uri: &str,
    body: Body,
    headers: &[(&str, &str)],
) -> Answer {
    let mut req = Request::builder().method(method).uri(uri);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let res: Response<Body> = app.clone().oneshot(req.body(body).unwrap()).await.unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    Answer {
        status,
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
        bytes: bytes.to_vec(),
    }
}

pub async fn get(app: &Router, uri: &str) -> Answer {
    send(app, Method::GET, uri, &[]).await
}
