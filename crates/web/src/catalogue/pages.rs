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
    /// "Axe 2", in the page's language.
    pub(crate) label: String,
    pub(crate) title: String,
    pub(crate) ambition: String,
    pub(crate) href: String,
    /// "9 actions", in the page's language.
    pub(crate) count: String,
}

#[derive(Template)]
#[template(path = "catalogue/home.html")]
pub(crate) struct HomePage {
    pub(crate) meta: Meta,
    /// The family pages offered in the language the browser prefers.
    pub(crate) family_offer: Option<FamilyOffer>,
    pub(crate) cite: String,
    pub(crate) presentation: String,
    pub(crate) find_text: String,
    pub(crate) directory_text: String,
    pub(crate) axes_heading: String,
    pub(crate) axes: Vec<AxisCard>,
    pub(crate) themes: Vec<Link>,
    /// Its national identity, as entered: (label, value), none when empty.
    pub(crate) identity: Vec<(String, String)>,
}

/// A link to the family pages, written in their language.
pub(crate) struct FamilyOffer {
    pub(crate) code: &'static str,
    pub(crate) rtl: bool,
    pub(crate) text: String,
    pub(crate) href: String,
}

pub(crate) async fn home(s: Seen, lang: Lang, headers: HeaderMap) -> Result<Response, AppError> {
    let p = programme(&s)?;
    let c = &s.catalogue;
    let preferred = preferred(
        headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok()),
    );
    let programme_name = || fluent_bundle::FluentValue::from(fr(&p.title));
    let page = HomePage {
        family_offer: (lang == Lang::Fr && preferred != Lang::Fr).then(|| FamilyOffer {
            code: preferred.code(),
            rtl: preferred.rtl(),
            text: preferred.t("home-family-offer"),
            href: s
                .here
                .url(&format!("{}/orienter/fiche", preferred.prefix())),
        }),
        meta: Meta::new(&c.cite.name, &s.here, Nav::Home)
            .describe(lang.t_with("home-description", &[("cite", fr(&c.cite.name).into())]))
            .in_lang(lang, "/"),
        cite: fr(&c.cite.name),
        presentation: s.markdown(&c.cite.presentation).to_string(),
        identity: [
            (
                lang.t("home-national-id"),
                c.cite.national_id.clone().unwrap_or_default(),
            ),
            (lang.t("home-communes"), c.cite.communes.join(", ")),
            (lang.t("home-qpv"), c.cite.qpv.join(", ")),
        ]
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .collect(),
        find_text: lang.t_with(
            "home-find-text",
            &[
                ("n", p.actions.len().into()),
                ("programme", programme_name()),
            ],
        ),
        directory_text: lang.t_with(
            "home-directory-text",
            &[
                ("organisations", c.organisations.len().into()),
                ("people", c.people.len().into()),
            ],
        ),
        axes_heading: lang.t_with("home-axes", &[("programme", programme_name())]),
        axes: p
            .axes
            .iter()
            .map(|a| AxisCard {
                label: lang.t_with("axis-number", &[("n", a.number.into())]),
                title: fr(&a.title),
                ambition: fr(&a.ambition),
                href: format!("/axes/{}", a.number),
                count: lang.t_with(
                    "axis-count",
                    &[(
                        "n",
                        p.actions
                            .iter()
                            .filter(|x| x.axis == a.number)
                            .count()
                            .into(),
                    )],
                ),
            })
            .collect(),
        themes: Theme::ALL
            .iter()
            .map(|t| Link {
                href: format!("/actions?theme={}", t.key()),
                label: lang.theme(*t),
            })
            .collect(),
    };
    Ok(([(header::VARY, "Accept-Language")], render(&page)?).into_response())
}

#[derive(Template)]
#[template(path = "catalogue/axis.html")]
pub(crate) struct AxisPage {
    pub(crate) meta: Meta,
    /// "Axe 2", in the page's language.
    pub(crate) label: String,
    pub(crate) title: String,
    pub(crate) heading_note: String,
    pub(crate) ambition: String,
    pub(crate) actions_heading: String,
    pub(crate) actions: Vec<ActionCard>,
}

pub(crate) async fn axis(
    s: Seen,
    lang: Lang,
    Path(n): Path<String>,
) -> Result<Html<String>, AppError> {
    let p = programme(&s)?;
    let axis = n
        .parse::<u8>()
        .ok()
        .and_then(|n| p.axes.iter().find(|a| a.number == n))
        .ok_or_else(|| {
            AppError::NotFound(format!("Il n'y a pas d'axe « {n} » dans la {}.", p.title))
        })?;
    let label = lang.t_with("axis-number", &[("n", axis.number.into())]);
    let actions: Vec<ActionCard> = p
        .actions
        .iter()
        .filter(|a| a.axis == axis.number)
        .map(|a| card(p, a, &[], lang))
        .collect();
    let page = AxisPage {
        meta: Meta::new(format!("{label} : {}", axis.title), &s.here, Nav::Actions)
            .in_lang(lang, &format!("/axes/{}", axis.number)),
        label,
        title: fr(&axis.title),
        heading_note: lang.t_with(
            "axis-heading-note",
            &[("heading", fr(&axis.heading).into())],
        ),
        ambition: fr(&axis.ambition),
        actions_heading: lang.t_with("axis-actions", &[("n", actions.len().into())]),
        actions,
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
    pub(crate) note: String,
}

pub(crate) struct OrgLink {
    pub(crate) label: String,
    pub(crate) href: Option<String>,
    pub(crate) role: String,
}

/// One action's sheet as the action page and the HTML booklet show it.
pub(crate) struct SheetView {
    pub(crate) fiche: u32,
    /// "Fiche n°5", in the page's language.
    pub(crate) fiche_label: String,
    pub(crate) title: String,
    /// Its title in the page's language, when it is not French and the
    /// action has a translation.
    pub(crate) translated_title: Option<String>,
    /// That translation awaits a native speaker's review.
    pub(crate) unreviewed: bool,
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
    pub(crate) family_href: String,
}

fn org_href(slug: &passerelle_domain::Slug) -> String {
    format!("/annuaire/organisations/{slug}")
}

pub(crate) async fn action(
    State(state): State<AppState>,
    s: Seen,
    lang: Lang,
    Path(n): Path<String>,
) -> Result<Response, AppError> {
    if let Some(fiche) = n.strip_suffix(".pdf") {
        return super::booklet::sheet_pdf(&state, &s, fiche).await;
    }
    let (p, a) = fiche(&s, &n)?;
    let sheet = sheet_view(&s, p, a, lang);
    let page = ActionPage {
        meta: Meta::new(
            format!(
                "{} : {}",
                sheet.fiche_label,
                sheet.translated_title.as_deref().unwrap_or(&a.title)
            ),
            &s.here,
            Nav::Actions,
        )
        .describe(super::views::excerpt(&a.description, 160))
        .alternate_pdf(format!("/actions/{}.pdf", a.fiche))
        .in_lang(lang, &format!("/actions/{}", a.fiche)),
        sheet,
        level: 1,
        related: related(&s.catalogue, p, a, 3)
            .into_iter()
            .map(|b| card(p, b, &[], lang))
            .collect(),
        json_ld: json_ld(&action_json_ld(&s, a)),
        refer: s.may_refer(),
        family_href: format!("/actions/{}/familles", a.fiche),
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

/// An action's sheet, every field, on a page in `lang`: the interface's
/// words in that language, the texts as the fiche holds them (French).
pub(crate) fn sheet_view(s: &Snapshot, p: &Programme, a: &Action, lang: Lang) -> SheetView {
    let c = &s.catalogue;
    let axis = p.axes.iter().find(|x| x.number == a.axis);
    let translation = lang.translation(a);
    SheetView {
        fiche: a.fiche.get(),
        fiche_label: lang.t_with("fiche-number", &[("n", a.fiche.get().into())]),
        title: fr(&a.title),
        translated_title: translation.map(|t| t.title.trim().to_owned()),
        unreviewed: translation
            .is_some_and(|t| t.state != passerelle_domain::TranslationState::Relu),
        title_variants: a.title_variants.iter().map(|t| fr(t)).collect(),
        inferred: a.inferred.any(),
        axis: Link {
            href: format!("/axes/{}", a.axis),
            label: match axis {
                Some(x) if lang == Lang::Fr => fr(&format!("Axe {} : {}", x.number, x.title)),
                _ => lang.t_with("axis-number", &[("n", a.axis.into())]),
            },
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
                        PerimeterSource::Printed => String::new(),
                        PerimeterSource::Title => lang.t("fiche-place-from-title"),
                        PerimeterSource::Text => lang.t("fiche-place-from-text"),
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
                    OperatorRole::Operateur => lang.t("role-operator"),
                    OperatorRole::Prestataire => lang.t("role-provider"),
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
                label: lang.theme(*t),
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
    pub(crate) name: String,
    pub(crate) values: Vec<FacetLink>,
}

pub(crate) struct FacetLink {
    pub(crate) label: String,
    /// The label is the catalogue's (a name, an axis's title): French.
    pub(crate) in_french: bool,
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
    /// "3 actions", in the page's language.
    pub(crate) count: String,
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

/// A facet's values as links; `word` names a value in the page's language
/// when the interface has a word for it (a need, a public, ages), else
/// the catalogue's label shows, in French.
fn facet_links(
    counts: &[FacetCount],
    q: &str,
    filter: &ActionFilter,
    word: impl Fn(&str) -> Option<String>,
    set: impl Fn(&mut ActionFilter, &str) -> bool,
) -> Vec<FacetLink> {
    counts
        .iter()
        .map(|c| {
            let (href, active) = toggle(q, filter, |f| set(f, &c.key));
            let word = word(&c.key);
            FacetLink {
                in_french: word.is_none(),
                label: word.unwrap_or_else(|| fr(&c.label)),
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

pub(crate) async fn search(
    s: Seen,
    lang: Lang,
    RawQuery(raw): RawQuery,
) -> Result<Html<String>, AppError> {
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
        .map(|a| card(p, a, &stems, lang))
        .collect();
    let f = &results.facets;
    let french = |_: &str| -> Option<String> { None };
    let age_words = |k: &str| {
        if lang == Lang::Fr {
            return None;
        }
        let (a, b) = k.split_once('-')?;
        Some(lang.t_with(
            "ages-range",
            &[
                ("min", a.parse::<u32>().ok()?.into()),
                ("max", b.parse::<u32>().ok()?.into()),
            ],
        ))
    };
    let facets = vec![
        FacetView {
            name: lang.t("facet-axis"),
            values: facet_links(&f.axis, &q, &filter, french, |x, k| {
                set_or_clear(&mut x.axis, k.parse().ok())
            }),
        },
        FacetView {
            name: lang.t("facet-audience"),
            values: facet_links(
                &f.audience,
                &q,
                &filter,
                |k: &str| passerelle_domain::AudienceKind::from_key(k).map(|x| lang.audience(x)),
                |x, k| {
                    set_or_clear(
                        &mut x.audience,
                        passerelle_domain::AudienceKind::from_key(k),
                    )
                },
            ),
        },
        FacetView {
            name: lang.t("facet-age"),
            values: facet_links(&f.age, &q, &filter, age_words, |x, k| {
                x.age = None;
                let band = k.split_once('-').and_then(|(a, b)| {
                    passerelle_domain::AgeRange::new(a.parse().ok()?, b.parse().ok()?).ok()
                });
                set_or_clear(&mut x.ages, band)
            }),
        },
        FacetView {
            name: lang.t("facet-theme"),
            values: facet_links(
                &f.theme,
                &q,
                &filter,
                |k: &str| Theme::from_key(k).map(|t| lang.theme(t)),
                |x, k| match Theme::from_key(k) {
                    Some(t) if x.themes.contains(&t) => {
                        x.themes.retain(|y| *y != t);
                        true
                    }
                    Some(t) => {
                        x.themes.push(t);
                        false
                    }
                    None => false,
                },
            ),
        },
        FacetView {
            name: lang.t("facet-territory"),
            values: facet_links(&f.territory, &q, &filter, french, |x, k| {
                set_or_clear(&mut x.territory, passerelle_domain::Slug::parse(k).ok())
            }),
        },
        FacetView {
            name: lang.t("facet-partner"),
            values: facet_links(&f.partner, &q, &filter, french, |x, k| {
                set_or_clear(&mut x.partner, passerelle_domain::Slug::parse(k).ok())
            }),
        },
        FacetView {
            name: lang.t("facet-operator"),
            values: facet_links(&f.operator, &q, &filter, french, |x, k| {
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
            "age" => lang.t_with("filter-age", &[("age", value.as_str().into())]),
            "axe" => lang.t_with("axis-number", &[("n", value.as_str().into())]),
            "theme" => Theme::from_key(&value).map_or(value.clone(), |t| lang.theme(t)),
            "territoire" => s
                .catalogue
                .territory(&passerelle_domain::Slug::from_text(&value))
                .map_or(value.clone(), |t| t.name.clone()),
            _ => value.clone(),
        };
        active.push(Link {
            href: format!("/actions?{}", encode(&remaining)),
            label: fr(&lang.t_with("search-remove-filter", &[("label", label.into())])),
        });
    }
    let suggestions = if actions.is_empty() {
        did_you_mean(&s, &q, lang)
    } else {
        Vec::new()
    };
    let page = SearchPage {
        meta: Meta::new(
            if q.is_empty() {
                lang.t("home-find")
            } else {
                lang.t_with("search-query-title", &[("q", q.as_str().into())])
            },
            &s.here,
            Nav::Actions,
        )
        .in_lang(
            lang,
            &format!("/actions?{}", raw.as_deref().unwrap_or_default()),
        ),
        age: filter.age.map(|a| a.to_string()).unwrap_or_default(),
        total: actions.len(),
        count: lang.t_with("search-count", &[("n", actions.len().into())]),
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
                    lang.theme(*t),
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
fn did_you_mean(s: &Snapshot, q: &str, lang: Lang) -> Vec<Link> {
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
            label: fr(&lang.t_with("search-suggest", &[("q", q2.as_str().into())])),
        });
    }
    out
}
