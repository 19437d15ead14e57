//! What belongs to the whole site rather than to an area: the accessibility
//! statement, the static files, the health check, `security.txt`, the metrics, and the answers for
//! addresses that do not exist and for handlers that panic.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;

use crate::shared::cites::Here;
use crate::shared::error::{ApiError, AppError};
use crate::shared::layout::{Meta, Nav, render};
use crate::shared::state::AppState;
use crate::shared::text::fr;

const STYLE: &str = include_str!("../../static/style.css");
const BOARD_JS: &str = include_str!("../../static/board.js");

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/accessibilite", get(accessibility))
        .route("/static/style.css", get(style))
        .route("/static/board.js", get(board_js))
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/.well-known/security.txt", get(security_txt))
        .route("/metrics", get(crate::shared::metrics::scrape))
}

/// `GET /.well-known/security.txt` (RFC 9116): whom to tell of a
/// vulnerability, from the configuration; 404 when none is configured.
async fn security_txt(State(state): State<AppState>) -> Result<Response, AppError> {
    let file = state.security_txt.as_ref().ok_or_else(|| {
        AppError::NotFound("Aucun contact de sécurité n'est configuré sur ce serveur.".into())
    })?;
    let mut res = file.render().into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    res.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=86400"),
    );
    Ok(res)
}

#[derive(Template)]
#[template(path = "site/accessibility.html")]
pub(crate) struct AccessibilityPage {
    pub(crate) meta: Meta,
    pub(crate) cite: String,
    /// Whom to write to: (cité, its coordination's addresses), for the
    /// request's cité, or every cité on the instance's own page.
    pub(crate) contacts: Vec<(String, Vec<String>)>,
}

async fn accessibility(
    State(state): State<AppState>,
    here: Option<Here>,
) -> Result<Html<String>, AppError> {
    let meta = Meta::at("Déclaration d'accessibilité", here.as_ref(), Nav::None);
    let snapshots: Vec<_> = match &here {
        Some(h) => vec![h.snapshot()],
        None => state.cites.all().iter().map(|t| t.snapshot()).collect(),
    };
    let contacts = snapshots
        .iter()
        .map(|s| &s.catalogue.cite)
        .filter(|c| !c.contact_emails.is_empty())
        .map(|c| {
            (
                fr(&c.name),
                c.contact_emails.iter().map(ToString::to_string).collect(),
            )
        })
        .collect();
    render(&AccessibilityPage {
        contacts,
        cite: match &here {
            Some(_) => fr(&meta.cite),
            None => "coordination de cette instance de Passerelle".to_owned(),
        },
        meta,
    })
}

/// A static file, kept an hour by browsers.
fn static_file(content_type: &'static str, body: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=3600"),
            ),
        ],
        body,
    )
        .into_response()
}

/// The board's refresh, where JavaScript runs (nothing needs it).
async fn board_js() -> Response {
    static_file("text/javascript; charset=utf-8", BOARD_JS)
}

async fn style() -> Response {
    static_file("text/css; charset=utf-8", STYLE)
}

/// The server's health, for a load balancer: `200` while it can read the
/// database, with each cité's version as built here and as stored
/// (`in_step`: none behind), `503` when the database cannot be read. A
/// state exists only once every snapshot is built, so answering at all
/// means the store has been read.
async fn healthz(State(state): State<AppState>) -> Response {
    let actions: usize = state
        .cites
        .all()
        .iter()
        .map(|t| t.snapshot().catalogue.actions().count())
        .sum();
    match state.steps().await {
        Ok(steps) => {
            let in_step = steps.iter().all(|s| s.built >= s.stored);
            (
                StatusCode::OK,
                axum::Json(serde_json::json!({
                    "status": "ok",
                    "actions": actions,
                    "in_step": in_step,
                    "versions": steps,
                })),
            )
                .into_response()
        }
        Err(e) => {
            let status = StatusCode::SERVICE_UNAVAILABLE;
            let _ = e.into_response(); // logs the cause
            (
                status,
                axum::Json(
                    serde_json::json!({"status": "database unreachable", "actions": actions}),
                ),
            )
                .into_response()
        }
    }
}

/// `200` when the server answers every page at once: its snapshots are
/// built (it listens only then) and, with several cités, the national
/// search index too; `503` with `Retry-After` until then.
async fn readyz(State(state): State<AppState>) -> Response {
    if state.national_ready() {
        (
            StatusCode::OK,
            axum::Json(serde_json::json!({"ready": true})),
        )
            .into_response()
    } else {
        let mut res = (
            StatusCode::SERVICE_UNAVAILABLE,
            axum::Json(serde_json::json!({"ready": false, "waiting_for": "national search index"})),
        )
            .into_response();
        res.headers_mut().insert(
            axum::http::header::RETRY_AFTER,
            axum::http::HeaderValue::from_static("1"),
        );
        res
    }
}

/// A panic in a handler is logged and answered with the French 500 page.
pub(crate) fn panic_page(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    AppError::Internal("a handler panicked".into()).into_response()
}

pub(crate) async fn page_not_found() -> AppError {
    AppError::NotFound("Cette page n'existe pas (ou plus). Elle a peut-être été déplacée.".into())
}

pub(crate) async fn page_method_not_allowed() -> AppError {
    AppError::MethodNotAllowed
}

pub(crate) async fn api_method_not_allowed() -> ApiError {
    AppError::MethodNotAllowed.api()
}

pub(crate) async fn api_not_found() -> ApiError {
    AppError::NotFound("aucune ressource à cette adresse de l'API".into()).api()
}
