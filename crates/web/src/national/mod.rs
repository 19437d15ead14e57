//! The national view, when an instance holds several cités: the list of
//! cités with their programme, size, next event and review, and a search
//! across every cité with a cité facet, and the review aggregated (pages
//! and JSON API). Everything
//! here reads the cités' snapshots, as the public sees them; a link always
//! leads into the cité's own pages.

mod api;
mod orient;
mod pages;
mod review;

use axum::Router;
use axum::routing::get;

use crate::shared::state::AppState;

pub(crate) fn routes() -> Router<AppState> {
    // Served at `/` and `/recherche` (the cités' placement middleware maps
    // them here when the instance holds several cités).
    Router::new()
        .route("/national", get(pages::home))
        .route("/national/recherche", get(pages::search))
        .route("/national/bilans", get(review::page))
        .route("/national/orientation", get(orient::page))
}

/// Under `/api/v1`.
pub(crate) fn api_routes() -> Router<AppState> {
    Router::new()
        .route("/national/cites", get(api::cites))
        .route("/national/actions", get(api::national_actions))
        .route("/national/review", get(review::aggregated_review))
}

pub(crate) use api::Doc;
