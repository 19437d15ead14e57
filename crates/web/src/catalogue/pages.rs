//! The programme: home, axis, action and search pages.

use askama::Template;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, header};
use axum::response::{Html, IntoResponse, Response};
use passerelle_domain::text::fold;
use passerelle_domain::{Action, ActionFilter, OperatorRole, PerimeterSource, Programme, Theme};
use passerelle_search::FacetCount;
use serde_json::json;

use super::views::{ActionCard, Link, card, related};
use crate::shared::ctx::Seen;
use crate::shared::error::AppError;
use crate::shared::i18n::{Lang, preferred};
use crate::shared::layout::{Meta, Nav, json_ld, render};
use crate::shared::params::{self, PAGE, encode, query_string};
use crate::shared::state::{AppState, Snapshot};
use crate::shared::text::{ages, fr};

fn programme(s: &Snapshot) -> Result<&Programme, AppError> {
    s.programme()
        .ok_or_else(|| AppError::NotFound("Aucun programme n'est encore chargé.".into()))
}

pub(crate) struct AxisCard {
    pub(crate) number: u8,
    pub(crate) title: String,
    pub(crate) ambition: String,
    pub(crate) href: String,
    pub(crate) count: usize,
}

#[derive(Template)]
#[template(path = "catalogue/home.html")]
pub(crate) struct HomePage {
    pub(crate) meta: Meta,
    /// The family pages offered in the language the browser prefers.
    pub(crate) family_offer: Option<FamilyOffer>,
    pub(crate) cite: String,
    pub(crate) presentation: String,
    pub(crate) programme: String,
    pub(crate) axes: Vec<AxisCard>,
    pub(crate) actions: usize,
    pub(crate) organisations: usize,
    pub(crate) people: usize,
    pub(crate) themes: Vec<Link>,
    /// Its national identity, as entered: (label, value), none when empty.
    pub(crate) identity: Vec<(&'static str, String)>,
}

/// A link to the family pages, written in their language.
pub(crate) struct FamilyOffer {
    pub(crate) code: &'static str,
    pub(crate) rtl: bool,
    pub(crate) text: String,
    pub(crate) href: String,
}

pub(crate) async fn home(s: Seen, headers: HeaderMap) -> Result<Response, AppError> {
    let p = programme(&s)?;
    let c = &s.catalogue;
    let preferred = preferred(
        headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok()),
    );
    let page = HomePage {
        family_offer: (preferred != Lang::Fr).then(|| FamilyOffer {
            code: preferred.code(),
            rtl: preferred.rtl(),
            text: preferred.t("home-family-offer"),
            href: s
                .here
                .url(&format!("{}/orienter/fiche", preferred.prefix())),
        }),
        meta: Meta::new(&c.cite.name, &s.here, Nav::Home).describe(format!(
            "Les actions de la {} pour les enfants, les jeunes et leurs familles.",
            c.cite.name
        )),
        cite: fr(&c.cite.name),
        presentation: s.markdown(&c.cite.presentation).to_string(),
        identity: [
            (
                "Identifiant national",
                c.cite.national_id.clone().unwrap_or_default(),
            ),
            ("Communes", c.cite.communes.join(", ")),
            ("Quartiers prioritaires (QPV)", c.cite.qpv.join(", ")),
        ]
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .collect(),
        programme: fr(&p.title),
        axes: p
            .axes
            .iter()
            .map(|a| AxisCard {
                number: a.number,
                title: fr(&a.title),
                ambition: fr(&a.ambition),
                href: format!("/axes/{}", a.number),
                count: p.actions.iter().filter(|x| x.axis == a.number).count(),
            })
            .collect(),
        actions: p.actions.len(),
        organisations: c.organisations.len(),
        people: c.people.len(),
        themes: Theme::ALL
            .iter()
            .map(|t| Link {
                href: format!("/actions?theme={}", t.key()),
                label: t.label().to_owned(),
            })
            .collect(),
    };
    Ok(([(header::VARY, "Accept-Language")], render(&page)?).into_response())
}

#[derive(Template)]
#[template(path = "catalogue/axis.html")]
pub(crate) struct AxisPage {
    pub(crate) meta: Meta,
    pub(crate) number: u8,
    pub(crate) title: String,
    pub(crate) heading: String,
    pub(crate) ambition: String,
    pub(crate) actions: Vec<ActionCard>,
}

pub(crate) async fn axis(s: Seen, Path(n): Path<String>) -> Result<Html<String>, AppError> {
    let p = programme(&s)?;
    let axis = n
        .parse::<u8>()
        .ok()
        .and_then(|n| p.axes.iter().find(|a| a.number == n))
        .ok_or_else(|| {
            AppError::NotFound(format!("Il n'y a pas d'axe « {n} » dans la {}.", p.title))
        })?;
    let page = AxisPage {
        meta: Meta::new(
            format!("Axe {} : {}", axis.number, axis.title),
            &s.here,
            Nav::Actions,
        ),
        number: axis.number,
        title: fr(&axis.title),
        heading: fr(&axis.heading),
        ambition: fr(&axis.ambition),
        actions: p
            .actions
            .iter()
            .filter(|a| a.axis == axis.number)
            .map(|a| card(p, a, &[]))
            .collect(),
    };
    render(&page)
}

pub(crate) struct ContactView {
    pub(crate) name: String,
    pub(crate) person_href: String,
    pub(crate) group: String,
    pub(crate) email: Option<String>,
    pub(crate) phone: Option<String>,
    pub(crate) phone_uri: Option<String>,
}

pub(crate) struct PlaceView {
    pub(crate) name: String,
    pub(crate) href: String,
    pub(crate) note: &'static str,
}

pub(crate) struct OrgLink {
    pub(crate) label: String,
    pub(crate) href: Option<String>,
    pub(crate) role: String,
}

/// One action's sheet as the action page and the HTML booklet show it.
pub(crate) struct SheetView {
    pub(crate) fiche: u32,
    pub(crate) title: String,
    pub(crate) title_variants: Vec<String>,
    pub(crate) inferred: bool,
    pub(crate) axis: Link,
    pub(crate) description: String,
    pub(crate) objectives: Vec<String>,
    pub(crate) audiences: Vec<String>,
    pub(crate) places: Vec<PlaceView>,
    pub(crate) partners: Vec<OrgLink>,
    pub(crate) operators: Vec<OrgLink>,
    pub(crate) contacts: Vec<ContactView>,
    pub(crate) resources: Vec<Link>,
    pub(crate) themes: Vec<Link>,
}

#[derive(Template)]
#[template(path = "catalogue/action.html")]
pub(crate) struct ActionPage {
    pub(crate) meta: Meta,
    pub(crate) sheet: SheetView,
    /// The level of the sheet's title: the page's `h1`.
    pub(crate) level: u8,
    pub(crate) related: Vec<ActionCard>,
    pub(crate) json_ld: String,
    /// The viewer sends referrals: the page offers one to this action.
    pub(crate) refer: bool,
}

fn org_href(slug: &passerelle_domain::Slug) -> String {
    format!("/annuaire/organisations/{slug}")
}

pub(crate) async fn action(
    State(state): State<AppState>,
    s: Seen,
    Path(n): Path<String>,
) -> Result<Response, AppError> {
    if let Some(fiche) = n.strip_suffix(".pdf") {
        return super::booklet::sheet_pdf(&state, &s, fiche).await;
    }
    let (p, a) = fiche(&s, &n)?;
    let page = ActionPage {
        meta: Meta::new(
            format!("Fiche n°{} : {}", a.fiche, a.title),
            &s.here,
            Nav::Actions,
        )
        .describe(super::views::excerpt(&a.description, 160))
        .alternate_pdf(format!("/actions/{}.pdf", a.fiche)),
        sheet: sheet_view(&s, p, a),
        level: 1,
        related: related(&s.catalogue, p, a, 3)
            .into_iter()
            .map(|b| card(p, b, &[]))
            .collect(),
        json_ld: json_ld(&action_json_ld(&s, a)),
        refer: s.may_refer(),
    };
    Ok(render(&page)?.into_response())
}

/// The action of the current programme numbered `n` (as in the URL).
pub(super) fn fiche<'a>(s: &'a Snapshot, n: &str) -> Result<(&'a Programme, &'a Action), AppError> {
    n.parse::<u32>()
        .ok()
        .and_then(|n| s.action(n))
        .ok_or_else(|| {
            AppError::NotFound(format!("Il n'y a pas de fiche n°{n} dans le programme."))
        })
}

/// An action's sheet, every field.
pub(crate) fn sheet_view(s: &Snapshot, p: &Programme, a: &Action) -> SheetView {
    let c = &s.catalogue;
    let axis = p.axes.iter().find(|x| x.number == a.axis);
    SheetView {
        fiche: a.fiche.get(),
        title: fr(&a.title),
        title_variants: a.title_variants.iter().map(|t| fr(t)).collect(),
        inferred: a.inferred.any(),
        axis: Link {
            href: format!("/axes/{}", a.axis),
            label: axis.map_or_else(
                || format!("Axe {}", a.axis),
                |x| fr(&format!("Axe {} : {}", x.number, x.title)),
            ),
        },
        description: s.markdown(&a.description).to_string(),
        objectives: a
            .objectives
            .iter()
            .map(|o| s.markdown_inline(o).to_string())
            .collect(),
        audiences: a
            .audiences
            .iter()
            .map(|x| {
                let mut s = x.label.clone();
                if let Some(r) = x.ages {
                    s.push_str(&format!(", {}", ages(r)));
                }
                if let Some(n) = &x.note {
                    s.push_str(&format!(" ({n})"));
                }
                fr(&s)
            })
            .collect(),
        places: a
            .perimeter
            .iter()
            .filter_map(|e| {
                let t = c.territory(&e.territory)?;
                Some(PlaceView {
                    name: fr(&t.name),
                    href: format!("/annuaire/territoires/{}", t.slug),
                    note: match e.source {
                        PerimeterSource::Printed => "",
                        PerimeterSource::Title => "d'après le titre de la fiche",
                        PerimeterSource::Text => "lieu cité dans la description",
                    },
                })
            })
            .collect(),
        partners: a
            .partners
            .iter()
            .map(|x| OrgLink {
                label: fr(&x.label),
                href: x.organisation.as_ref().map(org_href),
                role: String::new(),
            })
            .collect(),
        operators: a
            .operators
            .iter()
            .map(|o| OrgLink {
                label: fr(&match o.count {
                    Some(n) => format!("{n} {}", o.label),
                    None => o.label.clone(),
                }),
                href: o.organisation.as_ref().map(org_href),
                role: match o.role {
                    OperatorRole::Operateur => "opérateur".into(),
                    OperatorRole::Prestataire => "prestataire".into(),
                },
            })
            .collect(),
        contacts: a
            .contacts
            .iter()
            .map(|x| {
                let person = c.person(&x.person);
                let phone = x
                    .phone
                    .as_ref()
                    .and_then(|p| passerelle_domain::Phone::parse(p).ok());
                ContactView {
                    name: person.map_or_else(|| x.name.clone(), |p| p.name.clone()),
                    person_href: format!("/annuaire/personnes/{}", x.person),
                    group: fr(&x.group),
                    email: x
                        .email
                        .as_ref()
                        .filter(|e| passerelle_domain::Email::parse(e).is_ok())
                        .cloned(),
                    phone: phone
                        .as_ref()
                        .map(|p| p.to_string())
                        .or_else(|| x.phone.clone()),
                    phone_uri: phone.map(|p| p.uri()),
                }
            })
            .collect(),
        resources: a
            .resources
            .iter()
            .map(|r| Link {
                href: r.url.clone(),
                label: fr(&r.title),
            })
            .collect(),
        themes: a
            .themes
            .iter()
            .map(|t| Link {
                href: format!("/actions?theme={}", t.key()),
                label: t.label().to_owned(),
            })
            .collect(),
    }
}

fn action_json_ld(s: &Snapshot, a: &Action) -> serde_json::Value {
    let c = &s.catalogue;
    let orgs: Vec<serde_json::Value> = a
        .operators
        .iter()
        .map(|o| json!({"@type": "Organization", "name": o.label}))
        .collect();
    let (min, max) = a
        .age_ranges()
        .fold((None::<u32>, None::<u32>), |(lo, hi), r| {
            (
                Some(lo.map_or(r.min(), |l| l.min(r.min()))),
                Some(hi.map_or(r.max(), |h| h.max(r.max()))),
            )
        });
    let mut audience = json!({"@type": "PeopleAudience", "audienceType": a.audiences.iter().map(|x| x.label.clone()).collect::<Vec<_>>().join(", ")});
    if let (Some(min), Some(max)) = (min, max) {
        audience["suggestedMinAge"] = json!(min);
        audience["suggestedMaxAge"] = json!(max);
    }
    let area: Vec<String> = if a.perimeter.is_empty() {
        vec![c.cite.city.clone()]
    } else {
        a.perimeter
            .iter()
            .filter_map(|e| c.territory(&e.territory))
            .map(|t| t.name.clone())
            .collect()
    };
    json!({
        "@context": "https://schema.org",
        "@type": "GovernmentService",
        "name": a.title,
        "identifier": format!("fiche-{}", a.fiche),
        "description": super::views::excerpt(&a.description, 500),
        "provider": {"@type": "GovernmentOrganization", "name": c.cite.name},
        "serviceOperator": orgs,
        "audience": audience,
        "areaServed": area,
    })
}

pub(crate) struct FacetView {
    pub(crate) name: &'static str,
    pub(crate) values: Vec<FacetLink>,
}

pub(crate) struct FacetLink {
    pub(crate) label: String,
    pub(crate) count: usize,
    pub(crate) href: String,
    pub(crate) active: bool,
}

#[derive(Template)]
#[template(path = "catalogue/search.html")]
pub(crate) struct SearchPage {
    pub(crate) meta: Meta,
    pub(crate) q: String,
    pub(crate) age: String,
    pub(crate) results: Vec<ActionCard>,
    pub(crate) total: usize,
    pub(crate) facets: Vec<FacetView>,
    pub(crate) active: Vec<Link>,
    pub(crate) suggestions: Vec<Link>,
    pub(crate) organisations: Vec<Link>,
    pub(crate) people: Vec<Link>,
    pub(crate) themes: Vec<(String, String, bool)>,
    pub(crate) any_filter: bool,
}

/// The link that toggles one filter value, keeping the rest of the search.
fn toggle(
    q: &str,
    filter: &ActionFilter,
    apply: impl Fn(&mut ActionFilter) -> bool,
) -> (String, bool) {
    let mut f = filter.clone();
    let was_active = apply(&mut f);
    (
        format!("/actions?{}", encode(&query_string(q, &f, PAGE))),
        was_active,
    )
}

fn facet_links(
    counts: &[FacetCount],
    q: &str,
    filter: &ActionFilter,
    set: impl Fn(&mut ActionFilter, &str) -> bool,
) -> Vec<FacetLink> {
    counts
        .iter()
        .map(|c| {
            let (href, active) = toggle(q, filter, |f| set(f, &c.key));
            FacetLink {
                label: fr(&c.label),
                count: c.count,
                href,
                active,
            }
        })
        .collect()
}

/// Sets `slot` to `value`, or clears it when it already holds it; says which.
fn set_or_clear<T: PartialEq>(slot: &mut Option<T>, value: Option<T>) -> bool {
    if value.is_some() && *slot == value {
        *slot = None;
        true
    } else {
        *slot = value;
        false
    }
}

pub(crate) async fn search(s: Seen, RawQuery(raw): RawQuery) -> Result<Html<String>, AppError> {
    let p = programme(&s)?;
    let pairs = params::pairs(raw.as_deref())?;
    let (q, filter) = params::filter(&pairs, PAGE)?;
    let results = s.index.search(&s.catalogue, &q, &filter)?;
    let stems = s.index.stems(&q);
    let actions: Vec<ActionCard> = results
        .actions
        .iter()
        .filter_map(|h| h.action(&s.catalogue))
        .filter(|(programme, _)| programme.slug == p.slug)
        .map(|(_, a)| a)
        .map(|a| card(p, a, &stems))
        .collect();
    let f = &results.facets;
    let facets = vec![
        FacetView {
            name: "Axe",
            values: facet_links(&f.axis, &q, &filter, |x, k| {
                set_or_clear(&mut x.axis, k.parse().ok())
            }),
        },
        FacetView {
            name: "Public",
            values: facet_links(&f.audience, &q, &filter, |x, k| {
                set_or_clear(
                    &mut x.audience,
                    passerelle_domain::AudienceKind::from_key(k),
                )
            }),
        },
        FacetView {
            name: "Âge",
            values: facet_links(&f.age, &q, &filter, |x, k| {
                x.age = None;
                let band = k.split_once('-').and_then(|(a, b)| {
                    passerelle_domain::AgeRange::new(a.parse().ok()?, b.parse().ok()?).ok()
                });
                set_or_clear(&mut x.ages, band)
            }),
        },
        FacetView {
            name: "Besoin",
            values: facet_links(&f.theme, &q, &filter, |x, k| match Theme::from_key(k) {
                Some(t) if x.themes.contains(&t) => {
                    x.themes.retain(|y| *y != t);
                    true
                }
                Some(t) => {
                    x.themes.push(t);
                    false
                }
                None => false,
            }),
        },
        FacetView {
            name: "Territoire",
            values: facet_links(&f.territory, &q, &filter, |x, k| {
                set_or_clear(&mut x.territory, passerelle_domain::Slug::parse(k).ok())
            }),
        },
        FacetView {
            name: "Partenaire",
            values: facet_links(&f.partner, &q, &filter, |x, k| {
                set_or_clear(&mut x.partner, passerelle_domain::Slug::parse(k).ok())
            }),
        },
        FacetView {
            name: "Opérateur",
            values: facet_links(&f.operator, &q, &filter, |x, k| {
                set_or_clear(&mut x.operator, passerelle_domain::Slug::parse(k).ok())
            }),
        },
    ]
    .into_iter()
    .filter(|f| !f.values.is_empty())
    .collect();
    let mut active = Vec::new();
    for (key, value) in query_string("", &filter, PAGE) {
        let remaining: Vec<(&str, String)> = query_string(&q, &filter, PAGE)
            .into_iter()
            .filter(|(k, v)| !(*k == key && *v == value))
            .collect();
        let label = match key {
            "age" => format!("Âge : {value}"),
            "axe" => format!("Axe {value}"),
            "theme" => Theme::from_key(&value).map_or(value.clone(), |t| t.label().to_owned()),
            "territoire" => s
                .catalogue
                .territory(&passerelle_domain::Slug::from_text(&value))
                .map_or(value.clone(), |t| t.name.clone()),
            _ => value.clone(),
        };
        active.push(Link {
            href: format!("/actions?{}", encode(&remaining)),
            label: fr(&format!("Retirer le filtre « {label} »")),
        });
    }
    let suggestions = if actions.is_empty() {
        did_you_mean(&s, &q)
    } else {
        Vec::new()
    };
    let page = SearchPage {
        meta: Meta::new(
            if q.is_empty() {
                "Trouver une action".to_owned()
            } else {
                format!("Recherche « {q} »")
            },
            &s.here,
            Nav::Actions,
        ),
        age: filter.age.map(|a| a.to_string()).unwrap_or_default(),
        total: actions.len(),
        results: actions,
        facets,
        active,
        suggestions,
        organisations: results
            .organisations
            .iter()
            .take(5)
            .filter(|_| !q.is_empty())
            .filter_map(|h| {
                s.catalogue
                    .organisations
                    .iter()
                    .find(|o| o.slug.as_str() == h.id)
            })
            .map(|o| Link {
                href: org_href(&o.slug),
                label: fr(&o.name),
            })
            .collect(),
        people: results
            .people
            .iter()
            .take(5)
            .filter(|_| !q.is_empty())
            .filter_map(|h| s.catalogue.people.iter().find(|x| x.slug.as_str() == h.id))
            .map(|x| Link {
                href: format!("/annuaire/personnes/{}", x.slug),
                label: x.name.clone(),
            })
            .collect(),
        themes: Theme::ALL
            .iter()
            .map(|t| {
                (
                    t.key().to_owned(),
                    t.label().to_owned(),
                    filter.themes.contains(t),
                )
            })
            .collect(),
        any_filter: !filter.is_empty(),
        q,
    };
    render(&page)
}

/// For a search that found nothing: the closest words of the catalogue to
/// each word typed (two letters away at most), and broader searches.
fn did_you_mean(s: &Snapshot, q: &str) -> Vec<Link> {
    let mut vocabulary: Vec<String> = Vec::new();
    for (_, a) in s.catalogue.actions() {
        for w in format!("{} {}", a.title, a.description).split(|c: char| !c.is_alphabetic()) {
            if w.chars().count() >= 4 {
                vocabulary.push(w.to_lowercase());
            }
        }
    }
    vocabulary.sort();
    vocabulary.dedup();
    let mut corrected = Vec::new();
    let mut changed = false;
    for word in q.split_whitespace() {
        let f = fold(word);
        let best = vocabulary
            .iter()
            .map(|v| (strsim::levenshtein(&fold(v), &f), v))
            .filter(|(d, _)| *d <= 2)
            .min_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(b.1)));
        match best {
            Some((d, v)) if d > 0 => {
                corrected.push(v.clone());
                changed = true;
            }
            _ => corrected.push(word.to_owned()),
        }
    }
    let mut out = Vec::new();
    if changed {
        let q2 = corrected.join(" ");
        out.push(Link {
            href: format!("/actions?{}", encode(&[("q", q2.clone())])),
            label: fr(&format!("Rechercher « {q2} »")),
        });
    }
    out
}
