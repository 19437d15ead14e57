//! `passerelle export`: the stored programme as a file (JSON, the booklet
//! in Markdown or PDF, the spreadsheet's columns) or as a directory of open
//! data (CSV in both flavours and JSON, data·inclusion, the data package),
//! for one cité or, with `--national`, every cité.

use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::{Args, ValueEnum};
use passerelle_domain::{Catalogue, Date, EntityDates, FicheNumber};
use passerelle_opendata::{Flavour, Published, Publisher, datainclusion, files, tables};
use passerelle_store::Store;
use passerelle_typeset::{Edition, Readers};

use crate::catalogue;
use crate::config::Config;

#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum ExportFormat {
    Json,
    Markdown,
    /// The spreadsheet's columns, as an xlsx workbook.
    Xlsx,
    /// The spreadsheet's columns, as CSV (UTF-8, `;`).
    SheetCsv,
    /// The booklet typeset (PDF/UA-1).
    Pdf,
    /// Open data: each table as CSV (both flavours) and JSON, in `--output DIR`.
    Csv,
    /// The data·inclusion schema's `structures.json` and `services.json`, in `--output DIR`.
    Datainclusion,
    /// `datapackage.json` and the CSV files it describes, in `--output DIR`.
    Datapackage,
}

impl ExportFormat {
    fn is_directory(self) -> bool {
        matches!(
            self,
            ExportFormat::Csv | ExportFormat::Datainclusion | ExportFormat::Datapackage
        )
    }
}

#[derive(Debug, Args)]
pub(crate) struct ExportArgs {
    /// Le format : json, markdown (le livret), xlsx et sheet-csv (les
    /// colonnes du tableur), pdf (le livret mis en page), csv,
    /// datainclusion et datapackage (données ouvertes, dans `--output DIR`).
    #[arg(long, value_enum)]
    pub(crate) format: ExportFormat,
    /// Le fichier à écrire (la sortie standard par défaut), ou le dossier où
    /// écrivent les formats de données ouvertes.
    #[arg(long, short)]
    pub(crate) output: Option<PathBuf>,
    /// Données ouvertes : chaque cité de l'instance, chaque ligne nommant sa cité.
    #[arg(long)]
    pub(crate) national: bool,
    /// PDF : ce programme (son identifiant) plutôt que l'actuel.
    #[arg(long)]
    pub(crate) programme: Option<String>,
    /// PDF : commence par le programme de ce séminaire (son identifiant).
    #[arg(long)]
    pub(crate) evenement: Option<String>,
    /// PDF : la fiche de cette action seule.
    #[arg(long)]
    pub(crate) fiche: Option<u32>,
    /// PDF : avec les coordonnées réservées aux professionnels (à ne pas
    /// publier).
    #[arg(long)]
    pub(crate) professionnels: bool,
}

/// What one cité's export needs: its catalogue and the dates of its history.
struct Loaded {
    catalogue: Catalogue,
    dates: Vec<EntityDates>,
    base_url: String,
    /// Its voted funding lines (published as subsidies).
    lines: Vec<passerelle_domain::funding::FundingLine>,
}

async fn load(
    store: &dyn Store,
    config: &Config,
    cite: Option<&str>,
    several: bool,
) -> anyhow::Result<Loaded> {
    let catalogue = catalogue::load_or_seed(store, cite).await?;
    let slug = catalogue.cite.slug.to_string();
    let dates = store.entity_dates(&slug).await?;
    let base = config
        .base_url
        .clone()
        .unwrap_or_else(|| format!("http://{}", config.bind));
    let base = base.trim_end_matches('/');
    let base_url = if several {
        format!("{base}/{slug}")
    } else {
        base.to_owned()
    };
    let lines = store
        .funding_lines(&slug, None)
        .await?
        .into_iter()
        .map(|s| s.line)
        .filter(|l| l.voted.0 > 0)
        .collect();
    Ok(Loaded {
        catalogue,
        dates,
        base_url,
        lines,
    })
}

fn today() -> String {
    Date::paris_day_of(&passerelle_store::rows::now()).map_or_else(String::new, Date::iso)
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> anyhow::Result<()> {
    let path = dir.join(name);
    crate::files::write(&path, bytes)
}

pub(crate) async fn run(
    out: &mut dyn std::io::Write,
    store: &dyn Store,
    config: &Config,
    cite: Option<&str>,
    args: &ExportArgs,
) -> anyhow::Result<()> {
    let several = store.cites().await?.len() > 1;
    let mut loaded = Vec::new();
    if args.national {
        anyhow::ensure!(
            args.format.is_directory(),
            "--national : seulement pour csv, datainclusion et datapackage"
        );
        catalogue::seed_if_empty(store).await?;
        for slug in store.cites().await? {
            loaded.push(load(store, config, Some(&slug), several).await?);
        }
    } else {
        loaded.push(load(store, config, cite, several).await?);
    }
    if args.format.is_directory() {
        let dir = args
            .output
            .as_deref()
            .context("--output DIR : le dossier où écrire les fichiers")?;
        crate::files::create_dir_all(dir)?;
        let published: Vec<Published<'_>> = loaded
            .iter()
            .map(|l| Published {
                catalogue: &l.catalogue,
                base_url: &l.base_url,
                dates: &l.dates,
                subsidies: &l.lines,
            })
            .collect();
        let publisher = match (args.national, loaded.first()) {
            (false, Some(l)) => Publisher {
                name: format!("passerelle-{}", l.catalogue.cite.slug),
                title: format!("{} : programme des actions", l.catalogue.cite.name),
                homepage: format!("{}/", l.base_url),
            },
            _ => Publisher {
                name: "passerelle-national".into(),
                title: "Les Cités éducatives de l'instance : programmes des actions".into(),
                homepage: config
                    .base_url
                    .clone()
                    .unwrap_or_else(|| format!("http://{}", config.bind)),
            },
        };
        let tables = tables(&published);
        let mut written = Vec::new();
        match args.format {
            ExportFormat::Csv | ExportFormat::Datapackage => {
                for t in &tables {
                    write(
                        dir,
                        &format!("{}.csv", t.name),
                        &files::csv(t, Flavour::OpenData),
                    )?;
                    written.push(format!("{}.csv", t.name));
                    if matches!(args.format, ExportFormat::Csv) {
                        write(
                            dir,
                            &format!("{}-tableur.csv", t.name),
                            &files::csv(t, Flavour::Spreadsheet),
                        )?;
                        write(dir, &format!("{}.json", t.name), &files::json(t))?;
                        written.push(format!("{}-tableur.csv", t.name));
                        written.push(format!("{}.json", t.name));
                    }
                }
                if matches!(args.format, ExportFormat::Datapackage) {
                    write(
                        dir,
                        "datapackage.json",
                        &files::datapackage(&tables, &publisher),
                    )?;
                    written.push("datapackage.json".into());
                }
            }
            ExportFormat::Datainclusion => {
                let today = today();
                for (name, records) in [
                    (
                        "structures.json",
                        datainclusion::structures(&published, &today),
                    ),
                    ("services.json", datainclusion::services(&published, &today)),
                ] {
                    let mut bytes = serde_json::to_vec_pretty(&records)?;
                    bytes.push(b'\n');
                    write(dir, name, &bytes)?;
                    written.push(format!("{name} ({} enregistrements)", records.len()));
                }
            }
            _ => {}
        }
        writeln!(out, "écrit dans {} : {}", dir.display(), written.join(", "))?;
        return Ok(());
    }
    let Some(l) = loaded.first() else {
        anyhow::bail!("aucune cité")
    };
    let catalogue = &l.catalogue;
    let bytes = match args.format {
        ExportFormat::Json => (serde_json::to_string_pretty(catalogue)? + "\n").into_bytes(),
        ExportFormat::Markdown => {
            let programme = catalogue
                .current_programme()
                .context("aucun programme enregistré")?;
            passerelle_livret::render::render(catalogue, programme).into_bytes()
        }
        ExportFormat::Xlsx => passerelle_sheet::write_xlsx(
            "Actions",
            &passerelle_livret::sheet::rows_of(catalogue),
            None,
        )?,
        ExportFormat::SheetCsv => {
            passerelle_sheet::write_csv(&passerelle_livret::sheet::rows_of(catalogue))
        }
        ExportFormat::Pdf => pdf(l, args)?,
        ExportFormat::Csv | ExportFormat::Datainclusion | ExportFormat::Datapackage => Vec::new(),
    };
    match &args.output {
        Some(path) => crate::files::write(path, bytes)?,
        None => out.write_all(&bytes)?,
    }
    Ok(())
}

fn pdf(l: &Loaded, args: &ExportArgs) -> anyhow::Result<Vec<u8>> {
    let catalogue = &l.catalogue;
    let programme = match &args.programme {
        Some(slug) => catalogue
            .programmes
            .iter()
            .find(|p| p.slug.as_str() == slug)
            .with_context(|| format!("--programme : aucun programme « {slug} »"))?,
        None => catalogue
            .current_programme()
            .context("aucun programme enregistré")?,
    };
    let seminar = match &args.evenement {
        Some(slug) => Some(
            catalogue
                .seminars
                .iter()
                .find(|s| s.slug.as_str() == slug)
                .with_context(|| format!("--evenement : aucun événement « {slug} »"))?,
        ),
        None => None,
    };
    // Dated by the data's last change, so that the same data give the same file.
    let last = l
        .dates
        .iter()
        .map(|d| d.updated.as_str())
        .max()
        .unwrap_or("");
    let date = Date::paris_day_of(last)
        .or_else(|| Date::paris_day_of(&passerelle_store::rows::now()))
        .context("la date de la dernière modification est illisible")?;
    let edition = Edition {
        catalogue,
        programme,
        seminar,
        date,
        readers: if args.professionnels {
            Readers::Professionals
        } else {
            Readers::Public
        },
    };
    Ok(match args.fiche {
        Some(n) => {
            let fiche = FicheNumber::new(n).map_err(|e| anyhow::anyhow!("--fiche : {e}"))?;
            passerelle_typeset::sheet(&edition, fiche)?
        }
        None => passerelle_typeset::booklet(&edition)?,
    })
}
