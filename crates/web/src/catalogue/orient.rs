//! Orienting a family: a professional gives the child's age (or says it is
//! for a parent), the place and the needs; Passerelle lists the actions that
//! fit, why, and whom to call, and prints a sheet to hand to the family.

use askama::Template;
use axum::extract::RawQuery;
use axum::response::Html;
use passerelle_domain::query::reasons;
use passerelle_domain::{Action, ActionFilter, AudienceKind, Slug, TerritoryKind, Theme};

use super::views::{action_href, excerpt};
use crate::shared::ctx::Seen;
use crate::shared::error::AppError;
use crate::shared::i18n::Lang;
use crate::shared::layout::{Meta, Nav, render};
use crate::shared::params::{self, encode, get};
use crate::shared::state::Snapshot;
use crate::shared::text::fr;

/// What the form asks, as read from the query string.
#[derive(Debug, Clone, Default)]
pub(crate) struct Request {
    pub(crate) age: Option<u32>,
    pub(crate) for_parent: bool,
    pub(crate) place: Option<Slug>,
    pub(crate) needs: Vec<Theme>,
}

impl Request {
    fn parse(pairs: &[(String, String)]) -> Result<Request, AppError> {
        let age = get(pairs, "age")
            .map(|v| {
                v.parse::<u32>().ok().filter(|a| *a <= 25).ok_or_else(|| {
                    AppError::BadRequest(
                        "age".into(),
                        format!("« {v} » : indiquez un âge entre 0 et 25 ans"),
                    )
                })
            })
            .transpose()?;
        let place = get(pairs, "lieu")
            .map(|v| {
                Slug::parse(v).map_err(|_| {
                    AppError::BadRequest("lieu".into(), format!("« {v} » n'est pas un lieu connu"))
                })
            })
            .transpose()?;
        let needs = pairs
            .iter()
            .filter(|(k, v)| k == "besoin" && !v.is_empty())
            .map(|(_, v)| {
                Theme::from_key(v).ok_or_else(|| {
                    AppError::BadRequest(
                        "besoin".into(),
                        format!("« {v} » n'est pas un besoin connu"),
                    )
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Request {
            age,
            for_parent: get(pairs, "qui") == Some("parent"),
            place,
            needs,
        })
    }

    fn is_empty(&self) -> bool {
        self.age.is_none() && self.place.is_none() && self.needs.is_empty() && !self.for_parent
    }

    fn filter(&self) -> ActionFilter {
        ActionFilter {
            age: self.age,
            audience: self.for_parent.then_some(AudienceKind::Parents),
            themes: self.needs.clone(),
            territory: self.place.clone(),
            ..ActionFilter::default()
        }
    }

    fn query(&self) -> String {
        let mut q: Vec<(&str, String)> = Vec::new();
        if self.for_parent {
            q.push(("qui", "parent".into()));
        }
        if let Some(a) = self.age {
            q.push(("age", a.to_string()));
        }
        if let Some(p) = &self.place {
            q.push(("lieu", p.to_string()));
        }
        for n in &self.needs {
            q.push(("besoin", n.key().to_owned()));
        }
        encode(&q)
    }
}

pub(crate) struct Suggestion {
    pub(crate) fiche: u32,
    /// "Fiche n°5", in the page's language.
    pub(crate) fiche_label: String,
    pub(crate) href: String,
    pub(crate) title: String,
    /// The title is the French one (no translation into the page's language).
    pub(crate) title_in_french: bool,
    pub(crate) summary: String,
    pub(crate) reasons: Vec<String>,
    pub(crate) contacts: Vec<Whom>,
}

pub(crate) struct Whom {
    pub(crate) name: String,
    pub(crate) role: String,
    pub(crate) phone: Option<String>,
    pub(crate) phone_uri: Option<String>,
    pub(crate) email: Option<String>,
}

pub(crate) struct PlaceOption {
    pub(crate) slug: String,
    pub(crate) name: String,
    pub(crate) selected: bool,
}

pub(crate) struct PlaceGroup {
    pub(crate) label: String,
    pub(crate) places: Vec<PlaceOption>,
}

pub(crate) struct NeedOption {
    pub(crate) key: &'static str,
    pub(crate) label: String,
    pub(crate) checked: bool,
}

/// Actions fitting the request, most needs met first; then those that name
/// the place over city-wide ones.
fn fitting<'a>(s: &'a Snapshot, r: &Request) -> Vec<&'a Action> {
    let Some(p) = s.programme() else {
        return Vec::new();
    };
    let filter = r.filter();
    let mut fitting: Vec<&Action> = p
        .actions
        .iter()
        .filter(|a| filter.matches(&s.catalogue, a))
        .collect();
    fitting.sort_by_key(|a| {
        let needs_met = r.needs.iter().filter(|n| a.themes.contains(n)).count();
        (
            std::cmp::Reverse(needs_met),
            a.perimeter.is_empty(),
            a.fiche,
        )
    });
    fitting
}

fn suggestions(s: &Snapshot, r: &Request, lang: Lang) -> Vec<Suggestion> {
    let filter = r.filter();
    fitting(s, r)
        .into_iter()
        .map(|a| {
            let translated = lang.translation(a);
            (a, translated)
        })
        .map(|(a, translated)| Suggestion {
            fiche: a.fiche.get(),
            fiche_label: lang.t_with("fiche-number", &[("n", a.fiche.get().into())]),
            href: action_href(a),
            title: translated.map_or_else(|| fr(&a.title), |t| t.title.trim().to_owned()),
            title_in_french: translated.is_none(),
            summary: fr(&excerpt(&a.description, 240)),
            reasons: reasons(&s.catalogue, &filter, a)
                .iter()
                .map(|x| fr(x))
                .collect(),
            contacts: whom_to_call(s, a),
        })
        .collect()
}

/// The action's contacts, the people closest to the field first (the
/// structure, the town's staff) and the troïka last.
pub(super) fn whom_to_call(s: &Snapshot, a: &Action) -> Vec<Whom> {
    let mut contacts: Vec<&passerelle_domain::Contact> = a.contacts.iter().collect();
    contacts.sort_by_key(|c| c.group == "Troïka");
    contacts
        .into_iter()
        .map(|c| {
            let person = s.catalogue.person(&c.person);
            let phone = c
                .phone
                .as_ref()
                .and_then(|p| passerelle_domain::Phone::parse(p).ok());
            let role = match person.and_then(|p| p.functions.first()) {
                Some(f) => format!("{} — {f}", c.group),
                None => c.group.clone(),
            };
            Whom {
                name: person.map_or_else(|| c.name.clone(), |p| p.name.clone()),
                role: fr(&role),
                phone: phone.as_ref().map(ToString::to_string),
                phone_uri: phone.map(|p| p.uri()),
                email: c
                    .email
                    .clone()
                    .filter(|e| passerelle_domain::Email::parse(e).is_ok()),
            }
        })
        .collect()
}

fn place_groups(s: &Snapshot, selected: Option<&Slug>, lang: Lang) -> Vec<PlaceGroup> {
    let kinds = [
        (TerritoryKind::Secteur, "territory-secteur"),
        (TerritoryKind::Quartier, "territory-quartier"),
        (TerritoryKind::Ecole, "territory-ecole"),
        (TerritoryKind::College, "territory-college"),
        (TerritoryKind::CentreSocial, "territory-centre-social"),
        (TerritoryKind::ReseauRepPlus, "territory-reseau"),
    ];
    kinds
        .iter()
        .map(|(kind, label)| {
            let mut places: Vec<PlaceOption> = s
                .catalogue
                .territories
                .iter()
                .filter(|t| t.kind == *kind)
                .map(|t| PlaceOption {
                    slug: t.slug.to_string(),
                    name: t.name.clone(),
                    selected: selected == Some(&t.slug),
                })
                .collect();
            places.sort_by(|a, b| {
                passerelle_domain::text::fold(&a.name).cmp(&passerelle_domain::text::fold(&b.name))
            });
            PlaceGroup {
                label: lang.t(label),
                places,
            }
        })
        .filter(|g| !g.places.is_empty())
        .collect()
}

#[derive(Template)]
#[template(path = "catalogue/orient.html")]
pub(crate) struct OrientPage {
    pub(crate) meta: Meta,
    pub(crate) asked: bool,
    pub(crate) age: String,
    pub(crate) for_parent: bool,
    pub(crate) places: Vec<PlaceGroup>,
    pub(crate) needs: Vec<NeedOption>,
    pub(crate) results: Vec<Suggestion>,
    /// "3 actions correspondent", in the page's language.
    pub(crate) count: String,
    pub(crate) sheet_href: String,
    /// The viewer sends referrals: each result offers one.
    pub(crate) refer: bool,
}

fn need_options(r: &Request, lang: Lang) -> Vec<NeedOption> {
    Theme::ALL
        .iter()
        .map(|t| NeedOption {
            key: t.key(),
            label: lang.theme(*t),
            checked: r.needs.contains(t),
        })
        .collect()
}

pub(crate) async fn orient(
    s: Seen,
    lang: Lang,
    RawQuery(raw): RawQuery,
) -> Result<Html<String>, AppError> {
    let pairs = params::pairs(raw.as_deref())?;
    let r = Request::parse(&pairs)?;
    let asked = !r.is_empty();
    let results = if asked {
        suggestions(&s, &r, lang)
    } else {
        Vec::new()
    };
    let page = OrientPage {
        meta: Meta::new(lang.t("nav-orient"), &s.here, Nav::Orient).in_lang(
            lang,
            &format!("/orienter?{}", raw.as_deref().unwrap_or_default()),
        ),
        asked,
        age: r.age.map(|a| a.to_string()).unwrap_or_default(),
        for_parent: r.for_parent,
        places: place_groups(&s, r.place.as_ref(), lang),
        needs: need_options(&r, lang),
        count: lang.t_with("orient-count", &[("n", results.len().into())]),
        results,
        sheet_href: format!("/orienter/fiche?{}", r.query()),
        refer: s.may_refer(),
    };
    render(&page)
}

#[derive(Template)]
#[template(path = "catalogue/sheet.html")]
pub(crate) struct SheetPage {
    pub(crate) meta: Meta,
    pub(crate) for_whom: String,
    pub(crate) place: Option<String>,
    pub(crate) needs: Vec<String>,
    pub(crate) results: Vec<super::family::FamilyView>,
    /// On a sheet in another language, the same actions in French, printed
    /// alongside for the professional who hands it over (empty in French).
    pub(crate) french: Vec<super::family::FamilyView>,
    /// The page's meta in French, for those French blocks.
    pub(crate) meta_fr: Meta,
    /// Each action told as to families (`catalogue/family_facts.html`).
    pub(crate) sheet: bool,
    pub(crate) back_href: String,
    pub(crate) cite: String,
}

impl SheetPage {
    /// The French of the `i`-th action, on a sheet in another language.
    pub(crate) fn french_of(&self, i: &usize) -> Option<&super::family::FamilyView> {
        self.french.get(*i)
    }
}

/// The sheet handed to the family: plain words, one page, prints cleanly;
/// in the family's language under `/ar/orienter/fiche` and the others.
pub(crate) async fn sheet(
    s: Seen,
    lang: Lang,
    RawQuery(raw): RawQuery,
) -> Result<Html<String>, AppError> {
    let pairs = params::pairs(raw.as_deref())?;
    let r = Request::parse(&pairs)?;
    let for_whom = match (r.for_parent, r.age) {
        (true, Some(a)) => lang.t_with("sheet-for-parent-age", &[("age", a.into())]),
        (true, None) => lang.t("sheet-for-parent"),
        (false, Some(a)) => lang.t_with("sheet-for-child-age", &[("age", a.into())]),
        (false, None) => lang.t("sheet-for-child"),
    };
    let query = r.query();
    let actions: Vec<&passerelle_domain::Action> = fitting(&s, &r).into_iter().take(6).collect();
    let meta = Meta::new(lang.t("sheet-title"), &s.here, Nav::Orient);
    let page = SheetPage {
        meta_fr: meta.clone(),
        meta: meta.in_lang(lang, &format!("/orienter/fiche?{query}")),
        french: if lang == Lang::Fr {
            Vec::new()
        } else {
            actions
                .iter()
                .map(|a| super::family::family_view(&s, a, Lang::Fr))
                .collect()
        },
        for_whom,
        place: r
            .place
            .as_ref()
            .and_then(|p| s.catalogue.territory(p))
            .map(|t| fr(&t.name)),
        needs: r.needs.iter().map(|t| lang.theme(*t)).collect(),
        results: actions
            .iter()
            .map(|a| super::family::family_view(&s, a, lang))
            .collect(),
        sheet: true,
        back_href: format!("/orienter?{query}"),
        cite: fr(&s.catalogue.cite.name),
    };
    render(&page)
}
