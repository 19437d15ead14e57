//! A line's convention as a PDF (Typst, as the booklet): the parties (the
//! funder, the organisations operating the action), the object (the
//! action and its objectives), the amount voted, the payment terms (an
//! *acompte* of the share asked, 50 % unless told, then the *solde*), the
//! reporting duties with their dates, and its number. Required above
//! 23 000 € per funder and year, offered below. The same line gives the
//! same bytes.

use axum::extract::Query;
use axum::response::Response;
use passerelle_domain::funding::{FundingLine, convention_required, report_calendar};
use passerelle_domain::money::Cents;
use passerelle_domain::text::fold;
use passerelle_typeset::{ConventionDoc, Party};

use super::line_of;
use crate::shared::ctx::{Editor, SignedIn};
use crate::shared::error::AppError;
use crate::shared::form::Submitted;

/// The *acompte*'s share when none is asked, in percent.
const ACOMPTE_PERCENT: i64 = 50;

/// The number of a convention without a recorded reference:
/// `CE-ROUBAIX-2021-05-ETAT`.
fn number(cite: &str, line: &FundingLine) -> String {
    let funder: String = fold(&line.funder.key())
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    format!(
        "CE-{}-{}-{:02}-{}",
        cite.to_uppercase(),
        line.year,
        line.fiche,
        funder.trim_matches('-').to_uppercase()
    )
}

/// The document of a line's convention, the *acompte* being `percent` of
/// the vote (rounded down to the cent, the *solde* the rest).
pub(crate) fn document(
    catalogue: &passerelle_domain::Catalogue,
    line: &FundingLine,
    percent: i64,
) -> Result<ConventionDoc, AppError> {
    let action = catalogue
        .programmes
        .iter()
        .rev()
        .flat_map(|p| &p.actions)
        .find(|a| a.fiche.get() == line.fiche);
    let calendar = report_calendar(line.year).ok_or_else(|| {
        AppError::NotFound(format!("l'année {} n'a pas de calendrier", line.year))
    })?;
    let acompte = Cents(line.voted.0 * percent / 100);
    let solde = line.voted - acompte;
    let number = line
        .convention
        .as_ref()
        .map(|c| c.reference.clone())
        .filter(|r| !r.is_empty())
        .unwrap_or_else(|| number(catalogue.cite.slug.as_str(), line));
    let date = line
        .convention
        .as_ref()
        .map(|c| c.date)
        .or(line.decision.as_ref().map(|d| d.0))
        .or(passerelle_domain::Date::new(line.year, 1, 1))
        .ok_or_else(|| AppError::NotFound(format!("l'année {} n'est pas une date", line.year)))?;
    Ok(ConventionDoc {
        ident: format!(
            "passerelle/{}/convention/{}/{}/{}/{percent}",
            catalogue.cite.slug.as_str(),
            line.fiche,
            line.year,
            line.funder.key()
        ),
        number,
        cite: catalogue.cite.name.clone(),
        funder: line.funder.label(),
        beneficiaries: action
            .map(|a| {
                a.operators
                    .iter()
                    .map(|o| Party {
                        name: o.label.clone(),
                        siret: String::new(),
                    })
                    .collect()
            })
            .unwrap_or_default(),
        year: line.year,
        action: format!(
            "Fiche {} — {}",
            line.fiche,
            super::action_title(catalogue, line.fiche)
        ),
        objectives: action.map(|a| a.objectives.clone()).unwrap_or_default(),
        scheme: line.scheme.clone(),
        amount: line.voted.french(),
        nature: match line.nature {
            passerelle_domain::funding::Nature::Numeraire => "en numéraire".into(),
            passerelle_domain::funding::Nature::EnNature => "en nature".into(),
        },
        terms: vec![
            (
                format!("Acompte ({percent} %)"),
                acompte.french(),
                "à la signature de la convention".into(),
            ),
            (
                "Solde".into(),
                solde.french(),
                format!(
                    "après réception du compte rendu financier, attendu au plus tard le {}",
                    calendar.due.french()
                ),
            ),
        ],
        duties: vec![
            (
                format!(
                    "Compte rendu financier de l'année {} (CERFA n° 15059) : le réalisé par poste de dépense, les écarts de plus de 15 % expliqués",
                    line.year
                ),
                calendar.due.french(),
            ),
            (
                "Bilan de l'action : ses indicateurs de l'année et un court récit".into(),
                calendar.due.french(),
            ),
        ],
        required: convention_required(&[line]),
        decision: line
            .decision
            .as_ref()
            .map(|d| d.0.french())
            .unwrap_or_default(),
        date,
    })
}

/// `GET /financements/ligne/convention.pdf?fiche=…&annee=…&financeur=…`
/// (`&acompte=` a share in percent, 50 by default): for those who see the
/// line, once it is voted.
pub(crate) async fn pdf(
    ed: Editor,
    who: SignedIn,
    Query(asked): Query<Submitted>,
) -> Result<Response, AppError> {
    let stored = line_of(&ed, &who, &asked).await?;
    let percent = match asked.get("acompte") {
        "" => ACOMPTE_PERCENT,
        typed => typed
            .parse::<i64>()
            .ok()
            .filter(|p| (0..=100).contains(p))
            .ok_or_else(|| {
                AppError::BadRequest(
                    "acompte".into(),
                    "une part de 0 à 100 (en pour cent)".into(),
                )
            })?,
    };
    if stored.line.voted.0 == 0 {
        return Err(AppError::Conflict(
            "Cette ligne n'a pas encore de montant voté : la convention suit le vote.".into(),
        ));
    }
    let doc = document(&ed.here.snapshot().catalogue, &stored.line, percent)?;
    let name = format!(
        "convention-{}-{}-{}.pdf",
        stored.line.fiche,
        stored.line.year,
        fold(&stored.line.funder.key())
    );
    let pdf = tokio::task::spawn_blocking(move || passerelle_typeset::convention(&doc))
        .await
        .map_err(|e| AppError::Internal(format!("convention: {e}")))?
        .map_err(|e| AppError::Internal(format!("convention: {e}")))?;
    Ok(crate::shared::download::file(
        pdf,
        "application/pdf",
        "inline",
        &name,
    ))
}
