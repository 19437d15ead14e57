#![doc = include_str!("../README.md")]

mod api;
mod api_review;
mod api_write;
mod auth;
mod charts;
mod edit;
mod error;
mod http;
mod ics;
mod mail;
mod pages;
mod params;
mod state;
mod text;
mod views;

use axum::Router;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tower_http::compression::CompressionLayer;
use tower_http::cors::CorsLayer;
use tower_http::trace::TraceLayer;

pub use api::openapi;
pub use error::{AppError, ErrorBody};
pub use mail::{Mail, MailError, Mailer};
pub use state::{AppState, Editing, Snapshot};

const STYLE: &str = include_str!("../static/style.css");
const BOARD_JS: &str = include_str!("../static/board.js");

async fn board_js() -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/javascript; charset=utf-8"),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=3600"),
            ),
        ],
        BOARD_JS,
    )
        .into_response()
}

async fn style() -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/css; charset=utf-8"),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=3600"),
            ),
        ],
        STYLE,
    )
        .into_response()
}

/// `200` once the store has been read and the index built: a state exists
/// only then, so answering at all means ready.
async fn healthz(axum::extract::State(state): axum::extract::State<AppState>) -> Response {
    let s = state.snapshot();
    let actions = s.catalogue.actions().count();
    (
        StatusCode::OK,
        axum::Json(serde_json::json!({"status": "ok", "actions": actions})),
    )
        .into_response()
}

/// A panic in a handler is logged and answered with the French 500 page.
fn panic_page(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    AppError::Internal("a handler panicked".into()).into_response()
}

async fn page_not_found() -> AppError {
    AppError::NotFound("Cette page n'existe pas (ou plus). Elle a peut-être été déplacée.".into())
}

async fn page_method_not_allowed() -> AppError {
    AppError::MethodNotAllowed
}

async fn api_method_not_allowed() -> error::ApiError {
    AppError::MethodNotAllowed.api()
}

async fn api_not_found() -> error::ApiError {
    AppError::NotFound("aucune ressource à cette adresse de l'API".into()).api()
}

/// Builds the application: pages, API, static files and the HTTP layers.
pub fn app(state: AppState) -> Router {
    let api = Router::new()
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
        .route("/openapi.json", get(api::openapi_json))
        .route("/review", get(api_review::review))
        .route("/review/coverage", get(api_review::coverage_view))
        .route(
            "/entities/{kind}",
            axum::routing::post(api_write::create_entity),
        )
        .route(
            "/entities/{kind}/{key}",
            get(api_write::get_entity).put(api_write::put_entity),
        )
        .route(
            "/entities/{kind}/{key}/archive",
            axum::routing::post(api_write::archive_entity),
        )
        .route(
            "/entities/{kind}/{key}/history",
            get(api_write::entity_history),
        )
        .fallback(api_not_found)
        .method_not_allowed_fallback(api_method_not_allowed)
        .layer(
            CorsLayer::new()
                .allow_origin(tower_http::cors::Any)
                .allow_methods([Method::GET, Method::HEAD, Method::OPTIONS]),
        );
    Router::new()
        .route("/", get(pages::catalogue::home))
        .route("/axes/{n}", get(pages::catalogue::axis))
        .route("/actions", get(pages::catalogue::search))
        .route("/actions/{fiche}", get(pages::catalogue::action))
        .route("/orienter", get(pages::orient::orient))
        .route("/orienter/fiche", get(pages::orient::sheet))
        .route("/annuaire", get(pages::directory::index))
        .route(
            "/annuaire/organisations/{slug}",
            get(pages::directory::organisation),
        )
        .route("/annuaire/personnes/{slug}", get(pages::directory::person))
        .route(
            "/annuaire/territoires/{slug}",
            get(pages::directory::territory),
        )
        .route("/seminaire", get(pages::info::seminar))
        .route("/seminaire/agenda.ics", get(ics::feed))
        .route("/seminaire/{slug}", get(pages::info::event))
        .route("/seminaire/{slug}/agenda.ics", get(ics::event))
        .route(
            "/seminaire/{slug}/inscription",
            get(pages::event::form).post(pages::event::register),
        )
        .route(
            "/inscription/{token}",
            get(pages::event::private).post(pages::event::private_update),
        )
        .route("/seminaire/{slug}/inscriptions", get(pages::event::list))
        .route(
            "/seminaire/{slug}/inscriptions/repartir",
            axum::routing::post(pages::event::distribute),
        )
        .route("/seminaire/{slug}/inscriptions.csv", get(pages::event::csv))
        .route(
            "/seminaire/{slug}/contributions",
            get(pages::board::board).post(pages::board::post),
        )
        .route(
            "/seminaire/{slug}/contributions/liste",
            get(pages::board::board_list),
        )
        .route(
            "/seminaire/{slug}/code",
            axum::routing::post(pages::board::join),
        )
        .route(
            "/seminaire/{slug}/contributions/{id}/soutenir",
            axum::routing::post(pages::board::support),
        )
        .route(
            "/seminaire/{slug}/contributions/{id}/moderer",
            axum::routing::post(pages::board::moderate),
        )
        .route(
            "/seminaire/{slug}/restitution",
            get(pages::board::restitution),
        )
        .route(
            "/seminaire/{slug}/restitution.md",
            get(pages::board::restitution_markdown),
        )
        .route(
            "/seminaire/{slug}/restitution/{question}",
            axum::routing::post(pages::board::set_synthesis),
        )
        .route("/seminaire/{slug}/panneau", get(pages::board::panel))
        .route("/qualite", get(pages::info::quality))
        .route("/bilan", get(pages::review::programme))
        .route("/bilan.csv", get(pages::review::csv))
        .route("/bilan/axes/{n}", get(pages::review::axis))
        .route("/bilan/couverture", get(pages::review::coverage_page))
        .route("/accessibilite", get(pages::info::accessibility))
        .route("/static/style.css", get(style))
        .route("/static/board.js", get(board_js))
        .route("/healthz", get(healthz))
        .route("/connexion", get(auth::form).post(auth::sign_in))
        .route("/deconnexion", axum::routing::post(auth::sign_out))
        .route("/admin", get(pages::admin::dashboard))
        .route("/admin/activite", get(pages::history::activity))
        .route(
            "/admin/bilan/{fiche}",
            get(pages::review_edit::form).post(pages::review_edit::save),
        )
        .route(
            "/admin/programme-suivant",
            get(pages::review_edit::next_form).post(pages::review_edit::save_decisions),
        )
        .route(
            "/admin/programme-suivant/creer",
            axum::routing::post(pages::review_edit::create_next),
        )
        .route("/admin/comptes", get(pages::accounts::list))
        .route(
            "/admin/comptes/inviter",
            axum::routing::post(pages::accounts::invite),
        )
        .route(
            "/admin/comptes/modifier",
            axum::routing::post(pages::accounts::update),
        )
        .route(
            "/invitation/{token}",
            get(pages::accounts::invitation_form).post(pages::accounts::accept_invitation),
        )
        .route(
            "/reinitialisation/{token}",
            get(pages::accounts::reset_form).post(pages::accounts::reset),
        )
        .route(
            "/mot-de-passe-oublie",
            get(pages::accounts::forgot_form).post(pages::accounts::forgot),
        )
        .route("/compte", get(pages::accounts::tokens))
        .route(
            "/compte/jetons",
            axum::routing::post(pages::accounts::create_token),
        )
        .route(
            "/compte/jetons/revoquer",
            axum::routing::post(pages::accounts::revoke_token),
        )
        .route("/admin/{kind}", get(pages::admin::list))
        .route(
            "/admin/{kind}/nouveau",
            get(pages::admin::new_form).post(pages::admin::create),
        )
        .route(
            "/admin/{kind}/{key}",
            get(pages::admin::edit_form).post(pages::admin::update),
        )
        .route(
            "/admin/{kind}/{key}/historique",
            get(pages::history::history),
        )
        .route(
            "/admin/{kind}/{key}/restaurer",
            axum::routing::post(pages::history::restore),
        )
        .route(
            "/admin/{kind}/{key}/archiver",
            axum::routing::post(pages::admin::archive),
        )
        .route(
            "/admin/{kind}/{key}/desarchiver",
            axum::routing::post(pages::admin::unarchive),
        )
        .nest("/api/v1", api)
        .fallback(page_not_found)
        .method_not_allowed_fallback(page_method_not_allowed)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            http::conditional,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            auth::resolve,
        ))
        .layer(axum::middleware::from_fn(http::security_headers))
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(panic_page))
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}
