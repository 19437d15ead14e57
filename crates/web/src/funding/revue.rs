//! The yearly *revue de projet*: pre-filled with the figures of the data
//! (`revue_figures`), with the coordination's text for each section;
//! validated by each of the troïka's three parties (each by a different
//! person, who and when shown), then *transmise*; as a PDF (Typst, tagged,
//! as the booklet) and an xlsx workbook. The national readers see every
//! cité's and a national synthesis, the same figures summed.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use passerelle_domain::funding::revue::{Party, Revue, SECTIONS};
use passerelle_domain::money::Cents;
use passerelle_store::calls::By;
use passerelle_store::funding::StoredRevue;

use super::revue_figures::{Figure, accounts, figures};
use super::{seeing_all, store_error, writer, year_options, years};
use crate::shared::ctx::{Editor, Posted, SignedIn};
use crate::shared::error::AppError;
use crate::shared::form::{OptionView, Submitted};
use crate::shared::layout::{Meta, Nav, answer, no_store, render};
use crate::shared::state::AppState;

pub(crate) struct SectionView {
    pub(crate) key: &'static str,
    pub(crate) title: &'static str,
    pub(crate) figures: Vec<Figure>,
    pub(crate) text: String,
}

#[derive(Template)]
#[template(path = "funding/revue.html")]
pub(crate) struct RevuePage {
    pub(crate) meta: Meta,
    pub(crate) year: i32,
    pub(crate) years: Vec<OptionView>,
    pub(crate) sections: Vec<SectionView>,
    /// (party, who, when).
    pub(crate) validations: Vec<(&'static str, String, String)>,
    pub(crate) missing: Vec<&'static str>,
    pub(crate) transmitted: String,
    pub(crate) problem: String,
    /// The texts' form: (csrf, version), while nobody validated.
    pub(crate) edit: Option<(String, i64)>,
    /// The validation's form: (csrf, version, parties left).
    pub(crate) validate: Option<(String, i64, Vec<OptionView>)>,
    /// The transmission's form: (csrf, version), once the three validated.
    pub(crate) transmit: Option<(String, i64)>,
}

fn year_of(ed: &Editor, asked: &Submitted) -> i32 {
    years(
        &ed.here.snapshot().catalogue,
        asked.get("annee").parse().ok(),
    )
    .1
}

async fn stored(ed: &Editor, year: i32) -> Result<(Revue, i64), AppError> {
    Ok(ed
        .funding
        .revue(ed.cite(), year)
        .await
        .map_err(store_error)?
        .map_or_else(|| (Revue::default(), 0), |s| (s.revue, s.version)))
}

/// A troïka member or an administrator of the request's cité.
fn validates(who: &SignedIn) -> bool {
    who.cite().is_some_and(|c| {
        matches!(
            who.account.role_in(c),
            Some(passerelle_domain::Role::Troika | passerelle_domain::Role::Administrateur)
        )
    })
}

async fn page(
    state: &AppState,
    ed: &Editor,
    who: &SignedIn,
    year: i32,
    problem: String,
) -> Result<RevuePage, AppError> {
    let (revue, version) = stored(ed, year).await?;
    let all = figures(state, ed, &accounts(state).await?, ed.cite(), year).await?;
    let sections = SECTIONS
        .iter()
        .map(|(key, title)| SectionView {
            key,
            title,
            figures: all
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, f)| f.clone())
                .unwrap_or_default(),
            text: revue.texts.get(*key).cloned().unwrap_or_default(),
        })
        .collect();
    let open = revue.transmitted.is_none();
    let cite = ed.cite();
    let left: Vec<OptionView> = revue
        .missing()
        .into_iter()
        .map(|p| OptionView {
            value: p.key().into(),
            label: p.label().into(),
            selected: false,
        })
        .collect();
    let already = revue
        .validations
        .iter()
        .any(|v| v.by == who.account.email.as_str());
    Ok(RevuePage {
        meta: who.meta(format!("Revue de projet {year}"), Nav::None),
        year,
        years: year_options(&years(&ed.here.snapshot().catalogue, None).0, year),
        sections,
        validations: revue
            .validations
            .iter()
            .map(|v| {
                (
                    v.party.label(),
                    v.by.clone(),
                    crate::shared::text::paris_moment(v.at),
                )
            })
            .collect(),
        missing: revue.missing().iter().map(|p| p.label()).collect(),
        transmitted: revue
            .transmitted
            .as_ref()
            .map_or_else(String::new, |(at, by)| {
                format!("le {} par {by}", crate::shared::text::paris_moment(*at))
            }),
        problem,
        edit: (open && revue.validations.is_empty() && who.account.writes_money(cite))
            .then(|| (who.csrf(), version)),
        validate: (open && validates(who) && !already && !left.is_empty())
            .then(|| (who.csrf(), version, left)),
        transmit: (open && revue.missing().is_empty() && who.account.writes_money(cite))
            .then(|| (who.csrf(), version)),
    })
}

/// `GET /revue?annee=…`.
pub(crate) async fn show(
    State(state): State<AppState>,
    ed: Editor,
    who: SignedIn,
    Query(asked): Query<Submitted>,
) -> Result<Response, AppError> {
    seeing_all(&who)?;
    let year = year_of(&ed, &asked);
    let p = page(&state, &ed, &who, year, String::new()).await?;
    Ok(no_store(render(&p)?.into_response()))
}

/// Applies a change to the revue read at `version`, or says why not.
async fn change(
    state: &AppState,
    ed: &Editor,
    who: &SignedIn,
    year: i32,
    sent: &Submitted,
    apply: impl FnOnce(&mut Revue) -> Result<(), String>,
) -> Result<Response, AppError> {
    let (mut revue, version) = stored(ed, year).await?;
    let expected: i64 = sent.get("version").parse().unwrap_or(-1);
    if expected != version {
        let p = page(
            state,
            ed,
            who,
            year,
            "La revue a changé entre-temps : voici sa version actuelle.".into(),
        )
        .await?;
        return answer(StatusCode::CONFLICT, &p);
    }
    if let Err(why) = apply(&mut revue) {
        let p = page(
            state,
            ed,
            who,
            year,
            format!("{}.", passerelle_domain::text::capitalized(&why)),
        )
        .await?;
        return answer(StatusCode::UNPROCESSABLE_ENTITY, &p);
    }
    let by = By {
        actor: who.account.email.as_str(),
        now: crate::shared::ctx::unix_now(),
    };
    if !ed
        .funding
        .save_revue(ed.cite(), year, &revue, version, by)
        .await
        .map_err(store_error)?
    {
        let p = page(
            state,
            ed,
            who,
            year,
            "La revue a changé entre-temps : voici sa version actuelle.".into(),
        )
        .await?;
        return answer(StatusCode::CONFLICT, &p);
    }
    Ok(who.see_other(&format!("/revue?annee={year}")))
}

/// `POST /revue/textes?annee=…`: the coordination's texts.
pub(crate) async fn write(
    State(state): State<AppState>,
    ed: Editor,
    Query(asked): Query<Submitted>,
    Posted { who, form: sent }: Posted<Submitted>,
) -> Result<Response, AppError> {
    writer(&who)?;
    let year = year_of(&ed, &asked);
    let texts: BTreeMap<String, String> = SECTIONS
        .iter()
        .map(|(k, _)| ((*k).to_owned(), sent.get(k).to_owned()))
        .collect();
    change(&state, &ed, &who, year, &sent, |r| {
        r.write(texts).map_err(|e| e.to_string())
    })
    .await
}

/// `POST /revue/validation?annee=…`: a party of the troïka validates.
pub(crate) async fn validate(
    State(state): State<AppState>,
    ed: Editor,
    Query(asked): Query<Submitted>,
    Posted { who, form: sent }: Posted<Submitted>,
) -> Result<Response, AppError> {
    seeing_all(&who)?;
    if !validates(&who) {
        return Err(AppError::Forbidden(
            "La revue est validée par les membres de la troïka de la cité.".into(),
        ));
    }
    let year = year_of(&ed, &asked);
    let party = Party::from_key(sent.get("partie"));
    let at = crate::shared::ctx::unix_now();
    let by = who.account.email.as_str().to_owned();
    change(&state, &ed, &who, year, &sent, |r| match party {
        Some(p) => r.validate(p, &by, at).map_err(|e| e.to_string()),
        None => Err("choisissez la partie de la troïka que vous représentez".into()),
    })
    .await
}

/// `POST /revue/transmission?annee=…`: sent, once the three validated.
pub(crate) async fn transmit(
    State(state): State<AppState>,
    ed: Editor,
    Query(asked): Query<Submitted>,
    Posted { who, form: sent }: Posted<Submitted>,
) -> Result<Response, AppError> {
    writer(&who)?;
    let year = year_of(&ed, &asked);
    let at = crate::shared::ctx::unix_now();
    let by = who.account.email.as_str().to_owned();
    change(&state, &ed, &who, year, &sent, |r| {
        r.transmit(&by, at).map_err(|e| e.to_string())
    })
    .await
}

/// The document of a revue, for the PDF and the workbook.
async fn document(
    state: &AppState,
    ed: &Editor,
    year: i32,
) -> Result<passerelle_typeset::RevueDoc, AppError> {
    let (revue, _) = stored(ed, year).await?;
    let all = figures(state, ed, &accounts(state).await?, ed.cite(), year).await?;
    let catalogue = &ed.here.snapshot().catalogue;
    Ok(passerelle_typeset::RevueDoc {
        title: format!("Revue de projet {year}"),
        cite: catalogue.cite.name.clone(),
        year,
        sections: SECTIONS
            .iter()
            .map(|(key, title)| passerelle_typeset::RevueSection {
                title: (*title).to_owned(),
                figures: all
                    .iter()
                    .find(|(k, _)| k == key)
                    .map(|(_, f)| {
                        f.iter()
                            .map(|f| (f.label.clone(), f.value.clone()))
                            .collect()
                    })
                    .unwrap_or_default(),
                text: revue.texts.get(*key).cloned().unwrap_or_default(),
            })
            .collect(),
        validations: Party::ALL
            .iter()
            .map(|p| {
                let v = revue.validations.iter().find(|v| v.party == *p);
                (
                    p.label().to_owned(),
                    v.map_or_else(
                        || "pas encore validée".to_owned(),
                        |v| {
                            format!(
                                "validée par {} le {}",
                                v.by,
                                crate::shared::text::paris_moment(v.at)
                            )
                        },
                    ),
                )
            })
            .collect(),
        transmitted: revue.transmitted.as_ref().map_or_else(
            || "non transmise".to_owned(),
            |(at, by)| {
                format!(
                    "transmise le {} par {by}",
                    crate::shared::text::paris_moment(*at)
                )
            },
        ),
        ident: format!("passerelle/{}/revue/{year}", ed.cite()),
        date: passerelle_domain::Date::new(year, 12, 31)
            .ok_or_else(|| AppError::NotFound(format!("l'année {year}")))?,
    })
}

/// `GET /revue.pdf?annee=…`.
pub(crate) async fn pdf(
    State(state): State<AppState>,
    ed: Editor,
    who: SignedIn,
    Query(asked): Query<Submitted>,
) -> Result<Response, AppError> {
    seeing_all(&who)?;
    let year = year_of(&ed, &asked);
    let doc = document(&state, &ed, year).await?;
    let bytes = tokio::task::spawn_blocking(move || passerelle_typeset::revue(&doc))
        .await
        .map_err(|e| AppError::Internal(format!("revue: {e}")))?
        .map_err(|e| AppError::Internal(format!("revue: {e}")))?;
    Ok(crate::shared::download::file(
        bytes,
        "application/pdf",
        "inline",
        &format!("revue-de-projet-{}-{year}.pdf", ed.cite()),
    ))
}

/// The revue as rows: section, figure, value; then the texts and the
/// validations.
fn rows(doc: &passerelle_typeset::RevueDoc) -> Vec<Vec<String>> {
    let mut rows = vec![vec![
        "Section".to_owned(),
        "Élément".to_owned(),
        "Valeur".to_owned(),
    ]];
    for s in &doc.sections {
        for (label, value) in &s.figures {
            rows.push(vec![s.title.clone(), label.clone(), value.clone()]);
        }
        rows.push(vec![s.title.clone(), "Texte".into(), s.text.clone()]);
    }
    for (party, said) in &doc.validations {
        rows.push(vec!["Validation".into(), party.clone(), said.clone()]);
    }
    rows.push(vec![
        "Transmission".into(),
        String::new(),
        doc.transmitted.clone(),
    ]);
    rows
}

/// `GET /revue.xlsx?annee=…`.
pub(crate) async fn xlsx(
    State(state): State<AppState>,
    ed: Editor,
    who: SignedIn,
    Query(asked): Query<Submitted>,
) -> Result<Response, AppError> {
    seeing_all(&who)?;
    let year = year_of(&ed, &asked);
    let doc = document(&state, &ed, year).await?;
    let bytes = passerelle_sheet::write_xlsx(&format!("Revue {year}"), &rows(&doc), None)
        .map_err(|e| AppError::Internal(format!("revue: {e}")))?;
    Ok(crate::shared::download::file(
        bytes,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "attachment",
        &format!("revue-de-projet-{}-{year}.xlsx", ed.cite()),
    ))
}

/// The sum of one figure across cités: whole numbers added, amounts added
/// to the cent; anything else (a share) is not summed.
fn summed(values: &[&str]) -> String {
    if let Ok(n) = values
        .iter()
        .map(|v| v.parse::<u64>())
        .sum::<Result<u64, _>>()
    {
        return n.to_string();
    }
    if let Ok(c) = values
        .iter()
        .map(|v| Cents::parse(v))
        .collect::<Result<Vec<_>, _>>()
    {
        return c.into_iter().sum::<Cents>().french();
    }
    "—".into()
}

#[derive(Template)]
#[template(path = "funding/revues.html")]
pub(crate) struct NationalPage {
    pub(crate) meta: Meta,
    pub(crate) year: i32,
    /// (cité, its revue's page, validations, transmitted).
    pub(crate) cites: Vec<(String, String, usize, String)>,
    /// (section, label, sum).
    pub(crate) synthesis: Vec<(&'static str, String, String)>,
}

/// `GET /national/revues?annee=…`: every cité's revue, and the same
/// figures summed (national readers and the instance's administrators).
pub(crate) async fn national(
    State(state): State<AppState>,
    who: SignedIn,
    Query(asked): Query<Submitted>,
) -> Result<Response, AppError> {
    super::national::national(&who)?;
    let editing = state.editing_open()?.clone();
    let this = crate::shared::text::paris_year(crate::shared::ctx::unix_now());
    let year: i32 = asked.get("annee").parse().unwrap_or(this - 1);
    let stored: Vec<StoredRevue> = editing.funding.revues(year).await.map_err(store_error)?;
    let mut cites = Vec::new();
    let mut by_label: Vec<(&'static str, String, Vec<String>)> = Vec::new();
    let accounts = accounts(&state).await?;
    for tenant in state.cites.all() {
        let slug = tenant.slug();
        let revue = stored.iter().find(|s| s.cite == slug);
        let root = if state.cites.several() {
            format!("/{slug}")
        } else {
            String::new()
        };
        cites.push((
            tenant.snapshot().catalogue.cite.name.clone(),
            format!("{root}/revue?annee={year}"),
            revue.map_or(0, |r| r.revue.validations.len()),
            revue
                .and_then(|r| r.revue.transmitted.as_ref())
                .map_or_else(
                    || "non".to_owned(),
                    |(at, _)| crate::shared::text::paris_moment(*at),
                ),
        ));
        for (key, figures) in figures(&state, &editing, &accounts, slug, year).await? {
            let title = SECTIONS
                .iter()
                .find(|(k, _)| *k == key)
                .map_or(key, |(_, t)| t);
            for f in figures {
                match by_label
                    .iter_mut()
                    .find(|(s, l, _)| *s == title && *l == f.label)
                {
                    Some((_, _, values)) => values.push(f.value),
                    None => by_label.push((title, f.label, vec![f.value])),
                }
            }
        }
    }
    let synthesis = by_label
        .into_iter()
        .map(|(section, label, values)| {
            let refs: Vec<&str> = values.iter().map(String::as_str).collect();
            (section, label, summed(&refs))
        })
        .collect();
    let p = NationalPage {
        meta: who.meta(
            format!("Revues de projet {year} : synthèse nationale"),
            Nav::None,
        ),
        year,
        cites,
        synthesis,
    };
    Ok(no_store(render(&p)?.into_response()))
}
