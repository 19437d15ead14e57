//! Editing the catalogue on the web: forms, archive, history, restore.
//!
//! Every handler checks, in order: editing is enabled (404), someone is
//! signed in (401), the form's CSRF token is the session's (403), the
//! account may do this to this entity (403); then it reads the form (422 with
//! the messages, input kept), saves at the version the form was opened from
//! (409 with what changed meanwhile, input kept), and rebuilds the snapshot.

pub(crate) mod diff;
pub(crate) mod form;
mod schema;

use passerelle_domain::{
    Account, Action, Axis, Catalogue, Cite, Entity, EntityKind, Organisation, Permission, Person,
    Slug, Territory,
};
use passerelle_store::StoreError;
use serde_json::{Map, Value, json};

use crate::auth::Viewer;
use crate::error::AppError;
use crate::state::{AppState, Editing};

/// The kinds edited on the web, with their URL segment and French names.
pub(crate) const KINDS: [(EntityKind, &str, &str, &str); 7] = [
    (EntityKind::Action, "actions", "Actions", "une action"),
    (EntityKind::Axis, "axes", "Axes", "un axe"),
    (
        EntityKind::Programme,
        "programmes",
        "Programmes",
        "un programme",
    ),
    (
        EntityKind::Organisation,
        "organisations",
        "Organisations",
        "une organisation",
    ),
    (EntityKind::Person, "personnes", "Personnes", "une personne"),
    (
        EntityKind::Territory,
        "territoires",
        "Territoires",
        "un territoire",
    ),
    (EntityKind::Cite, "cite", "Cité éducative", "une cité"),
];

pub(crate) fn kind_of(segment: &str) -> Result<EntityKind, AppError> {
    KINDS
        .iter()
        .find(|k| k.1 == segment)
        .map(|k| k.0)
        .ok_or_else(|| AppError::NotFound("Ce type de fiche n'existe pas.".into()))
}

pub(crate) fn segment_of(kind: EntityKind) -> &'static str {
    KINDS.iter().find(|k| k.0 == kind).map_or("", |k| k.1)
}

pub(crate) fn plural_of(kind: EntityKind) -> &'static str {
    KINDS.iter().find(|k| k.0 == kind).map_or("", |k| k.2)
}

/// Keys hold `/` (`programmation-2020-2022/fiche-5`); in URLs it is `~`.
pub(crate) fn key_to_url(key: &str) -> String {
    key.replace('/', "~")
}

pub(crate) fn key_from_url(segment: &str) -> String {
    segment.replace('~', "/")
}

pub(crate) fn edit_url(kind: EntityKind, key: &str) -> String {
    format!("/admin/{}/{}", segment_of(kind), key_to_url(key))
}

/// Where the public sees an entity, if anywhere.
pub(crate) fn public_url(kind: EntityKind, body: &Value) -> Option<String> {
    let s = |k: &str| {
        body.get(k)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    let n = |k: &str| body.get(k).and_then(Value::as_u64).unwrap_or_default();
    match kind {
        EntityKind::Action => Some(format!("/actions/{}", n("fiche"))),
        EntityKind::Axis => Some(format!("/axes/{}", n("number"))),
        EntityKind::Organisation => Some(format!("/annuaire/organisations/{}", s("slug"))),
        EntityKind::Person => Some(format!("/annuaire/personnes/{}", s("slug"))),
        EntityKind::Territory => Some(format!("/annuaire/territoires/{}", s("slug"))),
        EntityKind::Cite | EntityKind::Programme => Some("/".into()),
        EntityKind::Seminar => Some("/seminaire".into()),
    }
}

/// A readable name for an entity.
pub(crate) fn title_of(kind: EntityKind, body: &Value) -> String {
    let s = |k: &str| {
        body.get(k)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    match kind {
        EntityKind::Action => format!(
            "Fiche {} — {}",
            body.get("fiche")
                .and_then(Value::as_u64)
                .unwrap_or_default(),
            s("title")
        ),
        EntityKind::Axis => format!(
            "Axe {} — {}",
            body.get("number")
                .and_then(Value::as_u64)
                .unwrap_or_default(),
            s("title")
        ),
        EntityKind::Organisation
        | EntityKind::Person
        | EntityKind::Territory
        | EntityKind::Cite => s("name"),
        EntityKind::Programme | EntityKind::Seminar => s("title"),
    }
}

/// The organisations operating an action (for a referent's permission).
pub(crate) fn operators_of(body: &Value) -> Vec<Slug> {
    body.get("operators")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|o| o.get("organisation").and_then(Value::as_str))
        .filter_map(|o| Slug::parse(o).ok())
        .collect()
}

pub(crate) fn editing(state: &AppState) -> Result<&Editing, AppError> {
    state
        .editing()
        .ok_or_else(|| AppError::NotFound("L'édition n'est pas ouverte sur ce serveur.".into()))
}

pub(crate) fn signed_in(viewer: &Viewer) -> Result<&Account, AppError> {
    viewer
        .account
        .as_ref()
        .ok_or_else(|| AppError::Unauthorized("Connectez-vous pour accéder à cet espace.".into()))
}

/// A professional (administrator, troïka, referent): internal pages.
pub(crate) fn professional(viewer: &Viewer) -> Result<&Account, AppError> {
    let account = signed_in(viewer)?;
    if account.is_professional() {
        Ok(account)
    } else {
        Err(AppError::Forbidden(
            "Cet espace est réservé à l'équipe de coordination, à la troïka et aux référents."
                .into(),
        ))
    }
}

/// Checks a form's CSRF token (browsers) — API tokens need none.
pub(crate) fn check_csrf(viewer: &Viewer, sent: &str) -> Result<(), AppError> {
    if viewer.by_token || viewer.csrf_ok(sent) {
        Ok(())
    } else {
        Err(AppError::Forbidden(
            "Le formulaire a expiré ou ne vient pas de Passerelle : rechargez la page et recommencez."
                .into(),
        ))
    }
}

pub(crate) fn allow(
    account: &Account,
    permission: Permission,
    kind: EntityKind,
    body: Option<&Value>,
) -> Result<(), AppError> {
    let operators = body.map(operators_of).unwrap_or_default();
    let refs: Vec<&Slug> = operators.iter().collect();
    if account.may(permission, kind, &refs) {
        Ok(())
    } else {
        Err(AppError::Forbidden(
            "Votre compte ne permet pas cette modification.".into(),
        ))
    }
}

pub(crate) fn store_error(e: StoreError) -> AppError {
    match e {
        StoreError::NotFound { .. } => AppError::NotFound("Cette fiche n'existe pas.".into()),
        other => AppError::Internal(format!("store: {other}")),
    }
}

/// The stored entity, or a French 404.
pub(crate) async fn stored(
    ed: &Editing,
    kind: EntityKind,
    key: &str,
) -> Result<passerelle_store::Versioned, AppError> {
    ed.store
        .entity(&ed.cite, kind, key)
        .await
        .map_err(store_error)?
        .ok_or_else(|| AppError::NotFound("Cette fiche n'existe pas.".into()))
}

/// The body read back as its domain type: the last check before saving.
pub(crate) fn check_body(kind: EntityKind, body: &Value) -> Result<(), String> {
    fn is<T: for<'de> serde::Deserialize<'de>>(v: &Value) -> Result<(), String> {
        serde_json::from_value::<T>(v.clone())
            .map(|_| ())
            .map_err(|e| e.to_string())
    }
    match kind {
        EntityKind::Action => is::<Action>(body),
        EntityKind::Axis => is::<Axis>(body),
        EntityKind::Organisation => is::<Organisation>(body),
        EntityKind::Person => is::<Person>(body),
        EntityKind::Territory => is::<Territory>(body),
        EntityKind::Cite => is::<Cite>(body),
        EntityKind::Programme => {
            let ok = body.get("slug").and_then(Value::as_str).is_some()
                && body.get("start_year").and_then(Value::as_i64)
                    <= body.get("end_year").and_then(Value::as_i64);
            if ok {
                Ok(())
            } else {
                Err("la dernière année précède la première".into())
            }
        }
        EntityKind::Seminar => Err("le séminaire se modifie depuis sa propre page".into()),
    }
}

/// For a new entity: its key, and the body completed with what the form does
/// not ask (slug, inferred parts). Errors name the field at fault.
pub(crate) fn new_key(
    kind: EntityKind,
    cat: &Catalogue,
    mut body: Map<String, Value>,
) -> Result<(String, Map<String, Value>), form::Errors> {
    let mut errors = form::Errors::new();
    let programme = cat
        .current_programme()
        .map(|p| p.slug.to_string())
        .unwrap_or_default();
    let text = |k: &str| {
        body.get(k)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    let key = match kind {
        EntityKind::Action => {
            body.insert("inferred".into(), json!({"number": false, "title": false}));
            let n = body
                .get("fiche")
                .and_then(Value::as_u64)
                .unwrap_or_default();
            format!("{programme}/fiche-{n}")
        }
        EntityKind::Axis => {
            let n = body
                .get("number")
                .and_then(Value::as_u64)
                .unwrap_or_default();
            format!("{programme}/axe-{n}")
        }
        EntityKind::Programme
        | EntityKind::Organisation
        | EntityKind::Person
        | EntityKind::Territory => {
            let from = if kind == EntityKind::Programme {
                "title"
            } else {
                "name"
            };
            let slug = Slug::from_text(&text(from));
            if slug.as_str().is_empty() {
                errors.insert(
                    from.into(),
                    "Le nom doit contenir des lettres ou des chiffres.".into(),
                );
            }
            body.insert("slug".into(), Value::String(slug.to_string()));
            slug.to_string()
        }
        EntityKind::Cite | EntityKind::Seminar => {
            errors.insert(
                "title".into(),
                "Ce type de fiche ne se crée pas ici.".into(),
            );
            String::new()
        }
    };
    if errors.is_empty() {
        Ok((key, body))
    } else {
        Err(errors)
    }
}

/// The field that makes a new entity's key, for the "exists already" message.
pub(crate) fn key_field(kind: EntityKind) -> &'static str {
    match kind {
        EntityKind::Action => "fiche",
        EntityKind::Axis => "number",
        EntityKind::Programme => "title",
        _ => "name",
    }
}

pub(crate) fn entity(kind: EntityKind, key: String, body: Map<String, Value>) -> Entity {
    Entity {
        kind,
        key,
        body: Value::Object(body),
    }
}
