#![doc = include_str!("../README.md")]

// The areas: each owns its pages, its JSON API, its templates, and says its
// routes in its `mod.rs`. An area uses `shared` and the domain, never another
// area (the `tidy` test checks it).
mod accounts;
mod admin;
mod calls;
mod catalogue;
mod funding;
mod national;
mod newsletter;
mod opendata;
mod referrals;
mod review;
mod seminar;
mod site;

// The plumbing under every area.
mod openapi;
mod shared;

use axum::Router;
use axum::http::Method;
use tower_http::compression::CompressionLayer;
use tower_http::cors::CorsLayer;
use tower_http::trace::TraceLayer;

pub use calls::{erase_applications_every_hour, erase_due_applications};
pub use funding::{Reminded, remind_reports, remind_reports_every_hour};
pub use newsletter::{deliver, send_issue};
pub use openapi::{openapi, openapi_for};
pub use referrals::{Swept, sweep, sweep_every_minute};
pub use shared::cites::{RESERVED_SLUGS, Tenant};
pub use shared::error::{AppError, ErrorBody};
pub use shared::follow::Following;
pub use shared::mail::{Letter, Mail, MailError, MailKind, Mailer};
pub use shared::metrics::{MetricsAccess, metrics_app, snapshot_built};
pub use shared::signin::{
    AllowList, DEFAULT_ABSOLUTE_SECS, DEFAULT_IDLE_SECS, ProConnect, SecurityTxt, SignInPolicy,
};
pub use shared::state::{AppState, Delivery, Editing, Snapshot, UnknownCite};

/// Builds the application: every area's pages and API, static files and the
/// HTTP layers.
pub fn app(state: AppState) -> Router {
    let api = Router::new()
        .merge(catalogue::api_routes())
        .merge(review::api_routes())
        .merge(admin::api_routes())
        .merge(national::api_routes())
        .merge(referrals::api_routes())
        .merge(calls::api_routes())
        .merge(funding::api_routes())
        .merge(openapi::routes())
        .fallback(site::api_not_found)
        .method_not_allowed_fallback(site::api_method_not_allowed)
        .layer(
            CorsLayer::new()
                .allow_origin(tower_http::cors::Any)
                .allow_methods([Method::GET, Method::HEAD, Method::OPTIONS]),
        );
    let routed = Router::new()
        .merge(catalogue::routes())
        .merge(seminar::routes())
        .merge(review::routes())
        .merge(admin::routes())
        .merge(accounts::routes())
        .merge(national::routes())
        .merge(opendata::routes())
        .merge(newsletter::routes())
        .merge(referrals::routes())
        .merge(calls::routes())
        .merge(funding::routes())
        .merge(site::routes())
        .nest("/api/v1", api)
        .fallback(site::page_not_found)
        .method_not_allowed_fallback(site::page_method_not_allowed)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            shared::http::conditional,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            shared::ctx::resolve,
        ))
        .layer(axum::middleware::from_fn(shared::metrics::label))
        .with_state(state.clone());
    // Which cité a request is for is decided before routing (the cité's
    // prefix comes off the path), so the areas route as for one cité.
    Router::new()
        .fallback_service(routed)
        .layer(axum::middleware::from_fn(shared::i18n::strip))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            shared::cites::place,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state,
            shared::http::security_headers,
        ))
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(
            site::panic_page,
        ))
        .layer(CompressionLayer::new())
        .layer(axum::middleware::from_fn(shared::metrics::record))
        .layer(TraceLayer::new_for_http())
}
