//! The data of a cité's *revue de projet*, as the template reads them:
//! texts already written in French, never Typst source.

use passerelle_domain::Date;
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct RevueDoc {
    pub title: String,
    pub cite: String,
    pub year: i32,
    pub sections: Vec<RevueSection>,
    /// (party, what it said: validated by whom and when, or not yet).
    pub validations: Vec<(String, String)>,
    pub transmitted: String,
    /// The PDF's identifier and date (the same data give the same bytes).
    #[serde(skip)]
    pub ident: String,
    #[serde(skip)]
    pub date: Date,
}

#[derive(Debug, Clone, Serialize)]
pub struct RevueSection {
    pub title: String,
    /// (what, value).
    pub figures: Vec<(String, String)>,
    pub text: String,
}
