//! The programme's money (*financements*): the envelopes of each source
//! and year with what is programmed, voted, committed and paid of them,
//! and the what-if of the committee's proposals; the funding lines, one
//! per action × year × funder, with their payments and their history; and
//! the same through the JSON API.
//!
//! Who sees what is `Account::money_view`: the cité's administrators and
//! troïka and the national readers see all of it; a referent sees the
//! lines of the actions their organisation operates; anyone else nothing
//! (403; a line they may not see is a 404, as one that does not exist).
//! Only the cité's administrators write (`Account::writes_money`).

pub(crate) mod api;
mod clock;
mod convention;
mod envelopes;
mod lines;
mod national;
mod report;
mod revue;
mod revue_figures;

pub use clock::{Reminded, remind_reports, remind_reports_every_hour};

use axum::Router;
use axum::routing::{get, post};
use passerelle_domain::funding::{Funder, FundingLine};
use passerelle_domain::{Catalogue, MoneyView};

use passerelle_store::funding::StoredLine;

use crate::shared::ctx::{Editor, SignedIn};
use crate::shared::error::AppError;
use crate::shared::form::Submitted;
use crate::shared::state::AppState;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/financements", get(envelopes::page))
        .route("/financements/enveloppes", post(envelopes::save))
        .route("/financements/lignes", get(lines::list).post(lines::create))
        .route("/financements/ligne", get(lines::show).post(lines::save))
        .route("/financements/ligne/versements", post(lines::pay))
        .route("/financements/ligne/convention.pdf", get(convention::pdf))
        .route(
            "/financements/ligne/compte-rendu",
            get(report::show).post(report::save),
        )
        .route(
            "/financements/ligne/compte-rendu/accepter",
            post(report::accept),
        )
        .route("/revue", get(revue::show))
        .route("/revue/textes", post(revue::write))
        .route("/revue/validation", post(revue::validate))
        .route("/revue/transmission", post(revue::transmit))
        .route("/revue.pdf", get(revue::pdf))
        .route("/revue.xlsx", get(revue::xlsx))
        .route("/national/revues", get(revue::national))
        .route("/national/financements", get(national::page))
}

/// Under `/api/v1`.
pub(crate) fn api_routes() -> Router<AppState> {
    Router::new()
        .route("/funding", get(api::lines))
        .route("/envelopes", get(api::envelopes))
}

pub(crate) fn store_error(e: passerelle_store::StoreError) -> AppError {
    AppError::store("financements", e)
}

const REFUSAL: &str = "Les financements du programme sont réservés à l'équipe de coordination, à la troïka et aux référents des actions financées.";

/// What this account sees of the request's cité's money; 403 for nothing.
pub(crate) fn seeing(who: &SignedIn) -> Result<MoneyView, AppError> {
    match who.cite().map(|c| who.account.money_view(c)) {
        Some(MoneyView::None) | None => Err(AppError::Forbidden(REFUSAL.into())),
        Some(view) => Ok(view),
    }
}

/// The envelopes and the what-if: the whole of the money only (403 for a
/// referent).
pub(crate) fn seeing_all(who: &SignedIn) -> Result<(), AppError> {
    match seeing(who)? {
        MoneyView::All => Ok(()),
        _ => Err(AppError::Forbidden(
            "Les enveloppes sont réservées à l'équipe de coordination, à la troïka et au niveau national ; vous voyez les financements de vos actions."
                .into(),
        )),
    }
}

/// A cité administrator (403 otherwise): the money's writes.
pub(crate) fn writer(who: &SignedIn) -> Result<(), AppError> {
    seeing(who)?;
    if who.cite().is_some_and(|c| who.account.writes_money(c)) {
        Ok(())
    } else {
        Err(AppError::Forbidden(
            "Seule l'équipe de coordination de la cité enregistre les financements.".into(),
        ))
    }
}

/// Whether a view covers the line of this action.
pub(crate) fn covers(view: &MoneyView, catalogue: &Catalogue, fiche: u32) -> bool {
    match view {
        MoneyView::All => true,
        MoneyView::Own(org) => catalogue.programmes.iter().any(|p| {
            p.actions.iter().any(|a| {
                a.fiche.get() == fiche
                    && a.operators
                        .iter()
                        .any(|o| o.organisation.as_ref() == Some(org))
            })
        }),
        MoneyView::None => false,
    }
}

/// The line a query names, if this account sees it.
pub(crate) async fn line_of(
    ed: &Editor,
    who: &SignedIn,
    asked: &Submitted,
) -> Result<StoredLine, AppError> {
    let view = seeing(who)?;
    let fiche: u32 = asked.get("fiche").parse().map_err(|_| not_found())?;
    let year: i32 = asked.get("annee").parse().map_err(|_| not_found())?;
    let funder = Funder::from_key(asked.get("financeur")).ok_or_else(not_found)?;
    if !covers(&view, &ed.here.snapshot().catalogue, fiche) {
        return Err(not_found());
    }
    ed.funding
        .funding_line(ed.cite(), fiche, year, &funder)
        .await
        .map_err(store_error)?
        .ok_or_else(not_found)
}

/// The 404 of a line one may not see (the same as of one that does not
/// exist).
pub(crate) fn not_found() -> AppError {
    AppError::NotFound(
        "Aucun financement à cette adresse, ou votre compte ne permet pas de le voir.".into(),
    )
}

/// The address of a line's page.
pub(crate) fn line_href(line: &FundingLine) -> String {
    line_href_at(line, "")
}

/// The address of a page of a line: `sub` after `/financements/ligne`
/// (`/versements`, `/compte-rendu`, `/convention.pdf`…), the line in the
/// query.
pub(crate) fn line_href_at(line: &FundingLine, sub: &str) -> String {
    format!(
        "/financements/ligne{sub}?{}",
        serde_urlencoded::to_string([
            ("fiche", line.fiche.to_string()),
            ("annee", line.year.to_string()),
            ("financeur", line.funder.key()),
        ])
        .unwrap_or_default()
    )
}

/// The address of the lines of a year (and a funder).
pub(crate) fn lines_href(year: i32, funder: Option<&Funder>) -> String {
    let mut pairs = vec![("annee", year.to_string())];
    if let Some(f) = funder {
        pairs.push(("financeur", f.key()));
    }
    format!(
        "/financements/lignes?{}",
        serde_urlencoded::to_string(pairs).unwrap_or_default()
    )
}

/// The programme's years, first to last, and the one shown when none is
/// asked: this year if the programme covers it, else its last.
pub(crate) fn years(catalogue: &Catalogue, asked: Option<i32>) -> (Vec<i32>, i32) {
    let start = catalogue.programmes.iter().map(|p| p.start_year).min();
    let end = catalogue.programmes.iter().map(|p| p.end_year).max();
    let all: Vec<i32> = match (start, end) {
        (Some(s), Some(e)) if s <= e && e - s < 30 => (s..=e).collect(),
        _ => Vec::new(),
    };
    let this = crate::shared::text::paris_year(crate::shared::ctx::unix_now());
    let shown = asked
        .filter(|y| all.contains(y))
        .or_else(|| all.contains(&this).then_some(this))
        .or_else(|| all.last().copied())
        .unwrap_or(this);
    (all, shown)
}

/// The programme's years as a list's choices, `year` chosen.
pub(crate) fn year_options(all: &[i32], year: i32) -> Vec<crate::shared::form::OptionView> {
    all.iter()
        .map(|y| crate::shared::form::OptionView {
            value: y.to_string(),
            label: y.to_string(),
            selected: *y == year,
        })
        .collect()
}

/// A cité's lines and envelopes (of one year, if given).
pub(crate) async fn year_money(
    editing: &crate::shared::state::Editing,
    cite: &str,
    year: Option<i32>,
) -> Result<(Vec<FundingLine>, Vec<passerelle_domain::funding::Envelope>), AppError> {
    let lines = editing
        .funding
        .funding_lines(cite, year)
        .await
        .map_err(store_error)?
        .into_iter()
        .map(|s| s.line)
        .collect();
    let envelopes = editing
        .funding
        .envelopes(cite, year)
        .await
        .map_err(store_error)?;
    Ok((lines, envelopes))
}

/// The sources of a year: those with an envelope and those funding a
/// line, in order.
pub(crate) fn sources(
    envelopes: &[passerelle_domain::funding::Envelope],
    lines: &[FundingLine],
    year: i32,
) -> Vec<Funder> {
    let mut all: Vec<Funder> = envelopes
        .iter()
        .filter(|e| e.year == year)
        .map(|e| e.source.clone())
        .chain(
            lines
                .iter()
                .filter(|l| l.year == year)
                .map(|l| l.funder.clone()),
        )
        .collect();
    all.sort();
    all.dedup();
    all
}

/// The title of an action, by its fiche.
pub(crate) fn action_title(catalogue: &Catalogue, fiche: u32) -> String {
    catalogue
        .programmes
        .iter()
        .rev()
        .flat_map(|p| &p.actions)
        .find(|a| a.fiche.get() == fiche)
        .map_or_else(|| format!("Fiche {fiche}"), |a| a.title.clone())
}
