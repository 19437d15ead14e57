//! The editing pages: dashboard, lists, forms, history, activity log.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use passerelle_domain::{Account, EntityKind, Permission};
use passerelle_store::StoreError;
use serde::Deserialize;
use serde_json::{Map, Value};

use super::entities::{
    KINDS, edit_url, entity, key_field, key_from_url, kind_of, new_key, plural_of, public_url,
    segment_of, title_of,
};
use super::form::diff::{DiffLine, diff};
use super::form::{self, Errors, FieldView, Submitted};
use crate::shared::ctx::{Editor, Posted, Professional, SignedIn};
use crate::shared::entities::{canonical, stored};
use crate::shared::error::{AppError, store_error};
use crate::shared::layout::{Meta, Nav, no_store, render};
use crate::shared::state::AppState;

#[derive(Debug)]
pub(crate) struct KindLink {
    pub(crate) url: String,
    pub(crate) label: String,
    pub(crate) count: usize,
}

#[derive(Template)]
#[template(path = "admin/admin.html")]
pub(crate) struct Dashboard {
    pub(crate) meta: Meta,
    pub(crate) account: Account,
    /// The account's role in this cité, in words.
    pub(crate) role: String,
    /// The cité's slug (for the import command it shows).
    pub(crate) slug: String,
    pub(crate) csrf: String,
    pub(crate) kinds: Vec<KindLink>,
    /// A referent's own actions.
    pub(crate) own: Vec<Row>,
    pub(crate) is_admin: bool,
}

#[derive(Debug)]
pub(crate) struct Row {
    pub(crate) title: String,
    pub(crate) edit: Option<String>,
    pub(crate) history: String,
    pub(crate) public: Option<String>,
    pub(crate) archived: bool,
}

/// `/admin`: what this account may do.
pub(crate) async fn dashboard(
    ed: Editor,
    Professional(who): Professional,
) -> Result<Response, AppError> {
    let account = &who.account;
    let entities = ed.store.entities(ed.cite()).await.map_err(store_error)?;
    let kinds = KINDS
        .iter()
        .map(|(kind, seg, label, _)| KindLink {
            url: format!("/admin/{seg}"),
            label: (*label).to_owned(),
            count: entities.iter().filter(|e| e.kind == *kind).count(),
        })
        .collect();
    let own = entities
        .iter()
        .filter(|e| e.kind == EntityKind::Action)
        .filter(|e| {
            account.role_in(ed.cite()) == Some(passerelle_domain::Role::Referent)
                && who.allows(Permission::Edit, e.kind, Some(&e.body))
        })
        .map(|e| row(&who, e.kind, &e.key, &e.body, false))
        .collect();
    let page = Dashboard {
        meta: Meta::new("Espace de travail", &ed.here, Nav::None),
        is_admin: who.is_administrator(),
        slug: ed.cite().to_owned(),
        role: account.role_in(ed.cite()).map_or_else(
            || {
                account
                    .instance_role
                    .map(|r| r.label().to_owned())
                    .unwrap_or_default()
            },
            |r| r.label().to_owned(),
        ),
        csrf: who.csrf(),
        account: account.clone(),
        kinds,
        own,
    };
    Ok(no_store(render(&page)?.into_response()))
}

fn row(who: &SignedIn, kind: EntityKind, key: &str, body: &Value, archived: bool) -> Row {
    Row {
        title: title_of(kind, body),
        edit: who
            .allows(Permission::Edit, kind, Some(body))
            .then(|| edit_url(kind, key)),
        history: format!("{}/historique", edit_url(kind, key)),
        public: (!archived).then(|| public_url(kind, body)).flatten(),
        archived,
    }
}

#[derive(Template)]
#[template(path = "admin/admin_list.html")]
pub(crate) struct ListPage {
    pub(crate) meta: Meta,
    pub(crate) rows: Vec<Row>,
    pub(crate) new_url: Option<String>,
    pub(crate) new_label: String,
}

/// `/admin/{kind}`: every entity of a kind, archived ones last.
pub(crate) async fn list(
    ed: Editor,
    Professional(who): Professional,
    Path(segment): Path<String>,
) -> Result<Response, AppError> {
    let kind = kind_of(&segment)?;
    let mut rows: Vec<Row> = ed
        .store
        .entities(ed.cite())
        .await
        .map_err(store_error)?
        .iter()
        .filter(|e| e.kind == kind)
        .map(|e| row(&who, kind, &e.key, &e.body, false))
        .collect();
    rows.extend(
        ed.store
            .archived(ed.cite())
            .await
            .map_err(store_error)?
            .iter()
            .filter(|v| v.entity.kind == kind)
            .map(|v| row(&who, kind, &v.entity.key, &v.entity.body, true)),
    );
    let label = KINDS.iter().find(|k| k.0 == kind).map_or("", |k| k.3);
    let page = ListPage {
        meta: Meta::new(plural_of(kind), &ed.here, Nav::None),
        rows,
        new_url: (who.allows(Permission::Create, kind, None) && kind != EntityKind::Cite)
            .then(|| format!("/admin/{segment}/nouveau")),
        new_label: format!("Créer {label}"),
    };
    Ok(no_store(render(&page)?.into_response()))
}

#[derive(Debug)]
pub(crate) struct ErrorLink {
    pub(crate) id: String,
    pub(crate) label: String,
    pub(crate) message: String,
}

#[derive(Debug)]
pub(crate) struct Conflict {
    pub(crate) lines: Vec<DiffLine>,
    pub(crate) by: String,
    pub(crate) at: String,
}

#[derive(Template)]
#[template(path = "admin/edit.html")]
pub(crate) struct EditPage {
    pub(crate) meta: Meta,
    pub(crate) heading: String,
    pub(crate) action: String,
    pub(crate) csrf: String,
    pub(crate) version: u64,
    pub(crate) fields: Vec<FieldView>,
    pub(crate) errors: Vec<ErrorLink>,
    pub(crate) conflict: Option<Conflict>,
    pub(crate) saved: bool,
    pub(crate) public: Option<String>,
    pub(crate) history: Option<String>,
    pub(crate) archived: bool,
    pub(crate) can_archive: bool,
    pub(crate) archive_action: String,
}

struct EditContext {
    kind: EntityKind,
    key: Option<String>,
    fields: Vec<form::Field>,
    /// The stored entity's name, for the heading.
    title: String,
}

fn error_links(fields: &[FieldView], errors: &Errors) -> Vec<ErrorLink> {
    let mut out = Vec::new();
    for f in fields {
        if let Some(m) = &f.error {
            out.push(ErrorLink {
                id: f.id.clone(),
                label: f.label.clone(),
                message: m.clone(),
            });
        }
        for r in &f.rows {
            for c in &r.cells {
                if let Some(m) = &c.error {
                    out.push(ErrorLink {
                        id: c.id.clone(),
                        label: format!("{} : {}", r.legend, c.label),
                        message: m.clone(),
                    });
                }
            }
        }
    }
    // Messages for fields not shown (a body refused as a whole).
    for (k, m) in errors {
        if !out.iter().any(|l| l.message == *m) {
            out.push(ErrorLink {
                id: "formulaire".into(),
                label: k.clone(),
                message: m.clone(),
            });
        }
    }
    out
}

#[expect(
    clippy::too_many_arguments,
    reason = "the parts of one page, each from its own source"
)]
fn edit_page(
    ed: &Editor,
    who: &SignedIn,
    ctx: &EditContext,
    submitted: &Submitted,
    errors: &Errors,
    version: u64,
    extra: (usize, bool),
    conflict: Option<Conflict>,
    archived: bool,
) -> Result<EditPage, AppError> {
    let (blank, preview) = extra;
    let fields = form::views(&ctx.fields, submitted, errors, blank, preview);
    let _snapshot = ed.here.snapshot();
    let (heading, action, public, history, archive_action) = match &ctx.key {
        Some(key) => (
            format!("Modifier : {}", ctx.title),
            edit_url(ctx.kind, key),
            None,
            Some(format!("{}/historique", edit_url(ctx.kind, key))),
            format!(
                "{}/{}",
                edit_url(ctx.kind, key),
                if archived { "desarchiver" } else { "archiver" }
            ),
        ),
        None => (
            format!(
                "Créer {}",
                KINDS.iter().find(|k| k.0 == ctx.kind).map_or("", |k| k.3)
            ),
            format!("/admin/{}/nouveau", segment_of(ctx.kind)),
            None,
            None,
            String::new(),
        ),
    };
    Ok(EditPage {
        meta: Meta::new(heading.clone(), &ed.here, Nav::None),
        heading,
        action,
        csrf: who.csrf(),
        version,
        errors: error_links(&fields, errors),
        fields,
        conflict,
        saved: false,
        public,
        history,
        archived,
        can_archive: ctx.key.is_some()
            && ctx.kind != EntityKind::Cite
            && who.allows(Permission::Archive, ctx.kind, None),
        archive_action,
    })
}

#[derive(Debug, Deserialize)]
pub(crate) struct SavedQuery {
    #[serde(default)]
    enregistre: Option<String>,
}

/// `GET /admin/{kind}/{key}`: the form, filled from the stored entity.
pub(crate) async fn edit_form(
    ed: Editor,
    who: SignedIn,
    Path((segment, key)): Path<(String, String)>,
    Query(q): Query<SavedQuery>,
) -> Result<Response, AppError> {
    let kind = kind_of(&segment)?;
    let key = key_from_url(&key);
    let stored = stored(&ed, kind, &key).await?;
    who.may(Permission::Edit, kind, Some(&stored.entity.body))?;
    let snapshot = ed.here.snapshot();
    let ctx = EditContext {
        kind,
        fields: form::fields(kind, &snapshot.catalogue, false),
        title: title_of(kind, &stored.entity.body),
        key: Some(key),
    };
    let submitted = form::values_of(
        &ctx.fields,
        &super::entities::to_form_body(kind, &stored.entity.body),
    );
    let mut page = edit_page(
        &ed,
        &who,
        &ctx,
        &submitted,
        &Errors::new(),
        stored.version,
        (2, false),
        None,
        stored.archived,
    )?;
    page.saved = q.enregistre.is_some();
    page.public = (!stored.archived)
        .then(|| public_url(kind, &stored.entity.body))
        .flatten();
    Ok(no_store(render(&page)?.into_response()))
}

/// `GET /admin/{kind}/nouveau`.
pub(crate) async fn new_form(
    ed: Editor,
    who: SignedIn,
    Path(segment): Path<String>,
) -> Result<Response, AppError> {
    let kind = kind_of(&segment)?;
    who.may(Permission::Create, kind, None)?;
    let snapshot = ed.here.snapshot();
    let ctx = EditContext {
        kind,
        fields: form::fields(kind, &snapshot.catalogue, true),
        title: String::new(),
        key: None,
    };
    let submitted = form::values_of(&ctx.fields, &Value::Object(Map::new()));
    let page = edit_page(
        &ed,
        &who,
        &ctx,
        &submitted,
        &Errors::new(),
        0,
        (2, false),
        None,
        false,
    )?;
    Ok(no_store(render(&page)?.into_response()))
}

fn refused(page: &EditPage, status: StatusCode) -> Result<Response, AppError> {
    Ok(no_store((status, render(page)?).into_response()))
}

/// `POST /admin/{kind}/nouveau`.
pub(crate) async fn create(
    State(state): State<AppState>,
    ed: Editor,
    Path(segment): Path<String>,
    Posted {
        who,
        form: submitted,
    }: Posted<Submitted>,
) -> Result<Response, AppError> {
    let kind = kind_of(&segment)?;
    who.may(Permission::Create, kind, None)?;
    let snapshot = ed.here.snapshot();
    let ctx = EditContext {
        kind,
        fields: form::fields(kind, &snapshot.catalogue, true),
        title: String::new(),
        key: None,
    };
    let intent = submitted.get("intent").to_owned();
    let show = |errors: &Errors, extra: (usize, bool), status: StatusCode| {
        let page = edit_page(&ed, &who, &ctx, &submitted, errors, 0, extra, None, false)?;
        refused(&page, status)
    };
    match intent.as_str() {
        "apercu" => return show(&Errors::new(), (1, true), StatusCode::OK),
        "lignes" => return show(&Errors::new(), (4, false), StatusCode::OK),
        _ => {}
    }
    let body = match form::read(&ctx.fields, &submitted, Map::new())
        .map(|b| super::entities::from_form_body(kind, b))
        .and_then(|body| new_key(kind, &snapshot.catalogue, body))
    {
        Ok(b) => b,
        Err(errors) => return show(&errors, (1, false), StatusCode::UNPROCESSABLE_ENTITY),
    };
    let (key, body) = body;
    let body = match canonical(kind, Value::Object(body)) {
        Ok(b) => b,
        Err(e) => {
            let errors = Errors::from([(
                "formulaire".to_owned(),
                format!("Données incohérentes : {e}"),
            )]);
            return show(&errors, (1, false), StatusCode::UNPROCESSABLE_ENTITY);
        }
    };
    let e = entity(kind, key.clone(), body);
    match ed
        .store
        .save(ed.cite(), &e, 0, who.account.email.as_str())
        .await
    {
        Ok(_) => {}
        Err(StoreError::Conflict { .. }) => {
            let errors = Errors::from([(
                key_field(kind).to_owned(),
                "Une fiche existe déjà sous ce nom ou ce numéro (éventuellement archivée)."
                    .to_owned(),
            )]);
            return show(&errors, (1, false), StatusCode::CONFLICT);
        }
        Err(other) => return Err(store_error(other)),
    }
    ed.rebuild(&state).await?;
    Ok(ed
        .here
        .see_other(&format!("{}?enregistre=1", edit_url(kind, &key))))
}

/// `POST /admin/{kind}/{key}`: save, preview or add rows.
pub(crate) async fn update(
    State(state): State<AppState>,
    ed: Editor,
    Path((segment, key)): Path<(String, String)>,
    Posted {
        who,
        form: submitted,
    }: Posted<Submitted>,
) -> Result<Response, AppError> {
    let kind = kind_of(&segment)?;
    let key = key_from_url(&key);
    let stored = stored(&ed, kind, &key).await?;
    who.may(Permission::Edit, kind, Some(&stored.entity.body))?;
    let started_from: u64 = submitted.get("version").parse().unwrap_or(0);
    let snapshot = ed.here.snapshot();
    let ctx = EditContext {
        kind,
        fields: form::fields(kind, &snapshot.catalogue, false),
        title: title_of(kind, &stored.entity.body),
        key: Some(key.clone()),
    };
    let show = |errors: &Errors,
                version: u64,
                extra: (usize, bool),
                conflict: Option<Conflict>,
                status: StatusCode| {
        let page = edit_page(
            &ed,
            &who,
            &ctx,
            &submitted,
            errors,
            version,
            extra,
            conflict,
            stored.archived,
        )?;
        refused(&page, status)
    };
    match submitted.get("intent") {
        "apercu" => {
            return show(
                &Errors::new(),
                started_from,
                (1, true),
                None,
                StatusCode::OK,
            );
        }
        "lignes" => {
            return show(
                &Errors::new(),
                started_from,
                (4, false),
                None,
                StatusCode::OK,
            );
        }
        _ => {}
    }
    let base = stored.entity.body.as_object().cloned().unwrap_or_default();
    let body = match form::read(&ctx.fields, &submitted, base) {
        Ok(b) => super::entities::from_form_body(kind, b),
        Err(errors) => {
            return show(
                &errors,
                started_from,
                (1, false),
                None,
                StatusCode::UNPROCESSABLE_ENTITY,
            );
        }
    };
    let body = match canonical(kind, Value::Object(body)) {
        Ok(b) => b,
        Err(e) => {
            let errors = Errors::from([(
                "formulaire".to_owned(),
                format!("Données incohérentes : {e}"),
            )]);
            return show(
                &errors,
                started_from,
                (1, false),
                None,
                StatusCode::UNPROCESSABLE_ENTITY,
            );
        }
    };
    let e = entity(kind, key.clone(), body);
    match ed
        .store
        .save(ed.cite(), &e, started_from, who.account.email.as_str())
        .await
    {
        Ok(_) => {}
        Err(StoreError::Conflict { current, .. }) => {
            let current = current.ok_or_else(|| {
                AppError::NotFound("Cette fiche a été supprimée entre-temps.".into())
            })?;
            let conflict =
                conflict_view(&ed, &ctx, kind, &key, started_from, &current.entity.body).await?;
            return show(
                &Errors::new(),
                current.version,
                (1, false),
                Some(conflict),
                StatusCode::CONFLICT,
            );
        }
        Err(other) => return Err(store_error(other)),
    }
    ed.rebuild(&state).await?;
    Ok(ed
        .here
        .see_other(&format!("{}?enregistre=1", edit_url(kind, &key))))
}

/// What changed between the version the form was opened from and now.
async fn conflict_view(
    ed: &Editor,
    ctx: &EditContext,
    kind: EntityKind,
    key: &str,
    started_from: u64,
    current: &Value,
) -> Result<Conflict, AppError> {
    let history = ed
        .store
        .history(ed.cite(), kind, key)
        .await
        .map_err(store_error)?;
    let base = history.iter().find(|h| h.version == started_from);
    let last = history.last();
    Ok(Conflict {
        lines: diff(
            &ctx.fields,
            base.and_then(|h| h.body.as_ref()),
            Some(current),
        ),
        by: last.map(|h| h.actor.clone()).unwrap_or_default(),
        at: last.map(|h| french_time(&h.at)).unwrap_or_default(),
    })
}

/// "2026-11-26T06:10:00Z" → "26/11/2026 à 07 h 10" (Paris time).
pub(crate) fn french_time(rfc3339: &str) -> String {
    use time::format_description::well_known::Rfc3339;
    let Ok(t) = time::OffsetDateTime::parse(rfc3339, &Rfc3339) else {
        return rfc3339.to_owned();
    };
    let date = passerelle_domain::Date::new(t.year(), u8::from(t.month()), t.day());
    let offset = date.map_or(1, |d| if d.paris_offset() == "+02:00" { 2 } else { 1 });
    let local =
        t.to_offset(time::UtcOffset::from_hms(offset, 0, 0).unwrap_or(time::UtcOffset::UTC));
    format!(
        "{:02}/{:02}/{} à {:02} h {:02}",
        local.day(),
        u8::from(local.month()),
        local.year(),
        local.hour(),
        local.minute()
    )
}

#[derive(Debug, Deserialize)]
pub(crate) struct VersionForm {
    #[serde(default)]
    pub(crate) version: u64,
    /// For a restore: the version to bring back.
    #[serde(default)]
    pub(crate) restore: Option<u64>,
}

async fn set_archived(
    state: AppState,
    ed: Editor,
    (segment, key): (String, String),
    Posted { who, form: f }: Posted<VersionForm>,
    archived: bool,
) -> Result<Response, AppError> {
    let kind = kind_of(&segment)?;
    who.may(Permission::Archive, kind, None)?;
    let key = key_from_url(&key);
    match ed
        .store
        .set_archived(
            ed.cite(),
            kind,
            &key,
            f.version,
            archived,
            who.account.email.as_str(),
        )
        .await
    {
        Ok(_) => {}
        Err(StoreError::Conflict { .. }) => {
            return Err(AppError::Conflict(
                "Cette fiche a été modifiée entre-temps : rouvrez-la et recommencez.".into(),
            ));
        }
        Err(e) => return Err(store_error(e)),
    }
    ed.rebuild(&state).await?;
    Ok(ed.here.see_other(&format!("/admin/{segment}")))
}

/// `POST /admin/{kind}/{key}/archiver`.
pub(crate) async fn archive(
    State(state): State<AppState>,
    ed: Editor,
    Path(path): Path<(String, String)>,
    posted: Posted<VersionForm>,
) -> Result<Response, AppError> {
    set_archived(state, ed, path, posted, true).await
}

/// `POST /admin/{kind}/{key}/desarchiver`.
pub(crate) async fn unarchive(
    State(state): State<AppState>,
    ed: Editor,
    Path(path): Path<(String, String)>,
    posted: Posted<VersionForm>,
) -> Result<Response, AppError> {
    set_archived(state, ed, path, posted, false).await
}
