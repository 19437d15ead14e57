//! `/donnees`: the datasets of a cité (or, nationally, of every cité), each
//! with its licence, its update date, its size and its formats.

use askama::Template;
use axum::extract::State;
use axum::response::Html;
use passerelle_opendata::{LICENCE, Published, tables};

use super::files::{Source, source, sources};
use crate::shared::cites::Here;
use crate::shared::error::AppError;
use crate::shared::layout::{Meta, Nav, render};
use crate::shared::state::AppState;

pub(crate) struct Format {
    pub(crate) label: &'static str,
    pub(crate) href: String,
}

pub(crate) struct Dataset {
    pub(crate) title: String,
    pub(crate) description: String,
    /// "1er décembre 2026", or "" when the history does not say.
    pub(crate) updated: String,
    pub(crate) rows: usize,
    pub(crate) formats: Vec<Format>,
}

#[derive(Template)]
#[template(path = "opendata/datasets.html")]
pub(crate) struct DatasetsPage {
    pub(crate) meta: Meta,
    /// The cité's name, or none for the national page.
    pub(crate) cite: Option<String>,
    pub(crate) licence_title: &'static str,
    pub(crate) licence_url: &'static str,
    pub(crate) datasets: Vec<Dataset>,
    /// The booklet and the feeds (a cité's page only).
    pub(crate) booklet: Option<String>,
    pub(crate) feeds: Vec<Format>,
    /// The number of cités (the national page).
    pub(crate) cites: usize,
}

fn french(day: &str) -> String {
    let mut parts = day.split('-').map(|p| p.parse::<u32>().ok());
    match (
        parts.next().flatten(),
        parts.next().flatten(),
        parts.next().flatten(),
    ) {
        (Some(y), Some(m), Some(d)) => passerelle_domain::Date::new(y as i32, m as u8, d as u8)
            .map_or_else(|| day.to_owned(), |d| d.french()),
        _ => String::new(),
    }
}

fn datasets(sources: &[Source], link: impl Fn(&str) -> String) -> Vec<Dataset> {
    let published: Vec<Published<'_>> = sources.iter().map(Source::published).collect();
    let tables = tables(&published);
    let updated = tables
        .iter()
        .filter_map(|t| t.updated.clone())
        .max()
        .unwrap_or_default();
    let services: usize = sources
        .iter()
        .filter_map(|s| s.snapshot.catalogue.current_programme())
        .map(|p| p.actions.len())
        .sum();
    let mut out: Vec<Dataset> = tables
        .iter()
        .map(|t| Dataset {
            title: t.title.to_owned(),
            description: t.description.to_owned(),
            updated: t.updated.as_deref().map(french).unwrap_or_default(),
            rows: t.rows.len(),
            formats: vec![
                Format {
                    label: "CSV",
                    href: link(&format!("{}.csv", t.name)),
                },
                Format {
                    label: "CSV pour tableur (point-virgule)",
                    href: link(&format!("{}-tableur.csv", t.name)),
                },
                Format {
                    label: "JSON",
                    href: link(&format!("{}.json", t.name)),
                },
            ],
        })
        .collect();
    out.push(Dataset {
        title: "Services et structures au format data·inclusion".into(),
        description: "Les actions du programme en cours comme services, et leurs opérateurs comme structures, au schéma national data·inclusion (version 1) que lisent DORA et la base data·inclusion.".into(),
        updated: french(&updated),
        rows: services,
        formats: vec![
            Format { label: "services (JSON)", href: link("services.json") },
            Format { label: "structures (JSON)", href: link("structures.json") },
        ],
    });
    out.push(Dataset {
        title: "Description des fichiers CSV (Data Package)".into(),
        description: "Les colonnes de chaque fichier, leur type et leur sens, au format Frictionless Data Package (Table Schema).".into(),
        updated: french(&updated),
        rows: tables.len(),
        formats: vec![Format { label: "datapackage.json", href: link("datapackage.json") }],
    });
    out
}

/// `GET /donnees`
pub(crate) async fn cite(
    State(state): State<AppState>,
    here: Here,
) -> Result<Html<String>, AppError> {
    let source = source(&state, &here).await?;
    let name = source.snapshot.catalogue.cite.name.clone();
    let page = DatasetsPage {
        meta: Meta::new("Données ouvertes", &here, Nav::None).describe(format!(
            "Les données du programme de la {name}, sous Licence Ouverte 2.0."
        )),
        datasets: datasets(std::slice::from_ref(&source), |f| format!("/donnees/{f}")),
        cite: Some(name),
        licence_title: LICENCE.title,
        licence_url: LICENCE.path,
        booklet: Some("/livret".into()),
        feeds: vec![
            Format {
                label: "Actions ajoutées ou modifiées",
                href: "/flux/actions.atom".into(),
            },
            Format {
                label: "Événements",
                href: "/flux/evenements.atom".into(),
            },
        ],
        cites: 1,
    };
    render(&page)
}

/// `GET /national/donnees` (`/donnees` with several cités).
pub(crate) async fn national(State(state): State<AppState>) -> Result<Html<String>, AppError> {
    let sources = sources(&state).await?;
    let prefix = if state.cites.several() {
        "/donnees"
    } else {
        "/national/donnees"
    };
    let page = DatasetsPage {
        meta: Meta::national("Données ouvertes de toutes les cités", Nav::None)
            .describe("Les données des programmes de toutes les cités éducatives de l'instance, sous Licence Ouverte 2.0."),
        datasets: datasets(&sources, |f| format!("{prefix}/{f}")),
        cite: None,
        licence_title: LICENCE.title,
        licence_url: LICENCE.path,
        booklet: None,
        feeds: Vec::new(),
        cites: sources.len(),
    };
    render(&page)
}
