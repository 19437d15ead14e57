//! The data-quality report of the booklet the catalogue was imported from.

use askama::Template;
use axum::response::Html;
use passerelle_livret::Severity;

use crate::shared::ctx::Seen;
use crate::shared::error::AppError;
use crate::shared::layout::{Meta, Nav, render};
use crate::shared::text::fr;

pub(crate) struct ReportRow {
    /// The line; in a spreadsheet, the row with its sheet and column.
    pub(crate) line: String,
    pub(crate) severity: &'static str,
    pub(crate) severity_class: &'static str,
    pub(crate) fiche: Option<(u32, String)>,
    pub(crate) message: String,
}

#[derive(Template)]
#[template(path = "catalogue/quality.html")]
pub(crate) struct QualityPage {
    pub(crate) meta: Meta,
    pub(crate) source: String,
    /// The programme came from a spreadsheet (not a booklet).
    pub(crate) sheet: bool,
    pub(crate) counts: Vec<(&'static str, usize)>,
    pub(crate) rows: Vec<ReportRow>,
}

pub(crate) async fn quality(s: Seen) -> Result<Html<String>, AppError> {
    let mut rows: Vec<&passerelle_livret::Irregularity> = s.report.iter().collect();
    rows.sort_by_key(|i| (i.severity, i.line));
    let count = |sev: Severity| s.report.iter().filter(|i| i.severity == sev).count();
    let sheet = passerelle_sheet::Format::is_sheet_name(
        s.report_source
            .split(" (importé sur le web")
            .next()
            .unwrap_or_default(),
    );
    let title = if sheet {
        "Qualité des données du tableur"
    } else {
        "Qualité des données du livret"
    };
    let page = QualityPage {
        meta: Meta::new(title, &s.here, Nav::Quality),
        sheet,
        source: s.report_source.clone(),
        counts: vec![
            ("erreur(s)", count(Severity::Error)),
            ("avertissement(s)", count(Severity::Warning)),
            ("information(s)", count(Severity::Info)),
        ],
        rows: rows
            .into_iter()
            .map(|i| ReportRow {
                line: match (&i.sheet, &i.column) {
                    (None, _) => i.line.to_string(),
                    (Some(sheet), column) => {
                        let mut at: Vec<String> = Vec::new();
                        if !sheet.is_empty() {
                            at.push(format!("feuille « {sheet} »"));
                        }
                        if let Some(c) = column {
                            at.push(format!("colonne {c}"));
                        }
                        if at.is_empty() {
                            i.line.to_string()
                        } else {
                            format!("{} ({})", i.line, at.join(", "))
                        }
                    }
                },
                severity: i.severity.label(),
                severity_class: match i.severity {
                    Severity::Error => "error",
                    Severity::Warning => "warning",
                    Severity::Info => "info",
                },
                fiche: i.fiche.map(|f| (f, format!("/actions/{f}"))),
                message: fr(&i.message),
            })
            .collect(),
    };
    render(&page)
}
