//! The newsletter (*lettre d'infos*) of each cité: the public subscription
//! with double opt-in, the preferences and one-click unsubscription links
//! of every mail, the archive and its Atom feed; for the cité's
//! administrators, lists, subscribers and issues composed from the data;
//! and the delivery worker every server runs on the shared queue.

mod admin;
mod compose;
mod deliver;
mod issues;
mod public;

use axum::Router;
use axum::routing::{get, post};

pub use deliver::{deliver, send_issue};

use crate::shared::state::AppState;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/lettre", get(public::form).post(public::subscribe))
        .route(
            "/lettre/confirmer/{token}",
            get(public::confirm_page).post(public::confirm),
        )
        .route(
            "/lettre/preferences/{token}",
            get(public::preferences).post(public::save_preferences),
        )
        .route(
            "/lettre/desinscription/{token}",
            get(public::unsubscribe_page).post(public::unsubscribe),
        )
        .route("/lettre/numeros/{id}", get(public::issue))
        .route("/lettre/flux.atom", get(public::feed))
        .route("/admin/lettre", get(admin::index))
        .route("/admin/lettre/listes", post(admin::create_list))
        .route("/admin/lettre/listes/{id}", post(admin::update_list))
        .route("/admin/lettre/abonnes", get(admin::subscribers))
        .route("/admin/lettre/abonnes/import", post(admin::import))
        .route("/admin/lettre/abonnes/{id}", get(admin::subscriber))
        .route(
            "/admin/lettre/abonnes/{id}/donnees.json",
            get(admin::export),
        )
        .route("/admin/lettre/abonnes/{id}/effacer", post(admin::erase))
        .route(
            "/admin/lettre/nouvelle",
            get(issues::new_issue).post(issues::create_issue),
        )
        .route(
            "/admin/lettre/{id}",
            get(issues::issue).post(issues::save_issue),
        )
        .route("/admin/lettre/{id}/essai", post(issues::test_send))
        .route("/admin/lettre/{id}/programmer", post(issues::schedule))
        .route("/admin/lettre/{id}/envoyer", post(issues::send))
}
