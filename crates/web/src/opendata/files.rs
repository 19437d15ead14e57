//! The files: `/donnees/{table}.csv` (open data: `,`, no BOM),
//! `/donnees/{table}-tableur.csv` (a French spreadsheet's: `;`, BOM, CRLF),
//! `/donnees/{table}.json`, `/donnees/datapackage.json`, and the
//! data·inclusion records `/donnees/structures.json` and
//! `/donnees/services.json`; the same under `/national/donnees/` for every
//! cité; and the Atom feeds.

use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use passerelle_domain::EntityDates;
use passerelle_opendata::{Flavour, Published, Publisher, atom, datainclusion, files, tables};

use crate::shared::cites::Here;
use crate::shared::error::AppError;
use crate::shared::publish;
use crate::shared::state::{AppState, Snapshot};
use crate::shared::text::paris_today;

/// What a file name asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum File {
    Csv(&'static str, Flavour),
    Json(&'static str),
    DataPackage,
    Structures,
    Services,
}

impl File {
    pub(crate) fn parse(name: &str) -> Option<File> {
        match name {
            "datapackage.json" => return Some(File::DataPackage),
            "structures.json" => return Some(File::Structures),
            "services.json" => return Some(File::Services),
            _ => {}
        }
        let table = |stem: &str| passerelle_opendata::NAMES.into_iter().find(|n| *n == stem);
        if let Some(stem) = name.strip_suffix("-tableur.csv") {
            return table(stem).map(|t| File::Csv(t, Flavour::Spreadsheet));
        }
        if let Some(stem) = name.strip_suffix(".csv") {
            return table(stem).map(|t| File::Csv(t, Flavour::OpenData));
        }
        name.strip_suffix(".json").and_then(table).map(File::Json)
    }
}

/// One cité's data, ready to publish.
pub(crate) struct Source {
    pub(crate) snapshot: std::sync::Arc<Snapshot>,
    pub(crate) base_url: String,
    pub(crate) dates: Vec<EntityDates>,
    /// The cité's funding lines (the voted ones are published).
    pub(crate) lines: Vec<passerelle_domain::funding::FundingLine>,
}

impl Source {
    pub(crate) fn published(&self) -> Published<'_> {
        Published {
            catalogue: &self.snapshot.catalogue,
            base_url: &self.base_url,
            dates: &self.dates,
            subsidies: &self.lines,
        }
    }
}

pub(crate) async fn source(state: &AppState, here: &Here) -> Result<Source, AppError> {
    Ok(Source {
        snapshot: here.snapshot(),
        base_url: format!("{}{}", publish::base_url(state), here.root()),
        dates: publish::dates(state, here).await?,
        lines: publish::voted_lines(state, here.slug()).await?,
    })
}

/// Every cité the instance serves, each at its own root.
pub(crate) async fn sources(state: &AppState) -> Result<Vec<Source>, AppError> {
    let mut out = Vec::new();
    for tenant in state.cites.all() {
        let root = if state.cites.several() {
            format!("/{}", tenant.slug())
        } else {
            String::new()
        };
        out.push(source(state, &Here::new(std::sync::Arc::clone(tenant), &root)).await?);
    }
    Ok(out)
}

fn answer(bytes: Vec<u8>, mime: &'static str, download: Option<String>) -> Response {
    let mut res = bytes.into_response();
    let headers = res.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
    if let Some(v) = download
        .and_then(|name| HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")).ok())
    {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    res
}

fn serve(sources: &[Source], name: &str, publisher: &Publisher) -> Result<Response, AppError> {
    let file = File::parse(name)
        .ok_or_else(|| AppError::NotFound(format!("Aucun jeu de données « {name} ».")))?;
    let published: Vec<Published<'_>> = sources.iter().map(Source::published).collect();
    let today = paris_today().iso();
    let json_records = |records: Vec<serde_json::Value>| {
        let mut out = serde_json::to_vec_pretty(&records).unwrap_or_default();
        out.push(b'\n');
        out
    };
    Ok(match file {
        File::Csv(table, flavour) => {
            let t = tables(&published).into_iter().find(|t| t.name == table);
            let bytes = t.map(|t| files::csv(&t, flavour)).unwrap_or_default();
            match flavour {
                Flavour::OpenData => answer(bytes, "text/csv; charset=utf-8; header=present", None),
                Flavour::Spreadsheet => answer(
                    bytes,
                    "text/csv; charset=utf-8; header=present",
                    Some(format!("{}-{table}-tableur.csv", publisher.name)),
                ),
            }
        }
        File::Json(table) => {
            let t = tables(&published).into_iter().find(|t| t.name == table);
            answer(
                t.map(|t| files::json(&t)).unwrap_or_default(),
                "application/json",
                None,
            )
        }
        File::DataPackage => answer(
            files::datapackage(&tables(&published), publisher),
            "application/json",
            None,
        ),
        File::Structures => answer(
            json_records(datainclusion::structures(&published, &today)),
            "application/json",
            None,
        ),
        File::Services => answer(
            json_records(datainclusion::services(&published, &today)),
            "application/json",
            None,
        ),
    })
}

pub(crate) fn publisher_of(source: &Source) -> Publisher {
    let cite = &source.snapshot.catalogue.cite;
    Publisher {
        name: format!("passerelle-{}", cite.slug),
        title: format!("{} : programme des actions", cite.name),
        homepage: format!("{}/", source.base_url),
    }
}

pub(crate) fn national_publisher(state: &AppState) -> Publisher {
    Publisher {
        name: "passerelle-national".into(),
        title: "Les Cités éducatives de l'instance : programmes des actions".into(),
        homepage: format!("{}/", publish::base_url(state)),
    }
}

/// `GET /donnees/{file}`
pub(crate) async fn cite(
    State(state): State<AppState>,
    here: Here,
    Path(file): Path<String>,
) -> Result<Response, AppError> {
    let source = source(&state, &here).await?;
    let publisher = publisher_of(&source);
    serve(std::slice::from_ref(&source), &file, &publisher)
}

/// `GET /national/donnees/{file}` (`/donnees/{file}` with several cités).
pub(crate) async fn national(
    State(state): State<AppState>,
    Path(file): Path<String>,
) -> Result<Response, AppError> {
    let sources = sources(&state).await?;
    serve(&sources, &file, &national_publisher(&state))
}

fn now() -> String {
    passerelle_store::rows::now()
}

/// `GET /flux/actions.atom`
pub(crate) async fn actions_feed(
    State(state): State<AppState>,
    here: Here,
) -> Result<Response, AppError> {
    let source = source(&state, &here).await?;
    Ok(answer(
        atom::actions(&source.published(), &now()),
        "application/atom+xml; charset=utf-8",
        None,
    ))
}

/// `GET /flux/evenements.atom`
pub(crate) async fn events_feed(
    State(state): State<AppState>,
    here: Here,
) -> Result<Response, AppError> {
    let source = source(&state, &here).await?;
    Ok(answer(
        atom::events(&source.published(), &now()),
        "application/atom+xml; charset=utf-8",
        None,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_say_table_and_flavour() {
        assert_eq!(
            File::parse("actions.csv"),
            Some(File::Csv("actions", Flavour::OpenData))
        );
        assert_eq!(
            File::parse("contacts-tableur.csv"),
            Some(File::Csv("contacts", Flavour::Spreadsheet))
        );
        assert_eq!(
            File::parse("territoires.json"),
            Some(File::Json("territoires"))
        );
        assert_eq!(File::parse("services.json"), Some(File::Services));
        assert_eq!(File::parse("personnes.csv"), None);
        assert_eq!(File::parse("../actions.csv"), None);
    }
}
