//! The review (*bilan*): the programme's and each axis's review pages with
//! their charts, the coverage matrix, the CSV; the review form of an action,
//! the decisions and the next programme; and the review as JSON.

pub(crate) mod api;
mod charts;
mod form;
mod pages;

use axum::Router;
use axum::routing::{get, post};

use crate::shared::state::AppState;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/bilan", get(pages::programme))
        .route("/bilan.csv", get(pages::csv))
        .route("/bilan/axes/{n}", get(pages::axis))
        .route("/bilan/couverture", get(pages::coverage_page))
        .route("/admin/bilan/{fiche}", get(form::form).post(form::save))
        .route(
            "/admin/programme-suivant",
            get(form::next_form).post(form::save_decisions),
        )
        .route("/admin/programme-suivant/creer", post(form::create_next))
}

/// Under `/api/v1`.
pub(crate) fn api_routes() -> Router<AppState> {
    Router::new()
        .route("/review", get(api::review))
        .route("/review/coverage", get(api::coverage_view))
}
