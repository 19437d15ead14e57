//! The data of a funding convention (*convention attributive de
//! subvention*), as the template reads them: texts already written in
//! French (amounts, dates), never Typst source.

use passerelle_domain::Date;
use serde::Serialize;

/// A convention between a funder and the operator of an action, for one
/// year.
#[derive(Debug, Clone, Serialize)]
pub struct ConventionDoc {
    /// Its number: `CE-ROUBAIX-2021-05-ETAT`, or the reference recorded.
    pub number: String,
    pub cite: String,
    /// The funder, as pages name it.
    pub funder: String,
    /// The beneficiaries: the organisations operating the action.
    pub beneficiaries: Vec<Party>,
    pub year: i32,
    /// The action: `Fiche 5 — Médiation sociale…`.
    pub action: String,
    pub objectives: Vec<String>,
    /// The scheme (*dispositif*), if any.
    pub scheme: String,
    /// `25 000,00 €`.
    pub amount: String,
    /// « en numéraire » or « en nature ».
    pub nature: String,
    /// (label, amount, when): the *acompte* and the *solde*.
    pub terms: Vec<(String, String, String)>,
    /// The reporting duties, each with its date.
    pub duties: Vec<(String, String)>,
    /// Whether the law requires it (above 23 000 € per funder and year).
    pub required: bool,
    /// `12 mars 2021`: the decision it follows, if recorded.
    pub decision: String,
    /// The PDF's identifier and date (the same data give the same bytes).
    #[serde(skip)]
    pub ident: String,
    #[serde(skip)]
    pub date: Date,
}

/// A party: its name, and its SIRET when known.
#[derive(Debug, Clone, Serialize)]
pub struct Party {
    pub name: String,
    pub siret: String,
}
