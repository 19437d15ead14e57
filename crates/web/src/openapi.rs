//! The OpenAPI document of `/api/v1`, assembled from the areas' own API
//! modules (each declares its paths, schemas and tags), and its route. The
//! document is generated from the code and snapshot-tested; CI fuzzes the
//! server against it.

use axum::routing::get;
use axum::{Json, Router};
use utoipa::OpenApi;

use crate::shared::state::AppState;
use crate::{admin, calls, catalogue, funding, national, referrals, review};

#[derive(OpenApi)]
#[openapi(info(
    title = "Passerelle",
    description = "Programme d'une Cité éducative : actions, axes, organisations, personnes, territoires. Lecture libre ; écriture pour les comptes autorisés (jeton personnel ou session). Quand l'instance sert plusieurs cités, chaque chemin d'une cité existe aussi sous `/api/v1/cites/{cite}/…` (par exemple `/api/v1/cites/tourcoing/actions`) ; les chemins sans cité répondent pour la cité par défaut, et `/api/v1/national/…` lit toutes les cités."
))]
struct ApiDoc;

/// The OpenAPI document of an instance serving these cités, as served at
/// `/api/v1/openapi.json`: every path of a cité once as it is (the default
/// cité's) and once under `/api/v1/cites/{cite}/…`, `cite` naming one of
/// the instance's cités.
pub fn openapi_for(cites: &[&str]) -> utoipa::openapi::OpenApi {
    use utoipa::openapi::path::{ParameterBuilder, ParameterIn};
    use utoipa::openapi::schema::{ObjectBuilder, Type};
    let mut doc = openapi();
    let cite = ParameterBuilder::new()
        .name("cite")
        .parameter_in(ParameterIn::Path)
        .required(utoipa::openapi::Required::True)
        .description(Some(
            "La cité (son identifiant ; voir `/api/v1/national/cites`).",
        ))
        .schema(Some(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .enum_values(Some(cites.iter().map(|c| (*c).to_owned()))),
        ))
        .build();
    let per_cite: Vec<(String, utoipa::openapi::PathItem)> = doc
        .paths
        .paths
        .iter()
        .filter(|(path, _)| {
            !path.starts_with("/api/v1/national/") && path.as_str() != "/api/v1/openapi.json"
        })
        .map(|(path, item)| {
            let mut item = item.clone();
            for op in [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.delete,
                &mut item.patch,
            ]
            .into_iter()
            .flatten()
            {
                op.operation_id = op.operation_id.as_ref().map(|id| format!("{id}_in_cite"));
                op.parameters
                    .get_or_insert_with(Vec::new)
                    .insert(0, cite.clone());
                op.responses
                    .responses
                    .entry("404".to_owned())
                    .or_insert_with(|| {
                        utoipa::openapi::ResponseBuilder::new()
                            .description("Aucune cité de ce nom sur ce serveur.")
                            .build()
                            .into()
                    });
            }
            let rest = path.trim_start_matches("/api/v1");
            (format!("/api/v1/cites/{{cite}}{rest}"), item)
        })
        .collect();
    doc.paths.paths.extend(per_cite);
    doc
}

/// The document's paths without the per-cité copies (what the areas declare).
pub fn openapi() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
        .merge_from(catalogue::api::Doc::openapi())
        .merge_from(review::api::Doc::openapi())
        .merge_from(admin::api::Doc::openapi())
        .merge_from(national::Doc::openapi())
        .merge_from(referrals::api::Doc::openapi())
        .merge_from(calls::api::Doc::openapi())
        .merge_from(funding::api::Doc::openapi())
}

async fn openapi_json(
    axum::extract::State(state): axum::extract::State<AppState>,
) -> Json<utoipa::openapi::OpenApi> {
    let slugs: Vec<&str> = state.cites.all().iter().map(|t| t.slug()).collect();
    Json(openapi_for(&slugs))
}

/// Under `/api/v1`.
pub(crate) fn routes() -> Router<AppState> {
    Router::new().route("/openapi.json", get(openapi_json))
}
