//! Writing through the API: the same operations as the editing pages, for
//! signed-in users — a personal token (`Authorization: Bearer …`) or a
//! browser session (with its CSRF token in `X-CSRF-Token`). The same
//! permissions, the same field rules (the form engine checks every body),
//! the same optimistic concurrency.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use passerelle_domain::{Entity, EntityKind, Permission};
use passerelle_store::{HistoryEvent, StoreError};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use utoipa::{Modify, OpenApi, ToSchema};

use super::entities;
use super::form;
use crate::shared::ctx::{Api, ApiWriter, Editor, Professional};
use crate::shared::entities::canonical;
use crate::shared::error::{ApiError, AppError, ErrorBody, store_error};
use crate::shared::state::AppState;

/// An entity as stored, with its version (send it back to save).
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct StoredEntity {
    /// `action`, `axis`, `programme`, `organisation`, `person`, `territory`, `seminar` or `cite`.
    pub(crate) kind: String,
    /// Unique within the kind (`programmation-2020-2022/fiche-5`, `citeo`).
    pub(crate) key: String,
    pub(crate) version: u64,
    pub(crate) archived: bool,
    /// The entity's fields, as the export writes them.
    #[schema(value_type = Object)]
    pub(crate) body: Value,
}

/// The kinds of entity written through the API (for the document).
#[derive(Debug, ToSchema)]
#[schema(rename_all = "kebab-case")]
#[expect(
    dead_code,
    reason = "describes the path parameter in the OpenAPI document"
)]
pub(crate) enum Kind {
    Action,
    Axis,
    Programme,
    Organisation,
    Person,
    Territory,
    Seminar,
    Cite,
}

/// A version number: a whole number, written `3` or `3.0`.
fn whole_number<'de, D: serde::Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    use serde::de::Error;
    let n = serde_json::Number::deserialize(d)?;
    if let Some(u) = n.as_u64() {
        return Ok(u);
    }
    match n.as_f64() {
        #[expect(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            reason = "checked: whole, positive, in range"
        )]
        Some(f) if f >= 0.0 && f.fract() == 0.0 && f < 1.8e19 => Ok(f as u64),
        _ => Err(D::Error::custom("a whole number ≥ 0 is expected")),
    }
}

/// A change to save: the body, and the version it was made from (0 to create).
#[derive(Debug, Deserialize, ToSchema)]
pub(crate) struct SaveRequest {
    #[serde(deserialize_with = "whole_number")]
    pub(crate) version: u64,
    #[schema(value_type = Object)]
    pub(crate) body: Value,
}

/// Archive (`true`) or bring back (`false`), from a version.
#[derive(Debug, Deserialize, ToSchema)]
pub(crate) struct ArchiveRequest {
    #[serde(deserialize_with = "whole_number")]
    pub(crate) version: u64,
    pub(crate) archived: bool,
}

/// One version of an entity's history.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct VersionView {
    pub(crate) version: u64,
    /// `save`, `archive` or `unarchive`.
    pub(crate) event: String,
    pub(crate) actor: String,
    /// RFC 3339, UTC.
    pub(crate) at: String,
    #[schema(value_type = Option<Object>)]
    pub(crate) body: Option<Value>,
}

fn api(e: AppError) -> ApiError {
    e.api()
}

fn kind(segment: &str) -> Result<EntityKind, ApiError> {
    EntityKind::parse(segment)
        .ok_or_else(|| api(AppError::NotFound(format!("type « {segment} » inconnu"))))
}

/// The first message of a refused form, as an API error naming its field.
fn first_error(errors: form::Errors) -> ApiError {
    let (field, message) = errors.into_iter().next().unwrap_or_default();
    api(AppError::Unprocessable(field, message))
}

/// Reads a JSON body after the checks of who is asking (so that an
/// anonymous request learns nothing from its body's errors).
fn parse<T: for<'de> Deserialize<'de>>(raw: &[u8]) -> Result<T, ApiError> {
    serde_json::from_slice(raw).map_err(|e| {
        api(AppError::Unprocessable(
            "body".into(),
            format!("JSON non conforme : {e}"),
        ))
    })
}

/// Keys that make an entity what it is: a save keeps them as stored.
const FIXED: [&str; 4] = ["slug", "fiche", "number", "inferred"];

/// Checks a body with the form's rules; returns it normalised. `stored`
/// is the body saved now (`None` when creating): a body changes exactly
/// what the editing form changes. A key the form has no field for (an
/// action's review and its validated values, a decision of the
/// coordination, its predecessor) is kept as stored; sent with another
/// value, it is refused, naming it.
fn checked(
    kind: EntityKind,
    ed: &Editor,
    body: &Value,
    stored: Option<&Value>,
) -> Result<Map<String, Value>, ApiError> {
    let Value::Object(_) = body else {
        return Err(api(AppError::Unprocessable(
            "body".into(),
            "un objet JSON est attendu".into(),
        )));
    };
    let fields = form::fields(kind, &ed.here.snapshot().catalogue, stored.is_none());
    let sent = entities::to_form_body(kind, body);
    let base = match stored {
        Some(b) => entities::to_form_body(kind, b),
        None => Value::Object(Map::new()),
    };
    for (key, value) in sent.as_object().into_iter().flatten() {
        let editable = fields.iter().any(|f| f.key == key)
            || FIXED.contains(&key.as_str())
            || entities::derived_keys(kind).contains(&key.as_str());
        if !editable && !same(Some(value), base.get(key)) {
            return Err(api(AppError::Unprocessable(
                format!("body.{key}"),
                format!(
                    "le champ « {key} » ne se modifie pas ici : il n'est pas dans le formulaire d'édition (la revue et ses valeurs validées, par exemple, se saisissent sur leur page). Renvoyez-le tel qu'il est enregistré, ou omettez-le."
                ),
            )));
        }
    }
    let values = form::values_of(&fields, &sent);
    let mut base = match base {
        Value::Object(m) => m,
        _ => Map::new(),
    };
    // What the form's fields are made from (a seminar's half-days, their
    // titles and times around the sessions) is the client's to send.
    for key in entities::derived_keys(kind) {
        if let Some(v) = sent.get(*key) {
            base.insert((*key).to_owned(), v.clone());
        }
    }
    let read = form::read(&fields, &values, base).map_err(first_error)?;
    Ok(entities::from_form_body(kind, read))
}

/// Two values of a key the same, an absent key and an empty value
/// (`null`, `""`, `[]`, `{}`, `false`) alike.
fn same(a: Option<&Value>, b: Option<&Value>) -> bool {
    let empty = |v: Option<&Value>| match v {
        None | Some(Value::Null | Value::Bool(false)) => true,
        Some(Value::String(s)) => s.is_empty(),
        Some(Value::Array(a)) => a.is_empty(),
        Some(Value::Object(o)) => o.is_empty(),
        Some(Value::Number(_) | Value::Bool(true)) => false,
    };
    (empty(a) && empty(b)) || a == b
}

/// The entity a body makes once read back as its domain type (the last
/// check before saving; a refusal names the body).
fn canonical_entity(
    kind: EntityKind,
    key: &str,
    body: Map<String, Value>,
) -> Result<Entity, ApiError> {
    let body = canonical(kind, Value::Object(body))
        .map_err(|e| api(AppError::Unprocessable("body".into(), e)))?;
    Ok(Entity {
        kind,
        key: key.to_owned(),
        body,
    })
}

fn stored(
    kind: EntityKind,
    key: String,
    version: u64,
    archived: bool,
    body: Value,
) -> StoredEntity {
    StoredEntity {
        kind: kind.as_str().to_owned(),
        key,
        version,
        archived,
        body,
    }
}

#[utoipa::path(get, path = "/api/v1/entities/{kind}/{key}", tag = "editing",
    params(("kind" = Kind, Path, example = "organisation"), ("key" = String, Path, description = "The key, `/` written `~`", example = "citeo")),
    security(("token" = [])),
    responses((status = 200, body = StoredEntity), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(crate) async fn get_entity(
    Api(ed): Api<Editor>,
    _: Api<Professional>,
    Path((segment, key)): Path<(String, String)>,
) -> Result<Json<StoredEntity>, ApiError> {
    let kind = kind(&segment)?;
    let key = entities::key_from_url(&key);
    let v = ed
        .store
        .entity(ed.cite(), kind, &key)
        .await
        .map_err(|e| api(store_error(e)))?
        .ok_or_else(|| api(AppError::NotFound("aucune fiche à cette clé".into())))?;
    Ok(Json(stored(
        kind,
        key,
        v.version,
        v.archived,
        v.entity.body,
    )))
}

#[utoipa::path(put, path = "/api/v1/entities/{kind}/{key}", tag = "editing",
    params(("kind" = Kind, Path, example = "organisation"), ("key" = String, Path, description = "The key, `/` written `~`", example = "citeo")),
    request_body = SaveRequest, security(("token" = [])),
    responses((status = 200, body = StoredEntity), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, description = "Changed meanwhile: the current version", body = StoredEntity),
        (status = 422, body = ErrorBody)))]
pub(crate) async fn put_entity(
    State(state): State<AppState>,
    Api(ed): Api<Editor>,
    ApiWriter(who): ApiWriter,
    Path((segment, key)): Path<(String, String)>,
    raw: axum::body::Bytes,
) -> Result<Response, ApiError> {
    let account = &who.account;
    let req: SaveRequest = parse(&raw)?;
    let kind = kind(&segment)?;
    let key = entities::key_from_url(&key);
    let current = ed
        .store
        .entity(ed.cite(), kind, &key)
        .await
        .map_err(|e| api(store_error(e)))?
        .ok_or_else(|| api(AppError::NotFound("aucune fiche à cette clé".into())))?;
    who.may(Permission::Edit, kind, Some(&current.entity.body))
        .map_err(api)?;
    let mut body = checked(kind, &ed, &req.body, Some(&current.entity.body))?;
    // Keys that make the entity what it is stay as stored.
    for fixed in FIXED {
        if let Some(v) = current.entity.body.get(fixed) {
            body.insert(fixed.into(), v.clone());
        }
    }
    let entity = canonical_entity(kind, &key, body)?;
    let body = entity.body.clone();
    match ed
        .store
        .save(ed.cite(), &entity, req.version, account.email.as_str())
        .await
    {
        Ok(version) => {
            ed.rebuild(&state).await.map_err(api)?;
            Ok(Json(stored(kind, key, version, current.archived, body)).into_response())
        }
        Err(StoreError::Conflict {
            current: Some(now), ..
        }) => Ok((
            StatusCode::CONFLICT,
            Json(stored(
                kind,
                key,
                now.version,
                now.archived,
                now.entity.body,
            )),
        )
            .into_response()),
        Err(e) => Err(api(store_error(e))),
    }
}

#[utoipa::path(post, path = "/api/v1/entities/{kind}", tag = "editing",
    params(("kind" = Kind, Path, example = "organisation")), request_body = SaveRequest, security(("token" = [])),
    responses((status = 201, body = StoredEntity), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn create_entity(
    State(state): State<AppState>,
    Api(ed): Api<Editor>,
    ApiWriter(who): ApiWriter,
    Path(segment): Path<String>,
    raw: axum::body::Bytes,
) -> Result<Response, ApiError> {
    let account = &who.account;
    let req: SaveRequest = parse(&raw)?;
    let kind = kind(&segment)?;
    who.may(Permission::Create, kind, None).map_err(api)?;
    let body = checked(kind, &ed, &req.body, None)?;
    let (key, body) =
        entities::new_key(kind, &ed.here.snapshot().catalogue, body).map_err(first_error)?;
    let entity = canonical_entity(kind, &key, body)?;
    let body = entity.body.clone();
    match ed
        .store
        .save(ed.cite(), &entity, 0, account.email.as_str())
        .await
    {
        Ok(version) => {
            ed.rebuild(&state).await.map_err(api)?;
            Ok((
                StatusCode::CREATED,
                Json(stored(kind, key, version, false, body)),
            )
                .into_response())
        }
        Err(StoreError::Conflict { .. }) => Err(api(AppError::Conflict(format!(
            "une fiche existe déjà à la clé « {key} »"
        )))),
        Err(e) => Err(api(store_error(e))),
    }
}

#[utoipa::path(post, path = "/api/v1/entities/{kind}/{key}/archive", tag = "editing",
    params(("kind" = Kind, Path, example = "organisation"), ("key" = String, Path, description = "The key, `/` written `~`", example = "citeo")),
    request_body = ArchiveRequest, security(("token" = [])),
    responses((status = 200, body = StoredEntity), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn archive_entity(
    State(state): State<AppState>,
    Api(ed): Api<Editor>,
    ApiWriter(who): ApiWriter,
    Path((segment, key)): Path<(String, String)>,
    raw: axum::body::Bytes,
) -> Result<Json<StoredEntity>, ApiError> {
    let account = &who.account;
    let req: ArchiveRequest = parse(&raw)?;
    let kind = kind(&segment)?;
    who.may(Permission::Archive, kind, None).map_err(api)?;
    let key = entities::key_from_url(&key);
    let version = match ed
        .store
        .set_archived(
            ed.cite(),
            kind,
            &key,
            req.version,
            req.archived,
            account.email.as_str(),
        )
        .await
    {
        Ok(v) => v,
        Err(StoreError::Conflict { .. }) => {
            return Err(api(AppError::Conflict(
                "la fiche a changé entre-temps".into(),
            )));
        }
        Err(e) => return Err(api(store_error(e))),
    };
    ed.rebuild(&state).await.map_err(api)?;
    let v = ed
        .store
        .entity(ed.cite(), kind, &key)
        .await
        .map_err(|e| api(store_error(e)))?
        .ok_or_else(|| api(AppError::NotFound("aucune fiche à cette clé".into())))?;
    debug_assert_eq!(v.version, version);
    Ok(Json(stored(
        kind,
        key,
        v.version,
        v.archived,
        v.entity.body,
    )))
}

#[utoipa::path(get, path = "/api/v1/entities/{kind}/{key}/history", tag = "editing",
    params(("kind" = Kind, Path, example = "organisation"), ("key" = String, Path, description = "The key, `/` written `~`", example = "citeo")),
    security(("token" = [])),
    responses((status = 200, body = Vec<VersionView>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(crate) async fn entity_history(
    Api(ed): Api<Editor>,
    _: Api<Professional>,
    Path((segment, key)): Path<(String, String)>,
) -> Result<Json<Vec<VersionView>>, ApiError> {
    let kind = kind(&segment)?;
    let key = entities::key_from_url(&key);
    let history = ed
        .store
        .history(ed.cite(), kind, &key)
        .await
        .map_err(|e| api(store_error(e)))?;
    if history.is_empty() {
        return Err(api(AppError::NotFound("aucune fiche à cette clé".into())));
    }
    Ok(Json(
        history
            .into_iter()
            .map(|h| VersionView {
                version: h.version,
                event: match h.event {
                    HistoryEvent::Save => "save",
                    HistoryEvent::Archive => "archive",
                    HistoryEvent::Unarchive => "unarchive",
                }
                .into(),
                actor: h.actor,
                at: h.at,
                body: h.body,
            })
            .collect(),
    ))
}

/// Declares the bearer token scheme.
struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "token",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "A personal API token, created on the /compte page. A browser session works too, with its CSRF token in X-CSRF-Token.",
                    ))
                    .build(),
            ),
        );
    }
}

/// The editing part of the OpenAPI document (assembled in `openapi.rs`).
#[derive(OpenApi)]
#[openapi(
    paths(get_entity, put_entity, create_entity, archive_entity, entity_history),
    components(schemas(StoredEntity, SaveRequest, ArchiveRequest, VersionView, Kind, ErrorBody)),
    modifiers(&Security),
    tags((name = "editing", description = "Writing, for signed-in users with the right role."))
)]
pub(crate) struct Doc;
