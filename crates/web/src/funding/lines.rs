//! The funding lines: the list of a year (and a funder), a line's page
//! with what is derived from it (paid, rest to pay, share of the action's
//! funding), its payments and its history (who changed what, when), and
//! the administrators' forms — a new line, a line's amounts and decision
//! and convention (saved from the version read: of two saves at once,
//! the second is told, 409), a payment.

use askama::Template;
use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use passerelle_domain::funding::{
    Convention, Funder, FundingLine, Nature, Payment, PaymentKind, read_date,
};
use passerelle_domain::money::Cents;
use passerelle_store::calls::By;
use passerelle_store::funding::{Put, StoredLine, Subject};

use super::envelopes::{funder_of, source_options};
use super::{
    action_title, covers, line_href, line_href_at, line_of, not_found, seeing, store_error, writer,
    year_options, years,
};
use crate::shared::ctx::{Editor, Posted, SignedIn};
use crate::shared::error::AppError;
use crate::shared::form::{OptionView, Submitted};
use crate::shared::layout::{Meta, Nav, answer, no_store, render};

/// A line in the list.
pub(crate) struct Row {
    pub(crate) href: String,
    pub(crate) fiche: u32,
    pub(crate) action: String,
    pub(crate) funder: String,
    pub(crate) requested: String,
    pub(crate) proposed: String,
    pub(crate) voted: String,
    pub(crate) committed: String,
    pub(crate) paid: String,
    pub(crate) rest: String,
}

/// The form of a new line: its token and its choices.
pub(crate) struct NewLine {
    pub(crate) csrf: String,
    pub(crate) actions: Vec<OptionView>,
    pub(crate) years: Vec<OptionView>,
    pub(crate) sources: Vec<OptionView>,
}

#[derive(Template)]
#[template(path = "funding/lines.html")]
pub(crate) struct LinesPage {
    pub(crate) meta: Meta,
    pub(crate) year: i32,
    pub(crate) funder: Option<String>,
    pub(crate) rows: Vec<Row>,
    /// (requested, proposed, voted, committed, paid, rest), summed.
    pub(crate) totals: [String; 6],
    /// The envelopes' page, for those who see it.
    pub(crate) envelopes: Option<String>,
    /// The administrators' form.
    pub(crate) create: Option<NewLine>,
    /// The voted lines the open data leaves out, and why (for those who
    /// see all the money).
    pub(crate) unpublished: Vec<String>,
    pub(crate) problems: Vec<String>,
}

fn row(catalogue: &passerelle_domain::Catalogue, l: &FundingLine) -> Row {
    Row {
        href: line_href(l),
        fiche: l.fiche,
        action: action_title(catalogue, l.fiche),
        funder: l.funder.label(),
        requested: l.requested.french(),
        proposed: l.proposed.french(),
        voted: l.voted.french(),
        committed: l.committed.french(),
        paid: l.paid().french(),
        rest: l.rest_to_pay().french(),
    }
}

async fn lines_page(
    ed: &Editor,
    who: &SignedIn,
    asked: &Submitted,
    problems: Vec<String>,
) -> Result<LinesPage, AppError> {
    let view = seeing(who)?;
    let snapshot = ed.here.snapshot();
    let catalogue = &snapshot.catalogue;
    let (all_years, year) = years(catalogue, asked.get("annee").parse().ok());
    let funder = Funder::from_key(asked.get("financeur"));
    let lines: Vec<FundingLine> = ed
        .funding
        .funding_lines(ed.cite(), Some(year))
        .await
        .map_err(store_error)?
        .into_iter()
        .map(|s| s.line)
        .filter(|l| covers(&view, catalogue, l.fiche))
        .filter(|l| funder.as_ref().is_none_or(|f| &l.funder == f))
        .collect();
    let sum = |f: fn(&FundingLine) -> Cents| lines.iter().map(f).sum::<Cents>().french();
    let totals = [
        sum(|l| l.requested),
        sum(|l| l.proposed),
        sum(|l| l.voted),
        sum(|l| l.committed),
        sum(FundingLine::paid),
        sum(FundingLine::rest_to_pay),
    ];
    let create = who
        .cite()
        .is_some_and(|c| who.account.writes_money(c))
        .then(|| {
            let actions = catalogue
                .programmes
                .iter()
                .flat_map(|p| &p.actions)
                .map(|a| OptionView {
                    value: a.fiche.get().to_string(),
                    label: format!("Fiche {} — {}", a.fiche.get(), a.title),
                    selected: asked.get("fiche") == a.fiche.get().to_string(),
                })
                .collect();
            NewLine {
                csrf: who.csrf(),
                actions,
                years: year_options(&all_years, year),
                sources: source_options(asked.get("source")),
            }
        });
    Ok(LinesPage {
        meta: who.meta(
            match &funder {
                Some(f) => format!("Financements {year} : {}", f.label()),
                None => format!("Financements {year}"),
            },
            Nav::None,
        ),
        year,
        funder: funder.map(|f| f.label()),
        rows: lines.iter().map(|l| row(catalogue, l)).collect(),
        totals,
        envelopes: matches!(view, passerelle_domain::MoneyView::All)
            .then(|| format!("/financements?annee={year}")),
        unpublished: if matches!(view, passerelle_domain::MoneyView::All) {
            passerelle_opendata::subventions::unpublished(catalogue, &lines)
                .into_iter()
                .map(|u| format!("Fiche {}, {} : {}", u.fiche, u.funder, u.reason))
                .collect()
        } else {
            Vec::new()
        },
        create,
        problems,
    })
}

/// `GET /financements/lignes?annee=…&financeur=…`.
pub(crate) async fn list(
    ed: Editor,
    who: SignedIn,
    Query(asked): Query<Submitted>,
) -> Result<Response, AppError> {
    let p = lines_page(&ed, &who, &asked, Vec::new()).await?;
    Ok(no_store(render(&p)?.into_response()))
}

fn by(who: &SignedIn) -> By<'_> {
    By {
        actor: who.account.email.as_str(),
        now: crate::shared::ctx::unix_now(),
    }
}

/// `POST /financements/lignes`: a new line (an action, a year, a funder,
/// the amount requested).
pub(crate) async fn create(
    ed: Editor,
    Posted { who, form: sent }: Posted<Submitted>,
) -> Result<Response, AppError> {
    writer(&who)?;
    let catalogue = &ed.here.snapshot().catalogue;
    let (all_years, _) = years(catalogue, None);
    let mut problems = Vec::new();
    let fiche: Option<u32> = sent.get("fiche").parse().ok().filter(|f| {
        catalogue
            .programmes
            .iter()
            .any(|p| p.actions.iter().any(|a| a.fiche.get() == *f))
    });
    if fiche.is_none() {
        problems.push("Choisissez l'action financée.".to_owned());
    }
    let year: Option<i32> = sent
        .get("annee")
        .parse()
        .ok()
        .filter(|y| all_years.contains(y));
    if year.is_none() {
        problems.push("Choisissez une année du programme.".to_owned());
    }
    let funder = funder_of(sent.get("source"), sent.get("nom"))
        .map_err(|e| problems.push(e))
        .ok();
    let requested = amount(&mut problems, "Demandé", sent.get("demande"));
    let (Some(fiche), Some(year), Some(funder), true) = (fiche, year, funder, problems.is_empty())
    else {
        let p = lines_page(&ed, &who, &sent, problems).await?;
        return answer(StatusCode::UNPROCESSABLE_ENTITY, &p);
    };
    let line = FundingLine {
        requested,
        ..FundingLine::new(fiche, year, funder)
    };
    let put = Put::Line {
        line: line.clone(),
        expected: Some(0),
    };
    let saved = ed
        .funding
        .save_funding(ed.cite(), &[put], by(&who), "saisie")
        .await
        .map_err(store_error)?;
    if saved.is_none() {
        let p = lines_page(
            &ed,
            &who,
            &sent,
            vec!["Cette action a déjà une ligne de ce financeur pour cette année : ouvrez-la pour la modifier.".into()],
        )
        .await?;
        return answer(StatusCode::CONFLICT, &p);
    }
    Ok(who.see_other(&line_href(&line)))
}

/// An amount typed in a form; empty is 0.
fn amount(problems: &mut Vec<String>, field: &str, typed: &str) -> Cents {
    if typed.trim().is_empty() {
        return Cents(0);
    }
    Cents::parse(typed).unwrap_or_else(|e| {
        problems.push(format!("{field} : {e}."));
        Cents(0)
    })
}

/// A payment shown.
pub(crate) struct PaymentRow {
    pub(crate) date: String,
    pub(crate) amount: String,
    pub(crate) kind: &'static str,
}

/// A version in the history.
pub(crate) struct HistoryRow {
    pub(crate) when: String,
    pub(crate) who: String,
    pub(crate) origin: String,
    /// (field, before, after).
    pub(crate) changes: Vec<(&'static str, String, String)>,
}

#[derive(Template)]
#[template(path = "funding/line.html")]
pub(crate) struct LinePage {
    pub(crate) meta: Meta,
    pub(crate) action_href: String,
    pub(crate) line: FundingLine,
    pub(crate) paid: String,
    pub(crate) rest: String,
    /// The funder's share of the action's funding of the year, in words.
    pub(crate) share: String,
    pub(crate) convention_required: bool,
    pub(crate) payments: Vec<PaymentRow>,
    pub(crate) history: Vec<HistoryRow>,
    pub(crate) warnings: Vec<String>,
    pub(crate) problems: Vec<String>,
    /// The administrators' forms: (csrf, post to, payments' post to,
    /// version).
    pub(crate) edit: Option<(String, String, String, i64)>,
    pub(crate) natures: Vec<OptionView>,
    pub(crate) decision_date: String,
    pub(crate) convention_date: String,
    /// The financial report of a voted line: (where it stands, its page).
    pub(crate) report: Option<(String, String)>,
}

fn iso(d: Option<passerelle_domain::Date>) -> String {
    d.map(passerelle_domain::Date::iso).unwrap_or_default()
}

async fn line_page(
    ed: &Editor,
    who: &SignedIn,
    stored: &StoredLine,
    problems: Vec<String>,
) -> Result<LinePage, AppError> {
    let line = &stored.line;
    let catalogue = &ed.here.snapshot().catalogue;
    let siblings = ed
        .funding
        .funding_lines(ed.cite(), Some(line.year))
        .await
        .map_err(store_error)?;
    let of_action: Cents = siblings
        .iter()
        .filter(|s| s.line.fiche == line.fiche)
        .map(|s| s.line.voted)
        .sum();
    let share = of_action.share_permille(line.voted).map_or_else(
        || "aucun montant voté pour cette action cette année".to_owned(),
        |p| {
            format!(
                "{},{} % des {} votés pour cette action en {}",
                p / 10,
                p % 10,
                of_action.french(),
                line.year
            )
        },
    );
    let history = ed
        .funding
        .funding_history(ed.cite(), &Subject::of_line(line))
        .await
        .map_err(store_error)?
        .into_iter()
        .rev()
        .map(|h| HistoryRow {
            when: crate::shared::text::paris_moment(h.at),
            who: h.actor,
            origin: h.origin,
            changes: h
                .changes
                .into_iter()
                .map(|c| (c.field, c.before, c.after))
                .collect(),
        })
        .collect();
    let report = if line.voted.0 > 0 {
        let state = ed
            .funding
            .funding_report(ed.cite(), &line.key())
            .await
            .map_err(store_error)?
            .map(|r| r.state);
        let today = crate::shared::text::paris_date(time::OffsetDateTime::now_utc());
        passerelle_domain::funding::report::status(line.year, state, today)
            .map(|s| (s.label(), line_href_at(line, "/compte-rendu")))
    } else {
        None
    };
    let edit = who
        .cite()
        .is_some_and(|c| who.account.writes_money(c))
        .then(|| {
            (
                who.csrf(),
                line_href(line),
                line_href_at(line, "/versements"),
                stored.version,
            )
        });
    Ok(LinePage {
        meta: who.meta(
            format!(
                "Fiche {} — {} — {} {}",
                line.fiche,
                action_title(catalogue, line.fiche),
                line.funder.label(),
                line.year
            ),
            Nav::None,
        ),
        action_href: format!("/actions/{}", line.fiche),
        paid: line.paid().french(),
        rest: line.rest_to_pay().french(),
        share,
        convention_required: passerelle_domain::funding::convention_required(&[line]),
        payments: line
            .payments
            .iter()
            .map(|p| PaymentRow {
                date: p.date.french(),
                amount: p.amount.french(),
                kind: p.kind.label(),
            })
            .collect(),
        history,
        warnings: line.problems().into_iter().map(|p| p.message).collect(),
        problems,
        edit,
        natures: [Nature::Numeraire, Nature::EnNature]
            .into_iter()
            .map(|n| OptionView {
                value: n.key().into(),
                label: n.label().into(),
                selected: n == line.nature,
            })
            .collect(),
        decision_date: iso(line.decision.as_ref().map(|d| d.0)),
        convention_date: iso(line.convention.as_ref().map(|c| c.date)),
        report,
        line: line.clone(),
    })
}

/// `GET /financements/ligne?fiche=…&annee=…&financeur=…`.
pub(crate) async fn show(
    ed: Editor,
    who: SignedIn,
    Query(asked): Query<Submitted>,
) -> Result<Response, AppError> {
    let stored = line_of(&ed, &who, &asked).await?;
    let p = line_page(&ed, &who, &stored, Vec::new()).await?;
    Ok(no_store(render(&p)?.into_response()))
}

/// A date typed in a form (`YYYY-MM-DD` or `JJ/MM/AAAA`); empty is none.
fn date(problems: &mut Vec<String>, field: &str, typed: &str) -> Option<passerelle_domain::Date> {
    if typed.trim().is_empty() {
        return None;
    }
    let d = read_date(typed);
    if d.is_none() {
        problems.push(format!(
            "{field} : « {typed} » n'est pas une date possible."
        ));
    }
    d
}

/// Saves a line from the version read; the page again with the problems
/// (422), or told it changed meanwhile (409).
async fn save_line(
    ed: &Editor,
    who: &SignedIn,
    stored: &StoredLine,
    line: FundingLine,
    expected: i64,
    mut problems: Vec<String>,
) -> Result<Response, AppError> {
    problems.extend(
        line.problems()
            .into_iter()
            .filter(|p| !p.warning)
            .map(|p| format!("{}.", passerelle_domain::text::capitalized(&p.message))),
    );
    if !problems.is_empty() {
        let p = line_page(ed, who, stored, problems).await?;
        return answer(StatusCode::UNPROCESSABLE_ENTITY, &p);
    }
    let put = Put::Line {
        line: line.clone(),
        expected: Some(expected),
    };
    let saved = ed
        .funding
        .save_funding(ed.cite(), &[put], by(who), "saisie")
        .await
        .map_err(store_error)?;
    if saved.is_none() {
        let current = ed
            .funding
            .funding_line(ed.cite(), line.fiche, line.year, &line.funder)
            .await
            .map_err(store_error)?
            .ok_or_else(not_found)?;
        let p = line_page(
            ed,
            who,
            &current,
            vec!["Cette ligne a été modifiée entre-temps par quelqu'un d'autre : voici sa version actuelle ; refaites votre modification si elle est toujours utile.".into()],
        )
        .await?;
        return answer(StatusCode::CONFLICT, &p);
    }
    Ok(who.see_other(&line_href(&line)))
}

/// `POST /financements/ligne?…`: the line's amounts, decision and
/// convention, from the version read.
pub(crate) async fn save(
    ed: Editor,
    Query(asked): Query<Submitted>,
    Posted { who, form: sent }: Posted<Submitted>,
) -> Result<Response, AppError> {
    writer(&who)?;
    let stored = line_of(&ed, &who, &asked).await?;
    let mut problems = Vec::new();
    let mut line = stored.line.clone();
    line.scheme = sent.get("dispositif").trim().to_owned();
    line.nature = Nature::read(sent.get("nature")).unwrap_or(line.nature);
    line.requested = amount(&mut problems, "Demandé", sent.get("demande"));
    line.proposed = amount(&mut problems, "Proposé", sent.get("propose"));
    line.voted = amount(&mut problems, "Voté", sent.get("vote"));
    line.committed = amount(&mut problems, "Engagé", sent.get("engage"));
    let decided = date(&mut problems, "Date de décision", sent.get("date_decision"));
    line.decision = decided.map(|d| (d, sent.get("ref_decision").trim().to_owned()));
    if decided.is_none() && !sent.get("ref_decision").trim().is_empty() {
        problems.push("Date de décision : donnez la date de la décision référencée.".into());
    }
    let signed = date(
        &mut problems,
        "Date de convention",
        sent.get("date_convention"),
    );
    line.convention = signed.map(|date| Convention {
        reference: sent.get("convention").trim().to_owned(),
        date,
    });
    if signed.is_none() && !sent.get("convention").trim().is_empty() {
        problems.push("Date de convention : donnez la date de la convention.".into());
    }
    let expected: i64 = sent.get("version").parse().unwrap_or(-1);
    save_line(&ed, &who, &stored, line, expected, problems).await
}

/// `POST /financements/ligne/versements?…`: a payment (its date, amount
/// and kind), from the version read.
pub(crate) async fn pay(
    ed: Editor,
    Query(asked): Query<Submitted>,
    Posted { who, form: sent }: Posted<Submitted>,
) -> Result<Response, AppError> {
    writer(&who)?;
    let stored = line_of(&ed, &who, &asked).await?;
    let mut problems = Vec::new();
    let on = date(
        &mut problems,
        "Date du versement",
        sent.get("date_versement"),
    );
    if on.is_none() && problems.is_empty() {
        problems.push("Date du versement : indiquez-la.".into());
    }
    let paid = amount(&mut problems, "Montant versé", sent.get("montant"));
    if paid.0 == 0 && problems.is_empty() {
        problems.push("Montant versé : indiquez-le.".into());
    }
    let kind = PaymentKind::from_key(sent.get("type")).unwrap_or(PaymentKind::Acompte);
    let mut line = stored.line.clone();
    if let Some(on) = on {
        line.payments.push(Payment {
            date: on,
            amount: paid,
            kind,
        });
        line.payments.sort_by_key(|p| p.date);
    }
    let expected: i64 = sent.get("version").parse().unwrap_or(-1);
    save_line(&ed, &who, &stored, line, expected, problems).await
}
