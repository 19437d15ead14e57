//! The national pages: the cités, and the search across them.

use askama::Template;
use axum::extract::{RawQuery, State};
use axum::response::Html;
use passerelle_domain::{ActionStatus, Catalogue};

use crate::shared::ctx::Viewer;
use crate::shared::error::AppError;
use crate::shared::layout::{Meta, Nav, render};
use crate::shared::params;
use crate::shared::state::{AppState, Snapshot};
use crate::shared::text::fr;

/// One cité as the national list shows it.
pub(crate) struct CiteRow {
    pub(crate) name: String,
    pub(crate) href: String,
    pub(crate) programme: Option<String>,
    pub(crate) actions: usize,
    pub(crate) next_event: Option<(String, String)>,
    /// Actions by review status (only the statuses some action has).
    pub(crate) statuses: Vec<(String, usize)>,
    pub(crate) national_id: Option<String>,
    pub(crate) communes: Vec<String>,
}

#[derive(Template)]
#[template(path = "national/home.html")]
pub(crate) struct HomePage {
    pub(crate) meta: Meta,
    pub(crate) cites: Vec<CiteRow>,
    pub(crate) total_actions: usize,
}

/// Today, as the dates of events are written (`2026-12-01`).
fn today() -> String {
    crate::shared::text::paris_today().iso()
}

pub(crate) fn row(root: &str, c: &Catalogue, today: &str) -> CiteRow {
    let programme = c.current_programme();
    let next_event = c
        .seminars
        .iter()
        .filter(|e| e.date.iso().as_str() >= today)
        .min_by_key(|e| e.date.iso())
        .map(|e| {
            (
                fr(&format!("{} ({})", e.title, e.date.french())),
                format!("{root}/seminaire/{}", e.slug),
            )
        });
    let statuses = ActionStatus::ALL
        .iter()
        .map(|s| {
            let n = c
                .actions()
                .filter(|(_, a)| a.review.latest().map(|y| y.status) == Some(*s))
                .count();
            (s.label().to_owned(), n)
        })
        .filter(|(_, n)| *n > 0)
        .collect();
    CiteRow {
        name: c.cite.name.clone(),
        href: format!("{root}/"),
        programme: programme.map(|p| fr(&p.title)),
        actions: c.actions().count(),
        next_event,
        statuses,
        national_id: c.cite.national_id.clone(),
        communes: c.cite.communes.clone(),
    }
}

/// Each cité's snapshot as this viewer may see it, with its root.
pub(crate) fn cites(state: &AppState) -> Vec<(String, std::sync::Arc<Snapshot>)> {
    state
        .cites
        .all()
        .iter()
        .map(|t| (format!("/{}", t.slug()), t.snapshot()))
        .collect()
}

/// `GET /` when the instance holds several cités.
pub(crate) async fn home(
    State(state): State<AppState>,
    viewer: Viewer,
) -> Result<Html<String>, AppError> {
    let today = today();
    let rows: Vec<CiteRow> = cites(&state)
        .iter()
        .map(|(root, s)| row(root, &s.view(&viewer).catalogue, &today))
        .collect();
    render(&HomePage {
        meta: Meta::national("Les cités éducatives", Nav::Home).describe(
            "Les programmes des cités éducatives servies par cette instance de Passerelle.",
        ),
        total_actions: rows.iter().map(|r| r.actions).sum(),
        cites: rows,
    })
}

/// How many results a page of the national search shows.
const PAGE_SIZE: usize = 20;

/// One action found by the national search.
pub(crate) struct Found {
    pub(crate) cite: String,
    pub(crate) href: String,
    pub(crate) title: String,
    pub(crate) fiche: u32,
    pub(crate) audiences: Vec<String>,
}

#[derive(Template)]
#[template(path = "national/search.html")]
pub(crate) struct SearchPage {
    pub(crate) meta: Meta,
    pub(crate) q: String,
    pub(crate) age: String,
    pub(crate) cite: String,
    /// The same search in every cité.
    pub(crate) all_cites: String,
    /// (slug, name, count, link to the same search in that cité only).
    pub(crate) facet: Vec<(String, String, usize, String)>,
    /// By need and by public: (label, count, link that adds or removes it,
    /// whether it is chosen).
    pub(crate) themes: Vec<(&'static str, usize, String, bool)>,
    pub(crate) audiences: Vec<(&'static str, usize, String, bool)>,
    /// This page's results, the best first.
    pub(crate) results: Vec<Found>,
    /// How many there are in all.
    pub(crate) total: usize,
    /// The number of this page's first result.
    pub(crate) first: usize,
    pub(crate) previous: Option<String>,
    pub(crate) next: Option<String>,
}

/// What the national search found: every action, the best first across
/// cités, as (programme, action) positions in the national index's
/// catalogue — only the page shown is turned into [`Found`].
pub(crate) struct NationalHits {
    national: std::sync::Arc<crate::shared::derived::NationalIndex>,
    hits: Vec<(f32, usize, usize)>,
}

impl NationalHits {
    /// How many hits each cité has, in the instance's order: (slug, name, count).
    pub(crate) fn per_cite(&self, state: &AppState) -> Vec<(String, String, usize)> {
        let mut out: Vec<(String, String, usize)> = state
            .cites
            .all()
            .iter()
            .map(|t| {
                (
                    t.slug().to_owned(),
                    t.snapshot().catalogue.cite.name.clone(),
                    0,
                )
            })
            .collect();
        for (_, p, _) in &self.hits {
            if let Some((i, ..)) = self.national.owners.get(*p)
                && let Some(row) = out.get_mut(*i)
            {
                row.2 += 1;
            }
        }
        out
    }

    /// The hits, in one cité only when `chosen` names it: (cité slug, found).
    pub(crate) fn ranked<'a>(
        &'a self,
        chosen: &'a str,
    ) -> impl Iterator<Item = (&'a str, (f32, usize, usize))> + 'a {
        self.hits.iter().filter_map(move |h| {
            let (_, slug, ..) = self.national.owners.get(h.1)?;
            (chosen.is_empty() || slug == chosen).then_some((slug.as_str(), *h))
        })
    }

    /// The action a hit is.
    pub(crate) fn action(
        &self,
        (_, p, a): (f32, usize, usize),
    ) -> Option<&passerelle_domain::Action> {
        self.national.catalogue.programmes.get(p)?.actions.get(a)
    }

    /// One hit, ready to show.
    pub(crate) fn found(&self, (_, p, a): (f32, usize, usize)) -> Option<Found> {
        let (_, _, name, root) = self.national.owners.get(p)?;
        let action = self.national.catalogue.programmes.get(p)?.actions.get(a)?;
        Some(Found {
            cite: name.clone(),
            href: format!("{root}/actions/{}", action.fiche),
            title: fr(&action.title),
            fiche: action.fiche.get(),
            audiences: action.audiences.iter().map(|x| fr(&x.label)).collect(),
        })
    }
}

/// The national search: one search over the national index (every cité's
/// actions as the public sees them), so that scores compare across cités;
/// after a write, the previous index answers while the next is built.
pub(crate) async fn search_all(
    state: &AppState,
    q: &str,
    filter: &passerelle_domain::ActionFilter,
) -> Result<NationalHits, AppError> {
    let national = crate::shared::derived::national_index(state).await?;
    let hits = national
        .index
        .search_actions(&national.catalogue, q, filter)?
        .into_iter()
        .filter_map(|h| h.position.map(|(p, a)| (h.score, p, a)))
        .collect();
    Ok(NationalHits { national, hits })
}

/// `GET /recherche?q=…&age=…&cite=…` when the instance holds several cités.
pub(crate) async fn search(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Html<String>, AppError> {
    let pairs = params::pairs(raw.as_deref())?;
    let (q, filter) = params::filter(&pairs, params::PAGE)?;
    let chosen = params::get(&pairs, "cite").unwrap_or("").to_owned();
    let found = search_all(&state, &q, &filter).await?;
    let age = filter.age.map(|a| a.to_string()).unwrap_or_default();
    // What every link of the page keeps: the words, the age, the needs and
    // the public chosen.
    let mut base: Vec<(&str, String)> = vec![("q", q.clone())];
    if !age.is_empty() {
        base.push(("age", age.clone()));
    }
    for t in &filter.themes {
        base.push(("theme", t.key().to_owned()));
    }
    if let Some(a) = filter.audience {
        base.push(("public", a.key().to_owned()));
    }
    let with = |extra: &[(&str, String)], without: Option<(&str, &str)>| {
        let mut query: Vec<(&str, String)> = base
            .iter()
            .filter(|(k, v)| without.is_none_or(|(wk, wv)| *k != wk || v != wv))
            .cloned()
            .collect();
        query.extend(extra.iter().cloned());
        format!("/recherche?{}", params::encode(&query))
    };
    let in_cite: Vec<(&str, String)> = if chosen.is_empty() {
        Vec::new()
    } else {
        vec![("cite", chosen.clone())]
    };
    let mut theme_counts = [0usize; passerelle_domain::Theme::ALL.len()];
    let mut audience_counts = [0usize; passerelle_domain::AudienceKind::ALL.len()];
    for (_, h) in found.ranked(&chosen) {
        let Some(a) = found.action(h) else { continue };
        for (i, t) in passerelle_domain::Theme::ALL.iter().enumerate() {
            if a.themes.contains(t) {
                theme_counts[i] += 1;
            }
        }
        for (i, k) in passerelle_domain::AudienceKind::ALL.iter().enumerate() {
            if a.audiences.iter().any(|x| x.kind == *k) {
                audience_counts[i] += 1;
            }
        }
    }
    let themes = passerelle_domain::Theme::ALL
        .iter()
        .zip(theme_counts)
        .filter(|(t, n)| *n > 0 || filter.themes.contains(t))
        .map(|(t, n)| {
            let chosen_now = filter.themes.contains(t);
            let href = if chosen_now {
                with(&in_cite, Some(("theme", t.key())))
            } else {
                let mut extra = in_cite.clone();
                extra.push(("theme", t.key().to_owned()));
                with(&extra, None)
            };
            (t.label(), n, href, chosen_now)
        })
        .collect();
    let audiences = passerelle_domain::AudienceKind::ALL
        .iter()
        .zip(audience_counts)
        .filter(|(k, n)| *n > 0 || filter.audience == Some(**k))
        .map(|(k, n)| {
            let chosen_now = filter.audience == Some(*k);
            let href = if chosen_now {
                with(&in_cite, Some(("public", k.key())))
            } else {
                let mut extra = in_cite.clone();
                extra.push(("public", k.key().to_owned()));
                with(
                    &extra,
                    Some(("public", filter.audience.map_or("", |a| a.key()))),
                )
            };
            (k.label(), n, href, chosen_now)
        })
        .collect();
    let facet = found
        .per_cite(&state)
        .into_iter()
        .filter(|(_, _, n)| *n > 0)
        .map(|(slug, name, n)| {
            let href = with(&[("cite", slug.clone())], None);
            (slug, name, n, href)
        })
        .collect();
    let page: usize = match params::get(&pairs, "page") {
        None | Some("") => 1,
        Some(p) => p.parse().ok().filter(|p| *p >= 1).ok_or_else(|| {
            AppError::BadRequest("page".into(), "un numéro de page (1, 2, …)".into())
        })?,
    };
    let total = found.ranked(&chosen).count();
    let first = (page - 1).saturating_mul(PAGE_SIZE);
    let results: Vec<Found> = found
        .ranked(&chosen)
        .skip(first)
        .take(PAGE_SIZE)
        .filter_map(|(_, h)| found.found(h))
        .collect();
    let link = |page: usize| {
        let mut extra = in_cite.clone();
        extra.push(("page", page.to_string()));
        with(&extra, None)
    };
    let previous = (page > 1 && first <= total).then(|| link(page - 1));
    let next = (first + PAGE_SIZE < total).then(|| link(page + 1));
    let title = if q.is_empty() {
        "Chercher dans toutes les cités".to_owned()
    } else {
        format!("Recherche « {q} » dans toutes les cités")
    };
    render(&SearchPage {
        meta: Meta::national(title, Nav::Actions),
        q,
        age,
        all_cites: with(&[], None),
        cite: chosen,
        facet,
        themes,
        audiences,
        results,
        total,
        first: first + 1,
        previous,
        next,
    })
}
