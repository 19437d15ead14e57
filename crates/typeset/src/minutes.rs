//! The data of a committee's minutes, as the template reads them: texts
//! already written in French (amounts, dates), never Typst source.

use passerelle_domain::Date;
use serde::Serialize;

/// A committee's minutes.
#[derive(Debug, Clone, Serialize)]
pub struct Minutes {
    pub title: String,
    pub cite: String,
    pub call: String,
    /// `15 avril 2027`.
    pub held_on: String,
    pub members: Vec<String>,
    /// In the order of the agenda (best score first).
    pub decided: Vec<Decided>,
    /// Per funder, the amounts proposed for the retained projects.
    pub totals: Vec<(String, String)>,
    /// The PDF's identifier and date (the same data give the same bytes).
    #[serde(skip)]
    pub ident: String,
    #[serde(skip)]
    pub date: Date,
}

/// One application on the agenda.
#[derive(Debug, Clone, Serialize)]
pub struct Decided {
    pub title: String,
    pub structure: String,
    /// `72 / 100`, or `—`.
    pub score: String,
    pub decision: String,
    pub reason: String,
    /// (funder, amount).
    pub amounts: Vec<(String, String)>,
}
