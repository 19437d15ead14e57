//! Editing the catalogue: the workspace, one form engine for every kind of
//! entity, archive, history and restore, the activity log, and the same
//! operations as JSON under `/api/v1/entities`, and the spreadsheet
//! template a team fills to bring its programme in.

pub(crate) mod api;
mod entities;
mod form;
mod history;
mod import;
mod pages;
mod template;

use axum::Router;
use axum::routing::{get, post};

use crate::shared::state::AppState;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin", get(pages::dashboard))
        .route("/admin/activite", get(history::activity))
        .route("/admin/import", get(import::form).post(import::preview))
        .route("/admin/import/confirmer", post(import::confirm))
        .route("/admin/modele-programme.xlsx", get(template::xlsx))
        .route("/admin/modele-programme.csv", get(template::csv))
        .route("/admin/{kind}", get(pages::list))
        .route(
            "/admin/{kind}/nouveau",
            get(pages::new_form).post(pages::create),
        )
        .route(
            "/admin/{kind}/{key}",
            get(pages::edit_form).post(pages::update),
        )
        .route("/admin/{kind}/{key}/historique", get(history::history))
        .route("/admin/{kind}/{key}/restaurer", post(history::restore))
        .route("/admin/{kind}/{key}/archiver", post(pages::archive))
        .route("/admin/{kind}/{key}/desarchiver", post(pages::unarchive))
}

/// Under `/api/v1`.
pub(crate) fn api_routes() -> Router<AppState> {
    Router::new()
        .route("/entities/{kind}", post(api::create_entity))
        .route(
            "/entities/{kind}/{key}",
            get(api::get_entity).put(api::put_entity),
        )
        .route("/entities/{kind}/{key}/archive", post(api::archive_entity))
        .route("/entities/{kind}/{key}/history", get(api::entity_history))
}
