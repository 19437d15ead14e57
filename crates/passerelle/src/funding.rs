//! `passerelle funding`: the programme's money as a spreadsheet — import
//! (idempotent: the same file twice changes nothing, a corrected file
//! updates in place, `--dry-run` says what would change), check, export.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;

use clap::{Subcommand, ValueEnum};
use passerelle_domain::funding::history::{envelope_changes, line_changes};
use passerelle_domain::funding::{Envelope, Funder, FundingLine};
use passerelle_sheet::funding::{
    ENVELOPES_SHEET, Known, LINES_SHEET, Problem, Read, envelope_rows, line_rows,
};
use passerelle_store::Store;
use passerelle_store::calls::By;
use passerelle_store::funding::Put;
use serde::Serialize;

use crate::cli::ReportFormat;

#[derive(Debug, Subcommand)]
pub(crate) enum FundingCommand {
    /// Importe les feuilles « Financements » (une ligne par action, année et
    /// financeur) et « Enveloppes » d'un tableur (.xlsx, .ods, .csv). Une
    /// ligne en erreur n'est pas importée ; les autres le sont. Importer deux
    /// fois le même fichier ne change rien.
    Import {
        /// Le tableur.
        file: PathBuf,
        /// Écrit ce qui changerait, sans rien changer.
        #[arg(long)]
        dry_run: bool,
    },
    /// Liste chaque problème d'un tableur de financements, avec sa feuille,
    /// sa ligne et sa colonne, sans rien importer.
    Check {
        /// Le tableur.
        file: PathBuf,
        /// Le format du rapport.
        #[arg(long, value_enum, default_value = "text")]
        format: ReportFormat,
    },
    /// Envoie les rappels de compte rendu financier dus ce jour (par défaut
    /// aujourd'hui) aux référents des actions : 30 jours avant l'échéance du
    /// 30 juin et le jour même, chacun une fois. Le serveur le fait seul
    /// toutes les heures ; la commande sert à rattraper un jour.
    Remind {
        /// Le jour, AAAA-MM-JJ.
        #[arg(long)]
        on: Option<String>,
    },
    /// Écrit les financements et les enveloppes enregistrés, dans les
    /// colonnes de l'import.
    Export {
        /// xlsx (deux feuilles) ou csv (les financements).
        #[arg(long, value_enum)]
        format: ExportFormat,
        /// Le fichier à écrire.
        #[arg(long)]
        output: PathBuf,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum ExportFormat {
    Xlsx,
    Csv,
}

/// Who the history says wrote an import from the command line.
const COMMAND_LINE: &str = "ligne de commande";

/// Runs a command on the cité `cite`; `Ok(false)` when the file has errors
/// (`check`).
pub(crate) async fn run(
    out: &mut impl Write,
    db: crate::cli::Db,
    config: &crate::config::Config,
    cite: &str,
    command: &FundingCommand,
) -> anyhow::Result<bool> {
    let store: &dyn Store = &*db;
    match command {
        FundingCommand::Remind { on } => {
            let today = match on {
                Some(day) => passerelle_domain::funding::read_date(day).ok_or_else(|| {
                    anyhow::anyhow!("--on : « {day} » n'est pas une date (AAAA-MM-JJ)")
                })?,
                None => passerelle_domain::Date::paris_day_of(&passerelle_store::rows::now())
                    .ok_or_else(|| anyhow::anyhow!("la date du jour est illisible"))?,
            };
            let state = crate::newsletter::web_state(db.clone(), config).await?;
            let done = passerelle_web::remind_reports(&state, today)
                .await
                .map_err(|e| anyhow::anyhow!("{e:?}"))?;
            writeln!(
                out,
                "{} : {} rappel(s) envoyé(s) ; {} ligne(s) sans référent à qui écrire",
                today.iso(),
                done.sent,
                done.nobody
            )?;
            Ok(true)
        }
        FundingCommand::Check { file, format } => {
            let (name, read) = read_file(store, cite, file).await?;
            write_report(out, &name, &read, *format)?;
            Ok(read.errors() == 0)
        }
        FundingCommand::Import { file, dry_run } => {
            let (name, read) = read_file(store, cite, file).await?;
            import(out, store, cite, &name, &read, *dry_run).await?;
            Ok(true)
        }
        FundingCommand::Export { format, output } => {
            let lines: Vec<FundingLine> = store
                .funding_lines(cite, None)
                .await?
                .into_iter()
                .map(|s| s.line)
                .collect();
            let envelopes = store.envelopes(cite, None).await?;
            let bytes = match format {
                ExportFormat::Xlsx => passerelle_sheet::write_xlsx_sheets(&[
                    (LINES_SHEET, &line_rows(&lines)),
                    (ENVELOPES_SHEET, &envelope_rows(&envelopes)),
                ])?,
                ExportFormat::Csv => passerelle_sheet::write_csv(&line_rows(&lines)),
            };
            crate::files::write(output, &bytes)?;
            writeln!(
                out,
                "{} : {} ligne(s) de financement{}",
                output.display(),
                lines.len(),
                match format {
                    ExportFormat::Xlsx => format!(", {} enveloppe(s)", envelopes.len()),
                    ExportFormat::Csv => String::new(),
                }
            )?;
            Ok(true)
        }
    }
}

/// What the cité knows, to read a file against: its actions' fiches and
/// its programmes' years.
pub(crate) async fn known(store: &dyn Store, cite: &str) -> anyhow::Result<Known> {
    let catalogue = crate::catalogue::load_or_seed(store, Some(cite)).await?;
    Ok(Known::of_catalogue(&catalogue))
}

async fn read_file(
    store: &dyn Store,
    cite: &str,
    file: &std::path::Path,
) -> anyhow::Result<(String, Read)> {
    let name = file.display().to_string();
    let bytes = crate::files::read(file)?;
    let grid = passerelle_sheet::read(&name, &bytes)?;
    Ok((
        name,
        passerelle_sheet::funding::read(&grid, &known(store, cite).await?),
    ))
}

fn write_problems(out: &mut impl Write, name: &str, problems: &[Problem]) -> anyhow::Result<()> {
    for p in problems {
        let kind = if p.warning { "avertissement" } else { "erreur" };
        writeln!(out, "{} : {kind} : {}", p.located(name), p.message)?;
    }
    Ok(())
}

#[derive(Serialize)]
struct Report<'a> {
    lines: usize,
    envelopes: usize,
    errors: usize,
    problems: &'a [Problem],
}

fn write_report(
    out: &mut impl Write,
    name: &str,
    read: &Read,
    format: ReportFormat,
) -> anyhow::Result<()> {
    match format {
        ReportFormat::Json => {
            serde_json::to_writer_pretty(
                &mut *out,
                &Report {
                    lines: read.lines.len(),
                    envelopes: read.envelopes.len(),
                    errors: read.errors(),
                    problems: &read.problems,
                },
            )?;
            writeln!(out)?;
        }
        ReportFormat::Text => {
            write_problems(out, name, &read.problems)?;
            writeln!(
                out,
                "{name} : {} ligne(s) de financement et {} enveloppe(s) lisibles ; {} erreur(s), {} avertissement(s)",
                read.lines.len(),
                read.envelopes.len(),
                read.errors(),
                read.problems.len() - read.errors()
            )?;
        }
    }
    Ok(())
}

fn named(line: &FundingLine) -> String {
    format!(
        "fiche {}, {}, {}",
        line.fiche,
        line.year,
        line.funder.label()
    )
}

async fn import(
    out: &mut impl Write,
    store: &dyn Store,
    cite: &str,
    name: &str,
    read: &Read,
    dry_run: bool,
) -> anyhow::Result<()> {
    let stored: BTreeMap<(u32, i32, Funder), FundingLine> = store
        .funding_lines(cite, None)
        .await?
        .into_iter()
        .map(|s| (s.line.key(), s.line))
        .collect();
    let envelopes: BTreeMap<(i32, Funder), Envelope> = store
        .envelopes(cite, None)
        .await?
        .into_iter()
        .map(|e| ((e.year, e.source.clone()), e))
        .collect();
    let mut said = Vec::new();
    let mut puts = Vec::new();
    for line in &read.lines {
        let before = stored.get(&line.key());
        let changes = line_changes(before, Some(line));
        if changes.is_empty() {
            continue;
        }
        let verb = if before.is_some() {
            "mise à jour"
        } else {
            "ajout"
        };
        let what: Vec<String> = changes
            .iter()
            .map(|c| format!("{} : {} → {}", c.field, c.before, c.after))
            .collect();
        said.push(format!("{verb} : {} — {}", named(line), what.join(" ; ")));
        puts.push(Put::Line {
            line: line.clone(),
            expected: None,
        });
    }
    for e in &read.envelopes {
        let before = envelopes.get(&(e.year, e.source.clone()));
        let changes = envelope_changes(before, Some(e));
        if let Some(c) = changes.first() {
            let verb = if before.is_some() {
                "mise à jour"
            } else {
                "ajout"
            };
            said.push(format!(
                "{verb} : enveloppe {} {} — {} → {}",
                e.source.label(),
                e.year,
                c.before,
                c.after
            ));
            puts.push(Put::Envelope(e.clone()));
        }
    }
    let verb = if dry_run { "changerait" } else { "a changé" };
    writeln!(out, "{name} : l'import {verb} {} élément(s)", puts.len())?;
    for s in &said {
        writeln!(out, "{s}")?;
    }
    write_problems(out, name, &read.problems)?;
    let refused: std::collections::BTreeSet<(Option<&str>, usize)> = read
        .problems
        .iter()
        .filter(|p| !p.warning)
        .map(|p| (p.sheet.as_deref(), p.row))
        .collect();
    if !refused.is_empty() {
        writeln!(
            out,
            "{} ligne(s) en erreur non importée(s) : ce qui est enregistré pour elles ne change pas",
            refused.len()
        )?;
    }
    if dry_run || puts.is_empty() {
        return Ok(());
    }
    let by = By {
        actor: COMMAND_LINE,
        now: passerelle_store::rows::unix_now(),
    };
    let origin = format!(
        "import : {}",
        std::path::Path::new(name)
            .file_name()
            .map_or(name.into(), |f| f.to_string_lossy())
    );
    store
        .save_funding(cite, &puts, by, &origin)
        .await?
        .ok_or_else(|| anyhow::anyhow!("{name} : les financements ont changé pendant l'import ; rien n'a été écrit, relancez-le"))?;
    Ok(())
}
