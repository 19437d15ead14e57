//! The catalogue: the home page, axes, actions and their search, the
//! orientation of a family and its printable sheet, each action told to
//! families in plain French, the directory
//! (organisations, people, territories), the booklet's quality report, and
//! the read-only JSON API over all of it.

pub(crate) mod api;
mod booklet;
mod directory;
mod family;
mod interface_review;
mod orient;
mod pages;
mod quality;
mod views;

use axum::Router;
use axum::routing::get;

use crate::shared::state::AppState;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(pages::home))
        .route("/axes/{n}", get(pages::axis))
        .route("/actions", get(pages::search))
        .route("/actions/{fiche}", get(pages::action))
        .route("/actions/{fiche}/familles", get(family::page))
        .route("/livret", get(booklet::page))
        .route("/livret.pdf", get(booklet::pdf))
        .route("/orienter", get(orient::orient))
        .route("/orienter/fiche", get(orient::sheet))
        .route("/annuaire", get(directory::index))
        .route(
            "/annuaire/organisations/{slug}",
            get(directory::organisation),
        )
        .route("/annuaire/personnes/{slug}", get(directory::person))
        .route("/annuaire/territoires/{slug}", get(directory::territory))
        .route("/qualite", get(quality::quality))
        .route(
            "/qualite/interface",
            axum::routing::post(interface_review::mark),
        )
}

/// Under `/api/v1`.
pub(crate) fn api_routes() -> Router<AppState> {
    Router::new()
        .route("/actions", get(api::actions))
        .route("/actions/{fiche}", get(api::action))
        .route("/axes", get(api::axes_list))
        .route("/programme", get(api::programme_view))
        .route("/organisations", get(api::organisations))
        .route("/organisations/{slug}", get(api::organisation))
        .route("/people", get(api::people))
        .route("/people/{slug}", get(api::person))
        .route("/territories", get(api::territories))
        .route("/territories/{slug}", get(api::territory))
}
