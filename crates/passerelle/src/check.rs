//! `passerelle check`: what the quality report says of a booklet or a
//! spreadsheet before it is imported — its irregularities, each located,
//! then the readability of each action's description and « En bref » (the
//! same measures as `/qualite`: French Flesch by Kandel & Moles, its band,
//! LIX, and the sentences breaking a FALC rule, by line of the text).

use std::io::Write;

use passerelle_domain::readability::analyse;
use passerelle_livret::{Irregularity, Parsed};
use serde::Serialize;

use crate::cli::ReportFormat;

/// The report as JSON: `{"irregularities": […], "readability": […]}`.
#[derive(Debug, Serialize)]
struct Report<'a> {
    irregularities: &'a [Irregularity],
    readability: Vec<Measured>,
}

/// One text of one action, measured.
#[derive(Debug, Serialize)]
struct Measured {
    fiche: u32,
    title: String,
    /// `description` or `en-bref`.
    field: &'static str,
    /// The French Flesch score, rounded.
    flesch: i64,
    lix: i64,
    /// `tres-facile` … `tres-difficile`.
    band: &'static str,
    /// In French: « assez difficile ».
    band_label: &'static str,
    sentences: usize,
    words: usize,
    faults: Vec<Fault>,
}

/// A sentence breaking a rule, with its line in the text (1 is the text's
/// first line).
#[derive(Debug, Serialize)]
struct Fault {
    line: usize,
    message: String,
    sentence: String,
}

/// The actions' texts of the current programme, measured, in fiche order;
/// and the fiches without « En bref ».
fn measured(parsed: &Parsed) -> (Vec<Measured>, Vec<u32>) {
    let Some(programme) = parsed.catalogue.current_programme() else {
        return (Vec::new(), Vec::new());
    };
    let mut out = Vec::new();
    let mut without = Vec::new();
    for a in &programme.actions {
        if a.plain_summary.trim().is_empty() {
            without.push(a.fiche.get());
        }
        for (field, text) in [
            ("description", &a.description),
            ("en-bref", &a.plain_summary),
        ] {
            let analysis = analyse(text);
            let (Some(flesch), Some(lix), Some(band)) =
                (analysis.flesch(), analysis.lix(), analysis.band())
            else {
                continue;
            };
            out.push(Measured {
                fiche: a.fiche.get(),
                title: a.title.clone(),
                field,
                #[expect(
                    clippy::cast_possible_truncation,
                    reason = "a score between -100 and 200"
                )]
                flesch: flesch.round() as i64,
                #[expect(clippy::cast_possible_truncation, reason = "a score between 0 and 100")]
                lix: lix.round() as i64,
                band: band.key(),
                band_label: band.label(),
                sentences: analysis.counts.sentences,
                words: analysis.counts.words,
                faults: analysis
                    .faults
                    .iter()
                    .map(|f| Fault {
                        line: f.line,
                        message: f.rule.message(),
                        sentence: f.sentence.clone(),
                    })
                    .collect(),
            });
        }
    }
    (out, without)
}

/// Writes the report of `source` in `format`.
pub(crate) fn write(
    out: &mut impl Write,
    source: &str,
    parsed: &Parsed,
    format: ReportFormat,
) -> anyhow::Result<()> {
    let report = &parsed.irregularities;
    let (readability, without) = measured(parsed);
    match format {
        ReportFormat::Json => {
            let all = Report {
                irregularities: report,
                readability,
            };
            writeln!(out, "{}", serde_json::to_string_pretty(&all)?)?;
        }
        ReportFormat::Text => {
            for i in report {
                let fiche = i.fiche.map(|f| format!(" [fiche {f}]")).unwrap_or_default();
                writeln!(
                    out,
                    "{}: {}{fiche} : {}",
                    i.located(source),
                    i.severity.label(),
                    i.message
                )?;
            }
            writeln!(out, "{} irrégularité(s)", report.len())?;
            writeln!(out)?;
            writeln!(
                out,
                "Lisibilité (Flesch adapté au français par Kandel et Moles, de 0, très difficile, à 100, très facile ; LIX) :"
            )?;
            let mut faults = 0;
            for m in &readability {
                let field = if m.field == "description" {
                    "description"
                } else {
                    "« En bref »"
                };
                writeln!(
                    out,
                    "fiche {} « {} », {field} : {} ({}), LIX {} ; {} phrase(s), {} mot(s)",
                    m.fiche, m.title, m.flesch, m.band_label, m.lix, m.sentences, m.words
                )?;
                for f in &m.faults {
                    writeln!(
                        out,
                        "  ligne {} : {} — « {} »",
                        f.line, f.message, f.sentence
                    )?;
                }
                faults += m.faults.len();
            }
            writeln!(
                out,
                "{} texte(s) mesuré(s), {faults} phrase(s) en défaut",
                readability.len()
            )?;
            if !without.is_empty() {
                let list: Vec<String> = without.iter().map(u32::to_string).collect();
                writeln!(
                    out,
                    "{} action(s) sans « En bref » : fiches {}",
                    without.len(),
                    list.join(", ")
                )?;
            }
        }
    }
    Ok(())
}
