//! The review (*bilan*) pages: the whole programme and each axis (actions by
//! status, indicators against targets, year over year, the review texts),
//! the coverage matrix, and the CSV export. Values show once validated by the
//! coordination; professionals also see those waiting for validation.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{Html, IntoResponse, Response};
use passerelle_domain::referral::ActionCounts;
use passerelle_domain::review::{CoverageRow, coverage, number};
use passerelle_domain::{Action, ActionStatus, Catalogue, Indicator, Programme, Slug};
use serde::Deserialize;

use super::charts::{Progress, Series, progress, stacked_bars};
use crate::shared::ctx::Seen;
use crate::shared::ctx::Viewer;
use crate::shared::error::AppError;
use crate::shared::layout::{Meta, Nav, render};
use crate::shared::state::{AppState, Snapshot};
use crate::shared::text::{count, csv_field, fr, markdown};

/// The values a viewer may see: validated ones, or all for professionals.
pub(crate) fn visible(indicator: &Indicator, year: i32, all: bool) -> Option<(f64, bool)> {
    indicator
        .value(year)
        .filter(|v| all || v.validated_by.is_some())
        .map(|v| (v.value, v.validated_by.is_some()))
}

/// The years a review covers: the programme's, and any with a value.
pub(crate) fn years(p: &Programme) -> Vec<i32> {
    let mut years: Vec<i32> = (p.start_year..=p.end_year).collect();
    for a in &p.actions {
        for y in a.review.years.iter().map(|y| y.year).chain(
            a.review
                .indicators
                .iter()
                .flat_map(|i| i.values.iter().map(|v| v.year)),
        ) {
            if !years.contains(&y) {
                years.push(y);
            }
        }
    }
    years.sort_unstable();
    years
}

#[derive(Debug)]
pub(crate) struct IndicatorView {
    pub(crate) label: String,
    pub(crate) unit: String,
    pub(crate) target: String,
    pub(crate) source: String,
    /// Per year: the value as shown ("" when none), and whether it waits for validation.
    pub(crate) values: Vec<(String, bool)>,
    /// "+2 (+50 %)" per year after the first, "" when not computable.
    pub(crate) deltas: Vec<String>,
}

#[derive(Debug)]
pub(crate) struct ActionView {
    pub(crate) fiche: u32,
    pub(crate) href: String,
    pub(crate) title: String,
    pub(crate) axis: u8,
    pub(crate) status: String,
    pub(crate) texts: Vec<(i32, String, String)>,
    pub(crate) indicators: Vec<IndicatorView>,
    pub(crate) edit: Option<String>,
    /// The referrals the action received and accepted, per year (for
    /// professionals; counts only).
    pub(crate) referrals: Option<String>,
}

fn indicator_view(i: &Indicator, years: &[i32], all: bool) -> IndicatorView {
    let shown: Vec<Option<(f64, bool)>> = years.iter().map(|y| visible(i, *y, all)).collect();
    IndicatorView {
        label: fr(&i.label),
        unit: fr(&i.unit),
        target: i.target.map(|t| t.french()).unwrap_or_default(),
        source: fr(&i.source),
        values: shown
            .iter()
            .map(|v| v.map_or((String::new(), false), |(x, ok)| (number(x), !ok)))
            .collect(),
        deltas: shown
            .windows(2)
            .map(|w| match (w[0], w[1]) {
                (Some((a, _)), Some((b, _))) => {
                    let d = b - a;
                    let sign = if d > 0.0 { "+" } else { "" };
                    match (a != 0.0).then(|| d / a * 100.0) {
                        Some(p) => format!("{sign}{} ({sign}{} %)", number(d), number(p.round())),
                        None => format!("{sign}{}", number(d)),
                    }
                }
                _ => String::new(),
            })
            .collect(),
    }
}

fn status_label(a: &Action) -> String {
    a.review
        .latest()
        .map(|y| format!("{} ({})", y.status.label(), y.year))
        .unwrap_or_else(|| "Non renseigné".to_owned())
}

#[derive(Template)]
#[template(path = "review/review.html")]
pub(crate) struct ReviewPage {
    pub(crate) meta: Meta,
    pub(crate) heading: String,
    pub(crate) programme: String,
    pub(crate) years: Vec<i32>,
    pub(crate) statuses: Vec<String>,
    pub(crate) status_chart: String,
    /// Per category (axis): its label, the count per status, the total.
    pub(crate) status_rows: Vec<(String, Vec<u32>, u32)>,
    pub(crate) progress_chart: String,
    pub(crate) progress_year: i32,
    pub(crate) progress_rows: Vec<(String, String, String)>,
    pub(crate) actions: Vec<ActionView>,
    pub(crate) axes: Vec<(String, String)>,
    pub(crate) all_values: bool,
    pub(crate) csv: String,
}

/// The statuses counted, in order, with "not given" last.
fn status_names() -> Vec<String> {
    ActionStatus::ALL
        .iter()
        .map(|s| s.label().to_owned())
        .chain(["Non renseigné".to_owned()])
        .collect()
}

fn status_counts(actions: &[&Action]) -> Vec<u32> {
    let mut counts = vec![0u32; ActionStatus::ALL.len() + 1];
    for a in actions {
        let i = a
            .review
            .latest()
            .and_then(|y| ActionStatus::ALL.iter().position(|s| *s == y.status))
            .unwrap_or(ActionStatus::ALL.len());
        counts[i] += 1;
    }
    counts
}

fn review_page(
    seen: &Seen,
    viewer: &Viewer,
    axis: Option<u8>,
    referrals: &[ActionCounts],
) -> Result<ReviewPage, AppError> {
    let s: &Snapshot = seen;
    let c = &s.catalogue;
    let p = c
        .current_programme()
        .ok_or_else(|| AppError::NotFound("Aucun programme.".into()))?;
    if let Some(n) = axis
        && !p.axes.iter().any(|a| a.number == n)
    {
        return Err(AppError::NotFound(format!(
            "Le programme n'a pas d'axe {n}."
        )));
    }
    let all = viewer.is_professional(s.catalogue.cite.slug.as_str());
    let years = years(p);
    let actions: Vec<&Action> = p
        .actions
        .iter()
        .filter(|a| axis.is_none_or(|n| a.axis == n))
        .collect();
    // By axis for the programme; for an axis, the axis alone.
    let categories: Vec<(String, Vec<&Action>)> = p
        .axes
        .iter()
        .filter(|x| axis.is_none_or(|n| x.number == n))
        .map(|x| {
            (
                format!("Axe {}", x.number),
                actions
                    .iter()
                    .copied()
                    .filter(|a| a.axis == x.number)
                    .collect(),
            )
        })
        .collect();
    let statuses = status_names();
    let status_rows: Vec<(String, Vec<u32>, u32)> = categories
        .iter()
        .map(|(label, acts)| {
            let counts = status_counts(acts);
            let total = counts.iter().sum();
            (label.clone(), counts, total)
        })
        .collect();
    let series: Vec<Series> = statuses
        .iter()
        .enumerate()
        .map(|(k, name)| Series {
            name: name.clone(),
            values: status_rows.iter().map(|(_, c, _)| c[k]).collect(),
        })
        .collect();
    let status_chart = stacked_bars(
        "statuts",
        "Actions par statut (dernière année renseignée), par axe",
        &status_rows.iter().map(|r| r.0.clone()).collect::<Vec<_>>(),
        &series,
    );
    // Indicators against their targets, for the latest year with a value shown.
    let progress_year = actions
        .iter()
        .flat_map(|a| a.review.indicators.iter())
        .flat_map(|i| years.iter().filter(|y| visible(i, **y, all).is_some()))
        .copied()
        .max()
        .unwrap_or(p.end_year);
    let progress_data: Vec<Progress> = actions
        .iter()
        .flat_map(|a| a.review.indicators.iter().map(move |i| (a, i)))
        .map(|(a, i)| Progress {
            label: format!("F{} {}", a.fiche, i.label),
            value: visible(i, progress_year, all).map(|v| v.0),
            target: i.target.and_then(|t| t.reference()),
        })
        .collect();
    let progress_rows = progress_data
        .iter()
        .map(|r| {
            (
                r.label.clone(),
                r.value.map(number).unwrap_or_default(),
                r.target.map(number).unwrap_or_default(),
            )
        })
        .collect();
    let progress_chart = if progress_data.is_empty() {
        String::new()
    } else {
        progress(
            "indicateurs",
            &format!("Indicateurs et objectifs, {progress_year}"),
            &progress_data,
        )
    };
    let heading = match axis {
        Some(n) => format!(
            "Bilan de l'axe {n} : {}",
            p.axes
                .iter()
                .find(|x| x.number == n)
                .map(|x| x.title.as_str())
                .unwrap_or("")
        ),
        None => format!("Bilan : {}", p.title),
    };
    let account = viewer.account.as_ref();
    Ok(ReviewPage {
        meta: Meta::new(heading.clone(), &seen.here, Nav::Review),
        heading: fr(&heading),
        programme: fr(&p.title),
        years: years.clone(),
        statuses,
        status_chart,
        status_rows,
        progress_chart,
        progress_year,
        progress_rows,
        actions: actions
            .iter()
            .map(|a| ActionView {
                fiche: a.fiche.get(),
                href: format!("/actions/{}", a.fiche),
                title: fr(&a.title),
                axis: a.axis,
                status: status_label(a),
                texts: a
                    .review
                    .years
                    .iter()
                    .filter(|y| !y.text.is_empty())
                    .map(|y| (y.year, y.status.label().to_owned(), markdown(&y.text)))
                    .collect(),
                indicators: a
                    .review
                    .indicators
                    .iter()
                    .map(|i| indicator_view(i, &years, all))
                    .collect(),
                edit: account
                    .filter(|acc| {
                        let ops: Vec<&Slug> = a
                            .operators
                            .iter()
                            .filter_map(|o| o.organisation.as_ref())
                            .collect();
                        acc.may(
                            seen.here.slug(),
                            passerelle_domain::Permission::Edit,
                            passerelle_domain::EntityKind::Action,
                            &ops,
                        )
                    })
                    .map(|_| format!("/admin/bilan/{}", a.fiche)),
                referrals: referrals
                    .iter()
                    .find(|c| c.fiche == a.fiche.get())
                    .map(ActionCounts::years_in_words),
            })
            .collect(),
        axes: p
            .axes
            .iter()
            .map(|x| {
                (
                    format!("/bilan/axes/{}", x.number),
                    fr(&format!("Axe {} : {}", x.number, x.title)),
                )
            })
            .collect(),
        all_values: all,
        csv: "/bilan.csv".into(),
    })
}

/// The referrals' counts per action, for professionals of the cité (the
/// public review shows none: small counts about children's requests stay
/// within the programme's team).
async fn referral_counts(
    state: &AppState,
    viewer: &Viewer,
    seen: &Seen,
) -> Result<Vec<ActionCounts>, AppError> {
    let cite = seen.here.slug();
    let (Some(editing), true) = (state.editing(), viewer.is_professional(cite)) else {
        return Ok(Vec::new());
    };
    let stats = editing
        .referrals
        .referral_stats(cite)
        .await
        .map_err(|e| AppError::store("orientations", e))?;
    Ok(passerelle_domain::referral::counts(&stats))
}

/// `GET /bilan`.
pub(crate) async fn programme(
    State(state): State<AppState>,
    viewer: Viewer,
    seen: Seen,
) -> Result<Html<String>, AppError> {
    let counts = referral_counts(&state, &viewer, &seen).await?;
    render(&review_page(&seen, &viewer, None, &counts)?)
}

/// `GET /bilan/axes/{n}`.
pub(crate) async fn axis(
    State(state): State<AppState>,
    viewer: Viewer,
    seen: Seen,
    Path(n): Path<String>,
) -> Result<Html<String>, AppError> {
    let n: u8 = n
        .parse()
        .map_err(|_| AppError::NotFound("Les axes sont numérotés 1, 2, 3.".into()))?;
    let counts = referral_counts(&state, &viewer, &seen).await?;
    render(&review_page(&seen, &viewer, Some(n), &counts)?)
}

/// The columns of the coverage matrix: each sector, then the whole city.
pub(crate) fn coverage_columns(c: &Catalogue) -> Vec<(Option<Slug>, String)> {
    passerelle_domain::review::coverage_columns(c)
}

#[derive(Debug)]
pub(crate) struct CellView {
    pub(crate) count: usize,
    /// « 1 action », « 6 actions ».
    pub(crate) count_text: String,
    pub(crate) href: String,
    pub(crate) fiches: String,
}

#[derive(Template)]
#[template(path = "review/coverage.html")]
pub(crate) struct CoveragePage {
    pub(crate) meta: Meta,
    pub(crate) programme: String,
    pub(crate) axis_label: String,
    pub(crate) columns: Vec<String>,
    pub(crate) rows: Vec<(String, Vec<CellView>)>,
    pub(crate) axes: Vec<(String, String, bool)>,
    /// « aucune case vide », « 3 cases vides ».
    pub(crate) gaps: String,
}

#[derive(Debug, Deserialize)]
pub(crate) struct CoverageQuery {
    #[serde(default)]
    axe: Option<String>,
}

/// The search that lists a cell's actions.
pub(crate) fn cell_href(row: CoverageRow, axis: Option<u8>, territory: Option<&Slug>) -> String {
    let mut q: Vec<(&str, String)> = Vec::new();
    match row {
        CoverageRow::Ages(a, b) => q.push(("age", format!("{a}-{b}"))),
        CoverageRow::Audience(k) => q.push(("public", k.key().to_owned())),
    }
    if let Some(t) = territory {
        q.push(("territoire", t.to_string()));
    }
    if let Some(n) = axis {
        q.push(("axe", n.to_string()));
    }
    format!(
        "/actions?{}",
        serde_urlencoded::to_string(&q).unwrap_or_default()
    )
}

/// `GET /bilan/couverture?axe=N`: audiences × territories, for one axis or all.
pub(crate) async fn coverage_page(
    s: Seen,
    Query(q): Query<CoverageQuery>,
) -> Result<Html<String>, AppError> {
    let c = &s.catalogue;
    let p = c
        .current_programme()
        .ok_or_else(|| AppError::NotFound("Aucun programme.".into()))?;
    let axis = match q.axe.as_deref() {
        None | Some("") => None,
        Some(v) => Some(
            v.parse::<u8>()
                .ok()
                .filter(|n| p.axes.iter().any(|a| a.number == *n))
                .ok_or_else(|| {
                    AppError::BadRequest(
                        "axe".into(),
                        format!("« {v} » n'est pas un axe du programme"),
                    )
                })?,
        ),
    };
    let columns = coverage_columns(c);
    let slugs: Vec<Option<Slug>> = columns.iter().map(|c| c.0.clone()).collect();
    let matrix = coverage(c, p, axis, &slugs);
    let mut gaps = 0;
    let rows = matrix
        .into_iter()
        .map(|(row, cells)| {
            let views = cells
                .iter()
                .zip(&slugs)
                .map(|(fiches, t)| {
                    if fiches.is_empty() {
                        gaps += 1;
                    }
                    CellView {
                        count: fiches.len(),
                        count_text: count(fiches.len(), "aucune action", "action", "actions"),
                        href: cell_href(row, axis, t.as_ref()),
                        fiches: fiches
                            .iter()
                            .map(u32::to_string)
                            .collect::<Vec<_>>()
                            .join(", "),
                    }
                })
                .collect();
            (row.label(), views)
        })
        .collect();
    let page = CoveragePage {
        meta: Meta::new(
            "Couverture des publics et des territoires",
            &s.here,
            Nav::None,
        ),
        programme: fr(&p.title),
        axis_label: axis.map_or_else(|| "tous les axes".to_owned(), |n| format!("axe {n}")),
        columns: columns.into_iter().map(|c| c.1).collect(),
        rows,
        axes: std::iter::once((
            "/bilan/couverture".to_owned(),
            "Tous les axes".to_owned(),
            axis.is_none(),
        ))
        .chain(p.axes.iter().map(|x| {
            (
                format!("/bilan/couverture?axe={}", x.number),
                format!("Axe {}", x.number),
                axis == Some(x.number),
            )
        }))
        .collect(),
        gaps: count(gaps, "aucune case vide", "case vide", "cases vides"),
    };
    render(&page)
}

/// `GET /bilan.csv`: one line per action, indicator and year (UTF-8 with
/// BOM, `;`), the way a French spreadsheet opens it.
pub(crate) async fn csv(viewer: Viewer, s: Seen) -> Result<Response, AppError> {
    let p = s
        .catalogue
        .current_programme()
        .ok_or_else(|| AppError::NotFound("Aucun programme.".into()))?;
    let all = viewer.is_professional(s.catalogue.cite.slug.as_str());
    let mut out = String::from(
        "\u{feff}Fiche;Action;Axe;Année;Statut;Indicateur;Unité;Objectif;Valeur;Validée\r\n",
    );
    for a in &p.actions {
        for year in years(p) {
            let status = a
                .review
                .years
                .iter()
                .find(|y| y.year == year)
                .map(|y| y.status.label())
                .unwrap_or("");
            let mut line = |indicator: &str, unit: &str, target: &str, value: &str, ok: &str| {
                let fields = [
                    a.fiche.to_string(),
                    a.title.clone(),
                    a.axis.to_string(),
                    year.to_string(),
                    status.to_owned(),
                    indicator.to_owned(),
                    unit.to_owned(),
                    target.to_owned(),
                    value.to_owned(),
                    ok.to_owned(),
                ];
                out.push_str(
                    &fields
                        .iter()
                        .map(|f| csv_field(f))
                        .collect::<Vec<_>>()
                        .join(";"),
                );
                out.push_str("\r\n");
            };
            if a.review.indicators.is_empty() {
                if !status.is_empty() {
                    line("", "", "", "", "");
                }
                continue;
            }
            for i in &a.review.indicators {
                let (value, ok) = visible(i, year, all).map_or((String::new(), ""), |(v, ok)| {
                    (number(v), if ok { "oui" } else { "non" })
                });
                let target = i.target.map(|t| t.french()).unwrap_or_default();
                line(&i.label, &i.unit, &target, &value, ok);
            }
        }
    }
    let mut res = out.into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    res.headers_mut().insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("attachment; filename=\"bilan.csv\""),
    );
    Ok(res)
}
