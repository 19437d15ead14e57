//! The data-quality report of the booklet the catalogue was imported from.

use askama::Template;
use axum::response::Html;
use passerelle_livret::Severity;

use crate::shared::ctx::Seen;
use crate::shared::error::AppError;
use crate::shared::layout::{Meta, Nav, render};
use crate::shared::readability::Readability;
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
    /// The readability of each action of the current programme.
    pub(crate) readable: Vec<ReadableRow>,
    /// The actions without « En bref », by fiche number.
    pub(crate) without_summary: Vec<(u32, String)>,
    /// Per language of the families: how much of the programme is
    /// translated, and reviewed.
    pub(crate) coverage: Vec<Coverage>,
    /// The form recording an interface review, for the cité's
    /// administrators: its CSRF token.
    pub(crate) review_csrf: Option<String>,
    /// What was refused in that form, with what was typed.
    pub(crate) review_error: Option<String>,
    pub(crate) review_typed: (String, String, String),
}

pub(crate) struct Coverage {
    pub(crate) code: &'static str,
    pub(crate) language: &'static str,
    /// The interface in this language: reviewed (by whom, when), or drafted.
    pub(crate) interface: String,
    pub(crate) translated: usize,
    pub(crate) reviewed: usize,
    pub(crate) total: usize,
}

fn coverage(s: &Seen) -> Vec<Coverage> {
    let actions = s.programme().map_or(&[][..], |p| &p.actions[..]);
    passerelle_domain::FAMILY_LANGUAGES
        .iter()
        .map(|(code, language)| {
            let shown: Vec<&passerelle_domain::Translation> =
                actions.iter().filter_map(|a| a.translation(code)).collect();
            let interface = match s.catalogue.cite.interface_review(code) {
                Some(r) => format!("relue par {} le {}", r.by, r.on.french()),
                None => "rédigée par l'équipe de Passerelle, à relire".to_owned(),
            };
            Coverage {
                code,
                language,
                interface,
                translated: shown.len(),
                reviewed: shown
                    .iter()
                    .filter(|t| t.state == passerelle_domain::TranslationState::Relu)
                    .count(),
                total: actions.len(),
            }
        })
        .collect()
}

/// One action's texts, measured.
pub(crate) struct ReadableRow {
    pub(crate) fiche: u32,
    pub(crate) href: String,
    pub(crate) title: String,
    pub(crate) description: Option<Readability>,
    pub(crate) summary: Option<Readability>,
    /// "relu par … le 3 mai 2025", when the summary's review is recorded.
    pub(crate) reviewed: Option<String>,
}

fn readable(s: &Seen) -> (Vec<ReadableRow>, Vec<(u32, String)>) {
    let Some(p) = s.programme() else {
        return (Vec::new(), Vec::new());
    };
    let rows = p
        .actions
        .iter()
        .map(|a| ReadableRow {
            fiche: a.fiche.get(),
            href: format!("/actions/{}", a.fiche),
            title: fr(&a.title),
            description: Readability::of(&a.description),
            summary: Readability::of(&a.plain_summary),
            reviewed: a.plain_summary_reviewed_by.as_ref().map(|who| {
                match a.plain_summary_reviewed_on {
                    Some(d) => format!("relu par {who} le {}", d.french()),
                    None => format!("relu par {who}"),
                }
            }),
        })
        .collect();
    let without = p
        .actions
        .iter()
        .filter(|a| a.plain_summary.trim().is_empty())
        .map(|a| (a.fiche.get(), format!("/actions/{}", a.fiche)))
        .collect();
    (rows, without)
}

pub(crate) async fn quality(s: Seen) -> Result<Html<String>, AppError> {
    render(&quality_page(&s))
}

pub(crate) fn quality_page(s: &Seen) -> QualityPage {
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
    let (readable, without_summary) = readable(s);
    QualityPage {
        review_csrf: s.administrator_csrf(),
        review_error: None,
        review_typed: (
            String::new(),
            String::new(),
            crate::shared::text::paris_today().iso(),
        ),
        coverage: coverage(s),
        readable,
        without_summary,
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
    }
}
