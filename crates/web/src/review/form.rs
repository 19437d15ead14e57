//! Entering the review: a referent gives their action's status, review text
//! and indicator values by year; the coordination defines indicators,
//! validates values, decides what each action becomes, and creates the next
//! programme. Everything is saved in the action entity, so it has a history
//! and a concurrent edit is refused, never lost.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use passerelle_domain::review::{next_programme, number};
use passerelle_domain::{
    Account, Action, ActionReview, ActionStatus, Catalogue, Decision, Entity, EntityKind,
    Indicator, Permission, Slug, Target, YearReview, YearValue, diff,
};
use passerelle_store::{ImportRecord, StoreError};
use serde_json::Value;

use super::pages::years;
use crate::shared::ctx::{Editor, Posted, SignedIn};
use crate::shared::entities::{canonical, stored};
use crate::shared::error::{AppError, store_error};
use crate::shared::form::Submitted;
use crate::shared::layout::{Meta, Nav, no_store, render};
use crate::shared::state::AppState;
use crate::shared::text::fr;

/// Who may prepare the next programme, and what others are told.
const NEXT_PROGRAMME_REFUSAL: &str =
    "Le programme suivant est préparé par l'équipe de coordination.";

fn action_key(c: &Catalogue, fiche: u32) -> Result<(String, Action), AppError> {
    let p = c
        .current_programme()
        .ok_or_else(|| AppError::NotFound("Aucun programme.".into()))?;
    let a = p
        .actions
        .iter()
        .find(|a| a.fiche.get() == fiche)
        .ok_or_else(|| AppError::NotFound(format!("Le programme n'a pas de fiche {fiche}.")))?;
    Ok((format!("{}/{}", p.slug, a.slug()), a.clone()))
}

#[derive(Debug)]
pub(crate) struct YearRow {
    pub(crate) year: i32,
    pub(crate) status: String,
    pub(crate) text: String,
}

#[derive(Debug)]
pub(crate) struct IndicatorRow {
    pub(crate) index: usize,
    pub(crate) label: String,
    pub(crate) unit: String,
    pub(crate) min: String,
    pub(crate) max: String,
    pub(crate) source: String,
    /// Per year: (year, value typed, validated by).
    pub(crate) values: Vec<(i32, String, String)>,
}

#[derive(Template)]
#[template(path = "review/review_edit.html")]
pub(crate) struct ReviewEditPage {
    pub(crate) meta: Meta,
    pub(crate) fiche: u32,
    pub(crate) title: String,
    pub(crate) csrf: String,
    pub(crate) version: u64,
    pub(crate) statuses: Vec<(String, String)>,
    pub(crate) years: Vec<YearRow>,
    pub(crate) indicators: Vec<IndicatorRow>,
    pub(crate) admin: bool,
    pub(crate) error: Option<String>,
    pub(crate) saved: bool,
}

fn edit_page(
    ed: &Editor,
    who: &SignedIn,
    fiche: u32,
    action: &Action,
    version: u64,
) -> ReviewEditPage {
    let snap = ed.here.snapshot();
    let p = snap.catalogue.current_programme();
    let all_years = p.map(years).unwrap_or_default();
    let admin = who.is_administrator();
    let mut indicators: Vec<IndicatorRow> = action
        .review
        .indicators
        .iter()
        .enumerate()
        .map(|(index, i)| IndicatorRow {
            index,
            label: i.label.clone(),
            unit: i.unit.clone(),
            min: i.target.and_then(|t| t.min).map(number).unwrap_or_default(),
            max: i.target.and_then(|t| t.max).map(number).unwrap_or_default(),
            source: i.source.clone(),
            values: all_years
                .iter()
                .map(|y| {
                    let v = i.value(*y);
                    (
                        *y,
                        v.map(|v| number(v.value)).unwrap_or_default(),
                        v.and_then(|v| v.validated_by.clone()).unwrap_or_default(),
                    )
                })
                .collect(),
        })
        .collect();
    if admin {
        // A blank row to define a new indicator.
        indicators.push(IndicatorRow {
            index: indicators.len(),
            label: String::new(),
            unit: String::new(),
            min: String::new(),
            max: String::new(),
            source: String::new(),
            values: all_years
                .iter()
                .map(|y| (*y, String::new(), String::new()))
                .collect(),
        });
    }
    ReviewEditPage {
        meta: Meta::new(format!("Bilan de la fiche {fiche}"), &ed.here, Nav::None),
        fiche,
        title: fr(&action.title),
        csrf: who.csrf(),
        version,
        statuses: std::iter::once((String::new(), "— non renseigné —".to_owned()))
            .chain(
                ActionStatus::ALL
                    .iter()
                    .map(|s| (s.key().to_owned(), s.label().to_owned())),
            )
            .collect(),
        years: all_years
            .iter()
            .map(|y| {
                let r = action.review.years.iter().find(|r| r.year == *y);
                YearRow {
                    year: *y,
                    status: r.map(|r| r.status.key().to_owned()).unwrap_or_default(),
                    text: r.map(|r| r.text.clone()).unwrap_or_default(),
                }
            })
            .collect(),
        indicators,
        admin,
        error: None,
        saved: false,
    }
}

async fn load(
    ed: &Editor,
    fiche: u32,
) -> Result<(String, passerelle_store::Versioned, Action), AppError> {
    let (key, _) = action_key(&ed.here.snapshot().catalogue, fiche)?;
    let stored = stored(ed, EntityKind::Action, &key).await?;
    let action: Action = serde_json::from_value(stored.entity.body.clone())
        .map_err(|e| AppError::Internal(format!("stored action: {e}")))?;
    Ok((key, stored, action))
}

fn parse_fiche(s: &str) -> Result<u32, AppError> {
    s.parse()
        .map_err(|_| AppError::NotFound("Aucune fiche à cette adresse.".into()))
}

/// `GET /admin/bilan/{fiche}`.
pub(crate) async fn form(
    ed: Editor,
    who: SignedIn,
    Path(fiche): Path<String>,
    axum::extract::Query(q): axum::extract::Query<std::collections::HashMap<String, String>>,
) -> Result<Response, AppError> {
    let fiche = parse_fiche(&fiche)?;
    let (_, stored, action) = load(&ed, fiche).await?;
    who.may(
        Permission::Edit,
        EntityKind::Action,
        Some(&stored.entity.body),
    )?;
    let mut page = edit_page(&ed, &who, fiche, &action, stored.version);
    page.saved = q.contains_key("enregistre");
    Ok(no_store(render(&page)?.into_response()))
}

fn parse_number(s: &str) -> Result<Option<f64>, String> {
    let t = s.trim().replace(',', ".").replace(['\u{a0}', ' '], "");
    if t.is_empty() {
        return Ok(None);
    }
    t.parse::<f64>()
        .ok()
        .filter(|x| x.is_finite() && *x >= 0.0 && *x < 1e12)
        .map(Some)
        .ok_or_else(|| format!("« {s} » n'est pas un nombre positif"))
}

/// Reads the form into a new review. A referent changes statuses, texts and
/// values; an administrator also indicators, and validates values. A value
/// changed loses its validation.
fn read(
    form: &Submitted,
    before: &ActionReview,
    account: &Account,
    admin: bool,
    all_years: &[i32],
) -> Result<ActionReview, String> {
    let mut review = before.clone();
    review.years = Vec::new();
    for y in all_years {
        let status = form.get(&format!("status.{y}"));
        let text = form
            .get(&format!("text.{y}"))
            .replace("\r\n", "\n")
            .trim()
            .to_owned();
        if text.chars().count() > 5_000 {
            return Err(format!("Bilan {y} : 5 000 caractères au plus."));
        }
        match ActionStatus::from_key(status) {
            Some(status) => review.years.push(YearReview {
                year: *y,
                status,
                text,
            }),
            None if status.is_empty() && text.is_empty() => {}
            None if status.is_empty() => {
                return Err(format!("Bilan {y} : choisissez un statut pour ce texte."));
            }
            None => return Err(format!("Bilan {y} : statut inconnu.")),
        }
    }
    let mut indicators: Vec<Indicator> = Vec::new();
    let count = before.indicators.len() + usize::from(admin);
    for i in 0..count {
        let old = before.indicators.get(i);
        let mut ind = match (admin, old) {
            (true, _) => {
                let label =
                    passerelle_domain::text::squash_spaces(form.get(&format!("ind.{i}.label")));
                if label.is_empty() {
                    continue; // removed, or the blank row left blank
                }
                let min = parse_number(form.get(&format!("ind.{i}.min")))
                    .map_err(|e| format!("{label} : objectif minimum {e}"))?;
                let max = parse_number(form.get(&format!("ind.{i}.max")))
                    .map_err(|e| format!("{label} : objectif maximum {e}"))?;
                if let (Some(a), Some(b)) = (min, max)
                    && a > b
                {
                    return Err(format!("{label} : l'objectif minimum dépasse le maximum."));
                }
                Indicator {
                    label,
                    unit: passerelle_domain::text::squash_spaces(
                        form.get(&format!("ind.{i}.unit")),
                    ),
                    target: (min.is_some() || max.is_some()).then_some(Target { min, max }),
                    source: old.map(|o| o.source.clone()).unwrap_or_default(),
                    values: old.map(|o| o.values.clone()).unwrap_or_default(),
                }
            }
            (false, Some(o)) => o.clone(),
            (false, None) => continue,
        };
        let mut values = Vec::new();
        for y in all_years {
            let typed = parse_number(form.get(&format!("val.{i}.{y}")))
                .map_err(|e| format!("{} ({y}) : {e}", ind.label))?;
            let previous = ind.values.iter().find(|v| v.year == *y);
            match (typed, previous) {
                (None, _) => {}
                (Some(v), Some(p)) if p.value == v => values.push(p.clone()),
                (Some(v), _) => values.push(YearValue {
                    year: *y,
                    value: v,
                    entered_by: account.email.to_string(),
                    validated_by: None,
                }),
            }
        }
        // Values of years outside the form stay as they were.
        values.extend(
            ind.values
                .iter()
                .filter(|v| !all_years.contains(&v.year))
                .cloned(),
        );
        if admin && !form.get("valider").is_empty() {
            for v in &mut values {
                if v.validated_by.is_none() {
                    v.validated_by = Some(account.email.to_string());
                }
            }
        }
        ind.values = values;
        indicators.push(ind);
    }
    review.indicators = indicators;
    Ok(review)
}

/// `POST /admin/bilan/{fiche}`.
pub(crate) async fn save(
    State(state): State<AppState>,
    ed: Editor,
    Path(fiche): Path<String>,
    Posted { who, form }: Posted<Submitted>,
) -> Result<Response, AppError> {
    let account = &who.account;
    let fiche = parse_fiche(&fiche)?;
    let (key, stored, action) = load(&ed, fiche).await?;
    who.may(
        Permission::Edit,
        EntityKind::Action,
        Some(&stored.entity.body),
    )?;
    let started_from: u64 = form.get("version").parse().unwrap_or(0);
    let all_years = ed
        .here
        .snapshot()
        .catalogue
        .current_programme()
        .map(years)
        .unwrap_or_default();
    let review = match read(
        &form,
        &action.review,
        account,
        who.is_administrator(),
        &all_years,
    ) {
        Ok(r) => r,
        Err(e) => {
            let mut page = edit_page(&ed, &who, fiche, &action, started_from);
            page.error = Some(e);
            return Ok(no_store(
                (StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response(),
            ));
        }
    };
    let mut body = stored.entity.body.clone();
    let review_json =
        serde_json::to_value(&review).map_err(|e| AppError::Internal(format!("review: {e}")))?;
    if let Value::Object(map) = &mut body {
        map.insert("review".into(), review_json);
    }
    let body = canonical(EntityKind::Action, body).map_err(AppError::Internal)?;
    let entity = Entity {
        kind: EntityKind::Action,
        key,
        body,
    };
    match ed
        .store
        .save(ed.cite(), &entity, started_from, account.email.as_str())
        .await
    {
        Ok(_) => {}
        Err(StoreError::Conflict { current, .. }) => {
            // Show the review as it is now (nothing was saved).
            let now = current.and_then(|c| {
                serde_json::from_value::<Action>(c.entity.body.clone())
                    .ok()
                    .map(|a| (a, c.version))
            });
            let (shown, version) = now.unwrap_or((action, 0));
            let mut page = edit_page(&ed, &who, fiche, &shown, version);
            page.error = Some(
                "Quelqu'un a modifié cette fiche entre-temps : rien n'a été enregistré. Voici la fiche à jour ; reprenez vos saisies."
                    .into(),
            );
            return Ok(no_store(
                (StatusCode::CONFLICT, render(&page)?).into_response(),
            ));
        }
        Err(e) => return Err(store_error(e)),
    }
    ed.rebuild(&state).await?;
    Ok(ed
        .here
        .see_other(&format!("/admin/bilan/{fiche}?enregistre=1")))
}

#[derive(Debug)]
pub(crate) struct DecisionRow {
    pub(crate) fiche: u32,
    pub(crate) title: String,
    pub(crate) status: String,
    pub(crate) decision: String,
    pub(crate) note: String,
    pub(crate) version: u64,
    /// Contributions about this fiche: (id, text, linked).
    pub(crate) contributions: Vec<(i64, String, bool)>,
}

#[derive(Template)]
#[template(path = "review/next_programme.html")]
pub(crate) struct NextPage {
    pub(crate) meta: Meta,
    pub(crate) programme: String,
    pub(crate) csrf: String,
    pub(crate) rows: Vec<DecisionRow>,
    pub(crate) decisions: Vec<(String, String)>,
    pub(crate) next_title: String,
    pub(crate) next_start: i32,
    pub(crate) next_end: i32,
    pub(crate) carried: String,
    pub(crate) error: Option<String>,
}

async fn next_page(ed: &Editor, who: &SignedIn) -> Result<NextPage, AppError> {
    let snap = ed.here.snapshot();
    let c = &snap.catalogue;
    let p = c
        .current_programme()
        .ok_or_else(|| AppError::NotFound("Aucun programme.".into()))?;
    let mut contributions = Vec::new();
    for event in &c.seminars {
        contributions.extend(
            ed.participation
                .contributions(ed.cite(), event.slug.as_str(), false)
                .await
                .map_err(store_error)?,
        );
    }
    let mut rows = Vec::new();
    for a in &p.actions {
        let key = format!("{}/{}", p.slug, a.slug());
        let version = stored(ed, EntityKind::Action, &key).await?.version;
        rows.push(DecisionRow {
            fiche: a.fiche.get(),
            title: fr(&a.title),
            status: a
                .review
                .latest()
                .map(|y| format!("{} ({})", y.status.label(), y.year))
                .unwrap_or_else(|| "non renseigné".into()),
            decision: a
                .review
                .decision
                .map(|d| d.key().to_owned())
                .unwrap_or_default(),
            note: a.review.decision_note.clone(),
            version,
            contributions: contributions
                .iter()
                .filter(|x| {
                    x.fiche == Some(a.fiche.get()) || a.review.contributions.contains(&x.id)
                })
                .map(|x| (x.id, fr(&x.text), a.review.contributions.contains(&x.id)))
                .collect(),
        });
    }
    let carried = p
        .actions
        .iter()
        .filter(|a| a.review.decision.is_some_and(Decision::carries_over))
        .count();
    let span = p.end_year - p.start_year;
    Ok(NextPage {
        meta: Meta::new("Préparer le programme suivant", &ed.here, Nav::None),
        programme: fr(&p.title),
        csrf: who.csrf(),
        rows,
        decisions: std::iter::once((String::new(), "— à décider —".to_owned()))
            .chain(
                Decision::ALL
                    .iter()
                    .map(|d| (d.key().to_owned(), d.label().to_owned())),
            )
            .collect(),
        next_title: format!("Programmation {}-{}", p.end_year + 1, p.end_year + 1 + span),
        next_start: p.end_year + 1,
        next_end: p.end_year + 1 + span,
        carried: crate::shared::text::count(
            carried,
            "Aucune action maintenue ou modifiée n'y passera",
            "action maintenue ou modifiée y passera",
            "actions maintenues ou modifiées y passeront",
        ),
        error: None,
    })
}

/// `GET /admin/programme-suivant`.
pub(crate) async fn next_form(ed: Editor, who: SignedIn) -> Result<Response, AppError> {
    who.administrator(NEXT_PROGRAMME_REFUSAL)?;
    Ok(no_store(
        render(&next_page(&ed, &who).await?)?.into_response(),
    ))
}

/// `POST /admin/programme-suivant`: saves each action's decision.
pub(crate) async fn save_decisions(
    State(state): State<AppState>,
    ed: Editor,
    Posted { who, form }: Posted<Submitted>,
) -> Result<Response, AppError> {
    let account = who.administrator(NEXT_PROGRAMME_REFUSAL)?;
    let p = ed
        .here
        .snapshot()
        .catalogue
        .current_programme()
        .cloned()
        .ok_or_else(|| AppError::NotFound("Aucun programme.".into()))?;
    let mut conflicts = Vec::new();
    for a in &p.actions {
        let n = a.fiche.get();
        let decision = Decision::from_key(form.get(&format!("decision.{n}")));
        let note = passerelle_domain::text::squash_spaces(form.get(&format!("note.{n}")));
        let linked: Vec<i64> = form
            .all(&format!("contrib.{n}"))
            .iter()
            .filter_map(|v| v.parse().ok())
            .collect();
        if decision == a.review.decision
            && note == a.review.decision_note
            && linked == a.review.contributions
        {
            continue;
        }
        let key = format!("{}/{}", p.slug, a.slug());
        let stored = stored(&ed, EntityKind::Action, &key).await?;
        let mut action: Action = serde_json::from_value(stored.entity.body.clone())
            .map_err(|e| AppError::Internal(format!("stored action: {e}")))?;
        action.review.decision = decision;
        action.review.decision_note = note;
        action.review.contributions = linked;
        let body = serde_json::to_value(&action).map_err(|e| AppError::Internal(e.to_string()))?;
        let expected: u64 = form.get(&format!("version.{n}")).parse().unwrap_or(0);
        match ed
            .store
            .save(
                ed.cite(),
                &Entity {
                    kind: EntityKind::Action,
                    key,
                    body,
                },
                expected,
                account.email.as_str(),
            )
            .await
        {
            Ok(_) => {}
            Err(StoreError::Conflict { .. }) => conflicts.push(n),
            Err(e) => return Err(store_error(e)),
        }
    }
    ed.rebuild(&state).await?;
    if conflicts.is_empty() {
        return Ok(ed.here.see_other("/admin/programme-suivant"));
    }
    let mut page = next_page(&ed, &who).await?;
    page.error = Some(format!(
        "Modifiées entre-temps par quelqu'un d'autre, ces fiches n'ont pas été enregistrées : {}. Les autres l'ont été ; vérifiez et recommencez pour celles-ci.",
        conflicts
            .iter()
            .map(u32::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    ));
    Ok(no_store(
        (StatusCode::CONFLICT, render(&page)?).into_response(),
    ))
}

/// `POST /admin/programme-suivant/creer`: creates the next programme in one
/// transaction: its head, its axes, and the actions carried over, each
/// linked to its predecessor (whose own history stays as it is).
pub(crate) async fn create_next(
    State(state): State<AppState>,
    ed: Editor,
    Posted { who, form }: Posted<Submitted>,
) -> Result<Response, AppError> {
    let account = who.administrator(NEXT_PROGRAMME_REFUSAL)?;
    let snap = ed.here.snapshot();
    let from = snap
        .catalogue
        .current_programme()
        .ok_or_else(|| AppError::NotFound("Aucun programme.".into()))?;
    let title = passerelle_domain::text::squash_spaces(form.get("title"));
    let start: Option<i32> = form.get("start_year").parse().ok();
    let end: Option<i32> = form.get("end_year").parse().ok();
    let refuse = |msg: &str| AppError::Unprocessable("programme".into(), msg.to_owned());
    let (Some(start), Some(end)) = (start, end) else {
        return Err(refuse("indiquez la première et la dernière année"));
    };
    if title.is_empty() || start > end || start < from.end_year || end > start + 10 {
        return Err(refuse(
            "un intitulé, et des années qui suivent le programme en cours (dix au plus)",
        ));
    }
    let slug = Slug::from_text(&title);
    if snap.catalogue.programmes.iter().any(|p| p.slug == slug) {
        return Err(AppError::Conflict(format!(
            "Un programme « {title} » existe déjà."
        )));
    }
    let next = next_programme(from, slug, title.clone(), start, end);
    let mut catalogue = Catalogue {
        programmes: vec![next],
        ..snap.catalogue.clone()
    };
    catalogue.seminars.clear();
    let entities: Vec<Entity> = catalogue
        .to_entities()
        .into_iter()
        .filter(|e| {
            matches!(
                e.kind,
                EntityKind::Programme | EntityKind::Axis | EntityKind::Action
            )
        })
        .collect();
    let changes = diff(&[], &entities);
    let record = ImportRecord {
        source: format!("programme-suivant:{} par {}", title, account.email),
        added: changes.len(),
        updated: 0,
        removed: 0,
        report: serde_json::to_string(&snap.report).unwrap_or_else(|_| "[]".into()),
    };
    ed.store
        .apply(ed.cite(), &entities, &changes, &record)
        .await
        .map_err(store_error)?;
    ed.rebuild(&state).await?;
    Ok(ed.here.see_other("/bilan"))
}
