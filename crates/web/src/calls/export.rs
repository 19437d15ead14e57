//! A call's applications and scores as a spreadsheet (xlsx, ods or CSV)
//! for its instructors: the first row holds each column's stable id (not
//! its label: renaming a label or a criterion breaks no re-import and no
//! downstream tool), the columns are chosen on the export page. Amounts
//! are written in euros with two decimals (`8000.50`): exact.

use askama::Template;
use axum::extract::{Path, Query};
use axum::response::{IntoResponse, Response};
use passerelle_domain::call::application::Application;
use passerelle_domain::call::{Balance, Score, scored};
use passerelle_domain::money::Cents;
use passerelle_store::calls::{Decision, StoredCall};

use super::{call_of, is_instructor, store_error};
use crate::shared::ctx::{Editor, SignedIn};
use crate::shared::error::AppError;
use crate::shared::layout::{Meta, Nav, no_store, render};

/// An amount as a machine reads it: `8000.50`.
fn euros(c: Cents) -> String {
    format!("{}.{:02}", c.0 / 100, c.0 % 100)
}

/// What a column reads of an application.
struct Ctx<'a> {
    app: &'a Application,
    call: &'a StoredCall,
    scores: Vec<Score>,
    decision: Option<&'a Decision>,
}

type Read = fn(&Ctx<'_>) -> String;

/// The fixed columns: (id, label, reader).
const FIXED: [(&str, &str, Read); 22] = [
    ("id", "Numéro", |c| c.app.id.to_string()),
    ("etat", "État", |c| c.app.state.key().to_owned()),
    ("etape", "Étape", |c| c.app.step.key().to_owned()),
    ("depose_le", "Déposée le", |c| {
        c.app
            .submitted_at
            .map(passerelle_store::rows::rfc3339)
            .unwrap_or_default()
    }),
    ("titre", "Titre du projet", |c| c.app.form.title.clone()),
    ("axe", "Axe", |c| c.app.form.axis.clone()),
    ("description", "Description", |c| {
        c.app.form.description.clone()
    }),
    ("objectifs", "Objectifs", |c| c.app.form.objectives.clone()),
    ("publics", "Publics", |c| c.app.form.audiences.join(", ")),
    ("debut", "Début", |c| c.app.form.starts.clone()),
    ("fin", "Fin", |c| c.app.form.ends.clone()),
    ("lieu", "Lieu", |c| c.app.form.place.clone()),
    ("structure", "Structure", |c| c.app.form.structure.clone()),
    ("siret", "SIRET", |c| c.app.form.siret.clone()),
    ("rna", "RNA", |c| c.app.form.rna.clone()),
    ("representant", "Représentant légal", |c| {
        c.app.form.representative.clone()
    }),
    ("charges", "Total des charges (€)", |c| {
        euros(Balance::of(&c.app.form.budget_lines().0).charges)
    }),
    (
        "subventions_demandees",
        "Subventions demandées (€)",
        |c| euros(super::view::requested(&c.app.form)),
    ),
    ("note_moyenne", "Note moyenne (sur 100)", |c| {
        scored(&c.call.call.grid, &c.call.reviewers, &c.scores)
            .mean
            .map(|m| m.to_string())
            .unwrap_or_default()
    }),
    ("ecart", "Écart entre évaluateurs", |c| {
        scored(&c.call.call.grid, &c.call.reviewers, &c.scores)
            .spread
            .to_string()
    }),
    ("decision", "Décision", |c| {
        c.decision
            .map(|d| d.state.key().to_owned())
            .unwrap_or_default()
    }),
    ("montants_proposes", "Montants proposés (€)", |c| {
        c.decision
            .map(|d| {
                d.amounts
                    .iter()
                    .map(|(f, a)| format!("{f}: {}", euros(*a)))
                    .collect::<Vec<_>>()
                    .join("; ")
            })
            .unwrap_or_default()
    }),
];

/// Every column of a call's export: (id, label), the fixed ones then one
/// per criterion (`critere_<key>`, the mean of its scores).
pub(crate) fn columns(call: &StoredCall) -> Vec<(String, String)> {
    FIXED
        .iter()
        .map(|(id, label, _)| ((*id).to_owned(), (*label).to_owned()))
        .chain(call.call.grid.iter().map(|c| {
            (
                format!("critere_{}", c.key),
                format!("Critère : {} (moyenne)", c.label),
            )
        }))
        .collect()
}

fn cell(ctx: &Ctx<'_>, column: &str) -> String {
    if let Some((_, _, read)) = FIXED.iter().find(|(id, _, _)| *id == column) {
        return read(ctx);
    }
    let Some(key) = column.strip_prefix("critere_") else {
        return String::new();
    };
    let values: Vec<u32> = ctx
        .scores
        .iter()
        .filter(|s| s.criterion == key)
        .map(|s| s.value)
        .collect();
    if values.is_empty() {
        return String::new();
    }
    // Tenths, rounded half up: exact enough, and never a float.
    let n = u32::try_from(values.len()).unwrap_or(1);
    let tenths = (values.iter().sum::<u32>() * 100 / n + 5) / 10;
    format!("{}.{}", tenths / 10, tenths % 10)
}

#[derive(Template)]
#[template(path = "calls/export.html")]
pub(crate) struct ExportPage {
    pub(crate) meta: Meta,
    pub(crate) action: String,
    pub(crate) columns: Vec<(String, String)>,
}

fn instructor(who: &SignedIn) -> Result<(), AppError> {
    if is_instructor(who) {
        Ok(())
    } else {
        Err(AppError::Forbidden(
            "Les exports des candidatures sont réservés à l'équipe de coordination et à la troïka."
                .into(),
        ))
    }
}

/// `GET /admin/appels/{id}/export`: the choice of columns and format.
pub(crate) async fn page(
    ed: Editor,
    who: SignedIn,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    instructor(&who)?;
    let call = call_of(&ed, &id).await?;
    Ok(no_store(
        render(&ExportPage {
            meta: who.meta(format!("Exporter : {}", call.call.title), Nav::None),
            action: format!("/admin/appels/{}/export/candidatures", call.id),
            columns: columns(&call),
        })?
        .into_response(),
    ))
}

#[derive(Debug, serde::Deserialize)]
pub(crate) struct Choice {
    #[serde(default)]
    format: String,
    /// Column ids, comma-separated; all when empty.
    #[serde(default)]
    colonnes: String,
}

/// `GET /admin/appels/{id}/export/candidatures?format=xlsx|ods|csv&colonnes=…`.
pub(crate) async fn file(
    ed: Editor,
    who: SignedIn,
    Path(id): Path<String>,
    Query(choice): Query<Choice>,
) -> Result<Response, AppError> {
    instructor(&who)?;
    let call = call_of(&ed, &id).await?;
    let all = columns(&call);
    let chosen: Vec<String> = if choice.colonnes.trim().is_empty() {
        all.iter().map(|(id, _)| id.clone()).collect()
    } else {
        let mut out = Vec::new();
        for c in choice
            .colonnes
            .split(',')
            .map(str::trim)
            .filter(|c| !c.is_empty())
        {
            if !all.iter().any(|(id, _)| id == c) {
                return Err(AppError::BadRequest(
                    "colonnes".into(),
                    format!("« {c} » n'est pas une colonne de cet export (voir la page d'export)."),
                ));
            }
            out.push(c.to_owned());
        }
        out
    };
    let read = super::instruct::submitted(&ed, &call).await?;
    let (apps, scores) = (&read.apps, &read.scores);
    let decisions = ed
        .calls
        .decisions(ed.cite(), call.id)
        .await
        .map_err(store_error)?;
    let mut rows = vec![chosen.clone()];
    for app in apps {
        let ctx = Ctx {
            app,
            call: &call,
            scores: scores
                .iter()
                .filter(|(a, _)| *a == app.id)
                .map(|(_, s)| s.clone())
                .collect(),
            decision: decisions.iter().find(|d| d.application == app.id),
        };
        rows.push(chosen.iter().map(|c| cell(&ctx, c)).collect());
    }
    let sheet_err = |e: passerelle_sheet::SheetError| AppError::Internal(format!("export: {e}"));
    let (bytes, mime, ext) = match choice.format.as_str() {
        "" | "xlsx" => (
            passerelle_sheet::write_xlsx("Candidatures", &rows, None).map_err(sheet_err)?,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
        ),
        "ods" => (
            passerelle_sheet::write_ods("Candidatures", &rows).map_err(sheet_err)?,
            "application/vnd.oasis.opendocument.spreadsheet",
            "ods",
        ),
        "csv" => (
            passerelle_sheet::write_csv(&rows),
            "text/csv; charset=utf-8",
            "csv",
        ),
        other => {
            return Err(AppError::BadRequest(
                "format".into(),
                format!("« {other} » : le format est xlsx, ods ou csv."),
            ));
        }
    };
    Ok(super::file(
        bytes,
        mime,
        "attachment",
        &format!("appel-{}-candidatures.{ext}", call.id),
    ))
}
