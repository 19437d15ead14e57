//! The OpenAPI document of `/api/v1`, assembled from the areas' own API
//! modules (each declares its paths, schemas and tags), and its route. The
//! document is generated from the code and snapshot-tested; CI fuzzes the
//! server against it.

use axum::routing::get;
use axum::{Json, Router};
use utoipa::OpenApi;

use crate::shared::state::AppState;
use crate::{admin, catalogue, national, review};

#[derive(OpenApi)]
#[openapi(info(
    title = "Passerelle",
    description = "Programme d'une Cité éducative : actions, axes, organisations, personnes, territoires. Lecture libre ; écriture pour les comptes autorisés (jeton personnel ou session). Quand l'instance sert plusieurs cités, chaque chemin d'une cité existe aussi sous `/api/v1/cites/{cite}/…` (par exemple `/api/v1/cites/tourcoing/actions`) ; les chemins sans cité répondent pour la cité par défaut, et `/api/v1/national/…` lit toutes les cités."
))]
struct ApiDoc;

/// The OpenAPI document, as served at `/api/v1/openapi.json`.
pub fn openapi() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
        .merge_from(catalogue::api::Doc::openapi())
        .merge_from(review::api::Doc::openapi())
        .merge_from(admin::api::Doc::openapi())
        .merge_from(national::Doc::openapi())
}

async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    Json(openapi())
}

/// Under `/api/v1`.
pub(crate) fn routes() -> Router<AppState> {
    Router::new().route("/openapi.json", get(openapi_json))
}
