//! Bringing a programme in from a spreadsheet, on the web
//! (`/admin/import`, for the cité's administrators): the file sent, what
//! the import would change and every problem located by sheet, row and
//! column; then, confirmed, the import applied in one transaction. The
//! confirmation carries the cells read (not the file), and the import is
//! planned again against the cité as it is then.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use passerelle_domain::{Catalogue, ChangeOp, diff};
use passerelle_livret::Severity;
use passerelle_livret::sheet::{Grid, Plan, plan};
use passerelle_store::ImportRecord;
use serde::Deserialize;

use crate::shared::ctx::{Editor, Posted, PostedFile, SignedIn};
use crate::shared::error::{AppError, store_error};
use crate::shared::layout::{Meta, Nav, no_store, render};
use crate::shared::state::AppState;

const REFUSAL: &str = "L'import d'un tableur est réservé aux administrateurs de la cité.";
/// The changes a preview lists (the counts cover them all).
const LISTED: usize = 300;

#[derive(Template)]
#[template(path = "admin/import.html")]
pub(crate) struct ImportPage {
    pub(crate) meta: Meta,
    pub(crate) csrf: String,
    /// After an import: how many elements it changed.
    pub(crate) notice: Option<String>,
    /// The file read, when previewing.
    pub(crate) source: Option<String>,
    pub(crate) error: Option<String>,
    /// (added, updated, removed).
    pub(crate) counts: (usize, usize, usize),
    pub(crate) changes: Vec<String>,
    pub(crate) more: usize,
    /// (where, severity, message).
    pub(crate) problems: Vec<(String, &'static str, String)>,
    /// The cells read, for the confirmation.
    pub(crate) grid: String,
}

fn page(ed: &Editor, who: &SignedIn) -> ImportPage {
    ImportPage {
        meta: Meta::new("Importer un tableur", &ed.here, Nav::None),
        csrf: who.csrf(),
        notice: None,
        source: None,
        error: None,
        counts: (0, 0, 0),
        changes: Vec::new(),
        more: 0,
        problems: Vec::new(),
        grid: String::new(),
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct DoneQuery {
    #[serde(default)]
    fait: Option<usize>,
}

/// `GET /admin/import`.
pub(crate) async fn form(
    ed: Editor,
    who: SignedIn,
    axum::extract::Query(q): axum::extract::Query<DoneQuery>,
) -> Result<Response, AppError> {
    who.administrator(REFUSAL)?;
    let mut p = page(&ed, &who);
    p.notice = q
        .fait
        .map(|n| format!("Import fait : {n} élément(s) ajouté(s), mis à jour ou supprimé(s)."));
    Ok(no_store(render(&p)?.into_response()))
}

/// The cité as stored, the import planned against it, and the entities it gives.
async fn planned(
    ed: &Editor,
    grid: &Grid,
) -> Result<
    (
        Result<Plan, passerelle_livret::ParseError>,
        Vec<passerelle_domain::Entity>,
    ),
    AppError,
> {
    let stored = ed.store.entities(ed.cite()).await.map_err(store_error)?;
    let catalogue = Catalogue::from_entities(stored.clone())
        .map_err(|e| AppError::Internal(format!("stored catalogue: {e}")))?;
    Ok((plan(&catalogue, grid), stored))
}

/// `POST /admin/import`: reads the file, shows what would change.
pub(crate) async fn preview(
    ed: Editor,
    PostedFile {
        who, name, bytes, ..
    }: PostedFile,
) -> Result<Response, AppError> {
    who.administrator(REFUSAL)?;
    let mut p = page(&ed, &who);
    let refused = |mut p: ImportPage, e: String| -> Result<Response, AppError> {
        p.error = Some(e);
        Ok(no_store(
            (StatusCode::UNPROCESSABLE_ENTITY, render(&p)?).into_response(),
        ))
    };
    let grid = match passerelle_sheet::read(&name, &bytes) {
        Ok(g) => g,
        Err(e) => return refused(p, e.to_string()),
    };
    let (planned, stored) = planned(&ed, &grid).await?;
    let plan = match planned {
        Ok(plan) => plan,
        Err(e) => return refused(p, format!("{name} : {e}")),
    };
    let changes = diff(&stored, &plan.merged.to_entities());
    let n = |f: fn(&ChangeOp) -> bool| changes.iter().filter(|c| f(&c.op)).count();
    p.counts = (
        n(|op| matches!(op, ChangeOp::Added)),
        n(|op| matches!(op, ChangeOp::Updated { .. })),
        n(|op| matches!(op, ChangeOp::Removed)),
    );
    p.more = changes.len().saturating_sub(LISTED);
    p.changes = changes
        .iter()
        .take(LISTED)
        .map(ToString::to_string)
        .collect();
    p.problems = plan
        .parsed
        .irregularities
        .iter()
        .filter(|i| i.severity != Severity::Info)
        .map(|i| (i.located(&name), i.severity.label(), i.message.clone()))
        .collect();
    p.grid = serde_json::to_string(&grid).map_err(|e| AppError::Internal(e.to_string()))?;
    p.source = Some(name);
    Ok(no_store(render(&p)?.into_response()))
}

#[derive(Debug, Deserialize)]
pub(crate) struct ConfirmForm {
    #[serde(default)]
    source: String,
    #[serde(default)]
    grid: String,
}

/// `POST /admin/import/confirmer`: applies the import previewed.
pub(crate) async fn confirm(
    State(state): State<AppState>,
    ed: Editor,
    Posted { who, form: f }: Posted<ConfirmForm>,
) -> Result<Response, AppError> {
    let admin = who.administrator(REFUSAL)?;
    let grid: Grid = serde_json::from_str(&f.grid).map_err(|_| {
        AppError::Unprocessable("grid".into(), "envoyez le tableur à nouveau".into())
    })?;
    let source = passerelle_domain::text::squash_spaces(&f.source);
    let source: String = source.chars().take(200).collect();
    let (planned, stored) = planned(&ed, &grid).await?;
    let plan = planned.map_err(|e| AppError::Unprocessable("grid".into(), e.to_string()))?;
    let new = plan.merged.to_entities();
    let changes = diff(&stored, &new);
    if !changes.is_empty() {
        let n = |f: fn(&ChangeOp) -> bool| changes.iter().filter(|c| f(&c.op)).count();
        let record = ImportRecord {
            source: format!("{source} (importé sur le web par {})", admin.email),
            added: n(|op| matches!(op, ChangeOp::Added)),
            updated: n(|op| matches!(op, ChangeOp::Updated { .. })),
            removed: n(|op| matches!(op, ChangeOp::Removed)),
            report: serde_json::to_string(&plan.parsed.irregularities)
                .unwrap_or_else(|_| "[]".to_owned()),
        };
        ed.store
            .apply(ed.cite(), &new, &changes, &record)
            .await
            .map_err(store_error)?;
        ed.rebuild(&state).await?;
    }
    Ok(who.see_other(&format!("/admin/import?fait={}", changes.len())))
}
