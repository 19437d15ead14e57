//! Open data: the page that lists a cité's datasets (and the national one,
//! every cité's), the files themselves — CSV in two flavours, JSON, the
//! data package, the data·inclusion records — and the cité's Atom feeds.
//! Everything is read from the public view: nothing kept for professionals
//! is published, whoever asks.

mod files;
mod pages;

use axum::Router;
use axum::routing::get;

use crate::shared::state::AppState;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/donnees", get(pages::cite))
        .route("/donnees/{file}", get(files::cite))
        .route("/flux/actions.atom", get(files::actions_feed))
        .route("/flux/evenements.atom", get(files::events_feed))
        .route("/national/donnees", get(pages::national))
        .route("/national/donnees/{file}", get(files::national))
}
