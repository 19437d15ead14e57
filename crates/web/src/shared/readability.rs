//! What a page shows of a text's readability (the editing preview, the
//! quality report): its scores in one line, and the sentences at fault,
//! each with its line.

use passerelle_domain::readability::{Analysis, analyse};

use crate::shared::text::fr;

/// A text's readability, as a page shows it.
#[derive(Debug, Clone)]
pub(crate) struct Readability {
    /// "52 (assez difficile), LIX 48".
    pub(crate) summary: String,
    /// The band's key, for the style (`assez-difficile`).
    pub(crate) band: &'static str,
    /// "6 phrases, 94 mots, 15,7 mots par phrase".
    pub(crate) counts: String,
    pub(crate) faults: Vec<FaultRow>,
}

#[derive(Debug, Clone)]
pub(crate) struct FaultRow {
    pub(crate) line: usize,
    pub(crate) message: String,
    pub(crate) sentence: String,
}

impl Readability {
    /// `None` for a text without a word: there is nothing to measure.
    pub(crate) fn of(markdown: &str) -> Option<Readability> {
        Readability::from_analysis(&analyse(markdown))
    }

    pub(crate) fn from_analysis(a: &Analysis) -> Option<Readability> {
        let summary = a.summary()?;
        let c = a.counts;
        let per = format!("{:.1}", c.words as f64 / c.sentences.max(1) as f64).replace('.', ",");
        Some(Readability {
            summary,
            band: a.band()?.key(),
            counts: format!(
                "{} phrase{}, {} mot{}, {} mots par phrase en moyenne",
                c.sentences,
                plural(c.sentences),
                c.words,
                plural(c.words),
                per
            ),
            faults: a
                .faults
                .iter()
                .map(|f| FaultRow {
                    line: f.line,
                    message: f.rule.message(),
                    sentence: fr(&f.sentence),
                })
                .collect(),
        })
    }
}

fn plural(n: usize) -> &'static str {
    if n > 1 { "s" } else { "" }
}
