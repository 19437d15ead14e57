//! The envelopes of a year: for each source, the envelope and what is
//! programmed (proposed), voted, committed and paid of it, and the rest,
//! each figure linking to the lines behind it; the what-if, which votes
//! the committee's proposals or takes voted lines out and shows the
//! envelopes after, saving nothing (a `GET` form: it works without
//! JavaScript and its address can be shared); and, for the cité's
//! administrators, the form that sets an envelope.

use askama::Template;
use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use passerelle_domain::funding::{Envelope, Funder, FundingLine, Situation, situation, what_if};
use passerelle_domain::money::Cents;
use passerelle_store::calls::By;
use passerelle_store::funding::Put;

use super::{action_title, lines_href, seeing_all, store_error, writer, year_options, years};
use crate::shared::ctx::{Editor, Posted, SignedIn};
use crate::shared::error::AppError;
use crate::shared::form::{OptionView, Submitted};
use crate::shared::layout::{Meta, Nav, answer, no_store, render};

/// A figure and the lines behind it.
pub(crate) struct Figure {
    pub(crate) text: String,
    pub(crate) href: String,
}

pub(crate) struct SourceRow {
    pub(crate) label: String,
    pub(crate) envelope: String,
    pub(crate) programmed: Figure,
    pub(crate) voted: Figure,
    pub(crate) committed: Figure,
    pub(crate) paid: Figure,
    pub(crate) rest: String,
    /// More voted than the envelope.
    pub(crate) over: bool,
    /// Voted, of the envelope, in percent (0 to 100, for the bar).
    pub(crate) used: u32,
}

/// A line the what-if may add or take out.
pub(crate) struct Candidate {
    pub(crate) key: String,
    pub(crate) label: String,
    pub(crate) amount: String,
    pub(crate) checked: bool,
}

/// An envelope after the what-if, beside before.
pub(crate) struct AfterRow {
    pub(crate) label: String,
    pub(crate) voted_before: String,
    pub(crate) voted_after: String,
    pub(crate) rest_before: String,
    pub(crate) rest_after: String,
    pub(crate) over: bool,
}

#[derive(Template)]
#[template(path = "funding/envelopes.html")]
pub(crate) struct EnvelopesPage {
    pub(crate) meta: Meta,
    pub(crate) year: i32,
    pub(crate) years: Vec<OptionView>,
    pub(crate) rows: Vec<SourceRow>,
    pub(crate) lines_href: String,
    pub(crate) to_add: Vec<Candidate>,
    pub(crate) to_remove: Vec<Candidate>,
    /// The what-if's result, when asked.
    pub(crate) after: Option<Vec<AfterRow>>,
    /// The administrators' form: (csrf, sources).
    pub(crate) edit: Option<(String, Vec<OptionView>)>,
    pub(crate) problem: String,
    pub(crate) amount: String,
    pub(crate) named: String,
    /// Every change of the year's envelopes: (source, when, who, before,
    /// after), newest first.
    pub(crate) history: Vec<(String, String, String, String, String)>,
}

/// The sources an envelope may be set for (the fonds de la Cité and
/// « autre » are named in the form's other field).
pub(crate) fn source_options(selected: &str) -> Vec<OptionView> {
    [
        ("etat", "État – Cité éducative (P147)"),
        ("fonds-cite", "Fonds de la Cité (nommez le collège)"),
        ("commune", "Commune"),
        ("caf", "CAF"),
        ("departement", "Département"),
        ("region", "Région"),
        ("autre", "Autre (nommez-le)"),
    ]
    .into_iter()
    .map(|(value, label)| OptionView {
        value: value.into(),
        label: label.into(),
        selected: value == selected,
    })
    .collect()
}

/// A funder from a form's choice and the name typed beside it.
pub(crate) fn funder_of(choice: &str, named: &str) -> Result<Funder, String> {
    let named = named.trim();
    match choice {
        "fonds-cite" if named.is_empty() => {
            Err("Nommez le collège chef de file qui gère ce fonds de la Cité.".into())
        }
        "fonds-cite" => Ok(Funder::FondsCite(named.to_owned())),
        "autre" if named.is_empty() => Err("Nommez ce financeur.".into()),
        "autre" => Ok(Funder::Autre(named.to_owned())),
        other => Funder::from_key(other).ok_or_else(|| "Choisissez un financeur.".to_owned()),
    }
}

fn line_key(l: &FundingLine) -> String {
    format!("{}/{}/{}", l.fiche, l.year, l.funder.key())
}

fn percent(part: Cents, whole: Cents) -> u32 {
    whole
        .share_permille(part)
        .map_or(0, |p| u32::try_from(p.clamp(0, 1000) / 10).unwrap_or(0))
}

async fn build(
    ed: &Editor,
    who: &SignedIn,
    asked: &Submitted,
    problem: String,
) -> Result<EnvelopesPage, AppError> {
    let snapshot = ed.here.snapshot();
    let catalogue = &snapshot.catalogue;
    let (all_years, year) = years(catalogue, asked.get("annee").parse().ok());
    let cite = ed.cite();
    let (lines, envelopes) = super::year_money(ed, cite, Some(year)).await?;
    let figure = |c: Cents, f: &Funder| Figure {
        text: c.french(),
        href: lines_href(year, Some(f)),
    };
    let sources = super::sources(&envelopes, &lines, year);
    let rows: Vec<SourceRow> = sources
        .iter()
        .map(|f| {
            let s: Situation = situation(&envelopes, &lines, year, f);
            SourceRow {
                label: f.label(),
                envelope: s.envelope.french(),
                programmed: figure(s.programmed, f),
                voted: figure(s.voted, f),
                committed: figure(s.committed, f),
                paid: figure(s.paid, f),
                rest: s.rest.french(),
                over: s.rest.0 < 0,
                used: percent(s.voted, s.envelope),
            }
        })
        .collect();
    let label = |l: &FundingLine| {
        format!(
            "Fiche {} — {} — {}",
            l.fiche,
            action_title(catalogue, l.fiche),
            l.funder.label()
        )
    };
    let added: Vec<&String> = asked.all("ajout").iter().collect();
    let removed: Vec<&String> = asked.all("retrait").iter().collect();
    let to_add: Vec<Candidate> = lines
        .iter()
        .filter(|l| l.proposed.0 > 0 && l.voted.0 == 0)
        .map(|l| Candidate {
            key: line_key(l),
            label: label(l),
            amount: l.proposed.french(),
            checked: added.contains(&&line_key(l)),
        })
        .collect();
    let to_remove: Vec<Candidate> = lines
        .iter()
        .filter(|l| l.voted.0 > 0)
        .map(|l| Candidate {
            key: line_key(l),
            label: label(l),
            amount: l.voted.french(),
            checked: removed.contains(&&line_key(l)),
        })
        .collect();
    let after = (!asked.get("simulation").is_empty()).then(|| {
        let adding: Vec<FundingLine> = lines
            .iter()
            .filter(|l| to_add.iter().any(|c| c.checked && c.key == line_key(l)))
            .cloned()
            .collect();
        let taking: Vec<(u32, i32, Funder)> = lines
            .iter()
            .filter(|l| to_remove.iter().any(|c| c.checked && c.key == line_key(l)))
            .map(FundingLine::key)
            .collect();
        // Every source shown, with or without an envelope.
        let mut shown = envelopes.clone();
        for f in &sources {
            if !shown.iter().any(|e| &e.source == f) {
                shown.push(Envelope {
                    year,
                    source: f.clone(),
                    amount: Cents(0),
                });
            }
        }
        what_if(&shown, &lines, &adding, &taking)
            .into_iter()
            .map(|(e, s)| {
                let before = situation(&shown, &lines, year, &e.source);
                AfterRow {
                    label: e.source.label(),
                    voted_before: before.voted.french(),
                    voted_after: s.voted.french(),
                    rest_before: before.rest.french(),
                    rest_after: s.rest.french(),
                    over: s.rest.0 < 0,
                }
            })
            .collect()
    });
    let edit = who
        .cite()
        .is_some_and(|c| who.account.writes_money(c))
        .then(|| (who.csrf(), source_options(asked.get("source"))));
    let mut history = Vec::new();
    for e in &envelopes {
        let subject = passerelle_store::funding::Subject::Envelope {
            year,
            source: e.source.clone(),
        };
        for h in ed
            .funding
            .funding_history(cite, &subject)
            .await
            .map_err(store_error)?
        {
            for c in h.changes {
                history.push((
                    h.at,
                    e.source.label(),
                    crate::shared::text::paris_moment(h.at),
                    h.actor.clone(),
                    c.before,
                    c.after,
                ));
            }
        }
    }
    history.sort_by_key(|h| std::cmp::Reverse(h.0));
    Ok(EnvelopesPage {
        history: history
            .into_iter()
            .map(|(_, source, when, who, before, after)| (source, when, who, before, after))
            .collect(),
        meta: who.meta(format!("Enveloppes {year}"), Nav::None),
        year,
        years: year_options(&all_years, year),
        rows,
        lines_href: lines_href(year, None),
        to_add,
        to_remove,
        after,
        edit,
        problem,
        amount: asked.get("montant").to_owned(),
        named: asked.get("nom").to_owned(),
    })
}

/// `GET /financements?annee=…`, with the what-if's choices when asked.
pub(crate) async fn page(
    ed: Editor,
    who: SignedIn,
    Query(asked): Query<Submitted>,
) -> Result<Response, AppError> {
    seeing_all(&who)?;
    let p = build(&ed, &who, &asked, String::new()).await?;
    Ok(no_store(render(&p)?.into_response()))
}

/// `POST /financements/enveloppes`: sets an envelope of a year and source.
pub(crate) async fn save(
    ed: Editor,
    Posted { who, form: sent }: Posted<Submitted>,
) -> Result<Response, AppError> {
    writer(&who)?;
    let (all_years, _) = years(&ed.here.snapshot().catalogue, None);
    let year: Option<i32> = sent
        .get("annee")
        .parse()
        .ok()
        .filter(|y| all_years.contains(y));
    let amount = Cents::parse(sent.get("montant"));
    let source = funder_of(sent.get("source"), sent.get("nom"));
    let (Some(year), Ok(amount), Ok(source)) = (year, &amount, &source) else {
        let problem = match (year, amount, source) {
            (None, _, _) => "Choisissez une année du programme.".to_owned(),
            (_, Err(e), _) => format!("Montant : {e}."),
            (_, _, Err(e)) => e,
            _ => String::new(),
        };
        let p = build(&ed, &who, &sent, problem).await?;
        return answer(StatusCode::UNPROCESSABLE_ENTITY, &p);
    };
    let put = Put::Envelope(Envelope {
        year,
        source: source.clone(),
        amount: *amount,
    });
    ed.funding
        .save_funding(
            ed.cite(),
            &[put],
            By {
                actor: who.account.email.as_str(),
                now: crate::shared::ctx::unix_now(),
            },
            "saisie",
        )
        .await
        .map_err(store_error)?;
    Ok(who.see_other(&format!("/financements?annee={year}")))
}
