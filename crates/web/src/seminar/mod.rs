//! Events and the seminar: the event pages, registration (private link,
//! waiting list, organisers' assignment and CSV), the contribution board,
//! the restitution and its panel view, and the iCalendar feed.

mod board;
mod ics;
mod organisers;
mod pages;
mod registration;
mod restitution;

use axum::Router;
use axum::routing::{get, post};

use crate::shared::state::AppState;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/seminaire", get(pages::seminar))
        .route("/seminaire/agenda.ics", get(ics::feed))
        .route("/seminaire/{slug}", get(pages::event))
        .route("/seminaire/{slug}/agenda.ics", get(ics::event))
        .route(
            "/seminaire/{slug}/inscription",
            get(registration::form).post(registration::register),
        )
        .route(
            "/inscription/{token}",
            get(registration::private).post(registration::private_update),
        )
        .route("/seminaire/{slug}/inscriptions", get(organisers::list))
        .route(
            "/seminaire/{slug}/inscriptions/repartir",
            post(organisers::distribute),
        )
        .route("/seminaire/{slug}/inscriptions.csv", get(organisers::csv))
        .route(
            "/seminaire/{slug}/contributions",
            get(board::board).post(board::post),
        )
        .route(
            "/seminaire/{slug}/contributions/liste",
            get(board::board_list),
        )
        .route("/seminaire/{slug}/code", post(board::join))
        .route(
            "/seminaire/{slug}/contributions/{id}/soutenir",
            post(board::support),
        )
        .route(
            "/seminaire/{slug}/contributions/{id}/moderer",
            post(board::moderate),
        )
        .route(
            "/seminaire/{slug}/restitution",
            get(restitution::restitution),
        )
        .route(
            "/seminaire/{slug}/restitution.md",
            get(restitution::restitution_markdown),
        )
        .route(
            "/seminaire/{slug}/restitution/{question}",
            post(restitution::set_synthesis),
        )
        .route("/seminaire/{slug}/panneau", get(restitution::panel))
}
