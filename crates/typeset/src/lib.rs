//! The booklet (*livret*) of a programme typeset as a PDF, in-process, by
//! Typst embedded as a library.
//!
//! The template (`templates/livret.typ`) is compiled into the binary; the
//! data reaches it as one JSON file (`model.rs`), never as Typst source, so a
//! title holding `#`, `$` or `]` prints as typed. The fonts are Typst's own
//! (Libertinus Serif, SIL Open Font Licence), shipped in the binary: nothing
//! is read from disk or the network. The PDF is tagged and declared
//! PDF/UA-1, in French, with the document's title; its identifier and date
//! come from the data, so the same data gives the same bytes.

mod convention;
mod markdown;
mod minutes;
mod model;
mod revue;
mod world;

use passerelle_domain::{Date, FicheNumber};
use typst::foundations::{Datetime, Smart};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

pub use convention::{ConventionDoc, Party};
pub use minutes::{Decided, Minutes};
pub use model::{Edition, Readers};
pub use revue::{RevueDoc, RevueSection};

#[derive(Debug, thiserror::Error)]
pub enum TypesetError {
    #[error("la fiche n°{0} n'est pas dans ce programme")]
    NoSuchFiche(FicheNumber),
    #[error("la date {0} ne peut pas être celle d'une édition")]
    Date(String),
    /// The template failed on these data: a bug, reported with Typst's
    /// messages.
    #[error("composition du livret impossible : {0}")]
    Typst(String),
}

/// The whole booklet: cover, contents, the seminar's programme if one is
/// chosen, the axes and their sheets, the index.
pub fn booklet(edition: &Edition<'_>) -> Result<Vec<u8>, TypesetError> {
    let ident = format!(
        "passerelle/{}/{}/{}",
        edition.catalogue.cite.slug.as_str(),
        edition.programme.slug.as_str(),
        readers_key(edition.readers)
    );
    typeset(
        world::Template::Booklet,
        &model::document(edition, None),
        ident,
        edition.date,
    )
}

/// One action's sheet alone.
pub fn sheet(edition: &Edition<'_>, fiche: FicheNumber) -> Result<Vec<u8>, TypesetError> {
    let action = edition
        .programme
        .actions
        .iter()
        .find(|a| a.fiche == fiche)
        .ok_or(TypesetError::NoSuchFiche(fiche))?;
    let ident = format!(
        "passerelle/{}/{}/fiche-{fiche}/{}",
        edition.catalogue.cite.slug.as_str(),
        edition.programme.slug.as_str(),
        readers_key(edition.readers)
    );
    typeset(
        world::Template::Booklet,
        &model::document(edition, Some(action)),
        ident,
        edition.date,
    )
}

fn readers_key(readers: Readers) -> &'static str {
    match readers {
        Readers::Public => "public",
        Readers::Professionals => "professionnels",
    }
}

/// A committee's minutes (*procès-verbal*): the meeting, the members
/// present, and each application on its agenda with the decision, its
/// reason and the amounts proposed.
pub fn minutes(m: &Minutes) -> Result<Vec<u8>, TypesetError> {
    typeset(world::Template::Minutes, m, m.ident.clone(), m.date)
}

/// A funding convention: the parties, the object, the amount, the payment
/// terms and the reporting duties with their dates, and its number.
pub fn convention(c: &ConventionDoc) -> Result<Vec<u8>, TypesetError> {
    typeset(world::Template::Convention, c, c.ident.clone(), c.date)
}

/// A cité's revue de projet: each section's figures and text, the
/// troïka's validations, the transmission.
pub fn revue(r: &RevueDoc) -> Result<Vec<u8>, TypesetError> {
    typeset(world::Template::Revue, r, r.ident.clone(), r.date)
}

fn typeset(
    template: world::Template,
    document: &impl serde::Serialize,
    ident: String,
    date: Date,
) -> Result<Vec<u8>, TypesetError> {
    let data = serde_json::to_vec(document).map_err(|e| TypesetError::Typst(e.to_string()))?;
    let day = Datetime::from_ymd(date.year, date.month, date.day)
        .ok_or_else(|| TypesetError::Date(date.iso()))?;
    let noon = Datetime::from_ymd_hms(date.year, date.month, date.day, 12, 0, 0)
        .ok_or_else(|| TypesetError::Date(date.iso()))?;
    let world = world::BookletWorld::new(template, data, day);
    let compiled = typst::compile::<PagedDocument>(&world).output;
    let pdf = compiled.and_then(|doc| {
        let options = PdfOptions {
            ident: Smart::Custom(ident),
            creator: Smart::Custom(Some("Passerelle".to_owned())),
            timestamp: Some(Timestamp::new_utc(noon)),
            standards: PdfStandards::new(&[PdfStandard::Ua_1])
                .map_err(|e| {
                    typst::diag::SourceDiagnostic::error(
                        typst::syntax::Span::detached(),
                        e.message().clone(),
                    )
                })
                .map_err(|d| typst::ecow::eco_vec![d])?,
            tagged: true,
            ..PdfOptions::default()
        };
        typst_pdf::pdf(&doc, &options)
    });
    // Typst memoises what it computed; a long-running server would keep
    // every document's. Nothing is worth keeping between two documents.
    comemo::evict(0);
    pdf.map_err(|diagnostics| {
        TypesetError::Typst(
            diagnostics
                .iter()
                .map(|d| d.message.to_string())
                .collect::<Vec<_>>()
                .join(" ; "),
        )
    })
}
