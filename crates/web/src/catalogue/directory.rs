//! The directory of actors: organisations, people and territories, each with
//! its reverse links (who works with whom, where).

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::Path;
use axum::response::Html;
use passerelle_domain::query::matches_territory;
use passerelle_domain::text::fold;
use passerelle_domain::{Action, Slug, Territory};

use super::views::{Link, action_href};
use crate::shared::ctx::Seen;
use crate::shared::error::AppError;
use crate::shared::i18n::Lang;
use crate::shared::layout::{Meta, Nav, json_ld, render};
use crate::shared::state::Snapshot;
use crate::shared::text::fr;

fn actions(s: &Snapshot) -> Vec<&Action> {
    s.programme()
        .map(|p| p.actions.iter().collect())
        .unwrap_or_default()
}

/// A link to an action: its number in the page's language, its title
/// translated when it is (`catalogue/action_link.html`).
pub(crate) struct ActionLink {
    pub(crate) href: String,
    pub(crate) fiche: String,
    pub(crate) title: String,
    pub(crate) in_french: bool,
}

fn action_link(a: &Action, lang: Lang) -> ActionLink {
    let translated = lang.translation(a);
    ActionLink {
        href: action_href(a),
        fiche: lang.t_with("fiche-number", &[("n", a.fiche.get().into())]),
        title: translated.map_or_else(|| fr(&a.title), |t| t.title.trim().to_owned()),
        in_french: translated.is_none(),
    }
}

fn by_name(mut v: Vec<Link>) -> Vec<Link> {
    v.sort_by_key(|a| fold(&a.label));
    v
}

pub(crate) struct Group {
    pub(crate) label: String,
    pub(crate) items: Vec<Link>,
}

pub(crate) struct TreeNode {
    pub(crate) depth: usize,
    pub(crate) link: Link,
    pub(crate) kind: String,
}

#[derive(Template)]
#[template(path = "catalogue/directory.html")]
pub(crate) struct DirectoryPage {
    pub(crate) meta: Meta,
    pub(crate) organisations: Vec<Group>,
    pub(crate) people: Vec<(Link, String)>,
    pub(crate) territories: Vec<TreeNode>,
}

fn territory_tree(s: &Snapshot, lang: Lang) -> Vec<TreeNode> {
    let t = &s.catalogue.territories;
    let mut out = Vec::new();
    fn walk(
        all: &[Territory],
        parent: Option<&Slug>,
        depth: usize,
        lang: Lang,
        out: &mut Vec<TreeNode>,
    ) {
        let mut children: Vec<&Territory> =
            all.iter().filter(|t| t.parent.as_ref() == parent).collect();
        children.sort_by_key(|t| (t.kind, fold(&t.name)));
        for c in children {
            out.push(TreeNode {
                depth,
                link: Link {
                    href: format!("/annuaire/territoires/{}", c.slug),
                    label: fr(&c.name),
                },
                kind: lang.territory_kind(c.kind),
            });
            if depth < 8 {
                walk(all, Some(&c.slug), depth + 1, lang, out);
            }
        }
    }
    walk(t, None, 0, lang, &mut out);
    out
}

pub(crate) async fn index(s: Seen, lang: Lang) -> Result<Html<String>, AppError> {
    let c = &s.catalogue;
    let mut groups: BTreeMap<String, Vec<Link>> = BTreeMap::new();
    for o in &c.organisations {
        groups
            .entry(lang.organisation_kind(o.kind))
            .or_default()
            .push(Link {
                href: format!("/annuaire/organisations/{}", o.slug),
                label: fr(&o.name),
            });
    }
    let page = DirectoryPage {
        meta: Meta::new(lang.t("home-directory"), &s.here, Nav::Directory)
            .in_lang(lang, "/annuaire"),
        organisations: groups
            .into_iter()
            .map(|(label, items)| Group {
                label,
                items: by_name(items),
            })
            .collect(),
        people: c
            .people
            .iter()
            .map(|p| {
                let org = p
                    .organisation
                    .as_ref()
                    .and_then(|o| c.organisation(o))
                    .map(|o| o.name.clone());
                let detail = [p.functions.first().cloned(), org]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(" — ");
                (
                    Link {
                        href: format!("/annuaire/personnes/{}", p.slug),
                        label: p.name.clone(),
                    },
                    fr(&detail),
                )
            })
            .collect(),
        territories: territory_tree(&s, lang),
    };
    render(&page)
}

#[derive(Template)]
#[template(path = "catalogue/organisation.html")]
pub(crate) struct OrganisationPage {
    pub(crate) meta: Meta,
    pub(crate) name: String,
    pub(crate) acronym: Option<String>,
    pub(crate) kind: String,
    pub(crate) aliases: Vec<String>,
    pub(crate) website: Option<String>,
    pub(crate) place: Option<Link>,
    pub(crate) operates: Vec<ActionLink>,
    pub(crate) partners_in: Vec<ActionLink>,
    pub(crate) people: Vec<Link>,
    pub(crate) works_with: Vec<Link>,
    pub(crate) json_ld: String,
}

pub(crate) async fn organisation(
    s: Seen,
    lang: Lang,
    Path(slug): Path<String>,
) -> Result<Html<String>, AppError> {
    let c = &s.catalogue;
    let o = Slug::parse(&slug)
        .ok()
        .and_then(|k| c.organisation(&k))
        .ok_or_else(|| {
            AppError::NotFound(format!(
                "L'annuaire ne connaît pas l'organisation « {slug} »."
            ))
        })?;
    let all = actions(&s);
    let operates: Vec<&Action> = all
        .iter()
        .copied()
        .filter(|a| {
            a.operators
                .iter()
                .any(|x| x.organisation.as_ref() == Some(&o.slug))
        })
        .collect();
    let partners_in: Vec<&Action> = all
        .iter()
        .copied()
        .filter(|a| {
            a.partners
                .iter()
                .any(|x| x.organisation.as_ref() == Some(&o.slug))
        })
        .collect();
    let mut others: BTreeMap<Slug, usize> = BTreeMap::new();
    for a in operates.iter().chain(partners_in.iter()) {
        for other in a
            .operators
            .iter()
            .filter_map(|x| x.organisation.as_ref())
            .chain(a.partners.iter().filter_map(|x| x.organisation.as_ref()))
        {
            if *other != o.slug {
                *others.entry(other.clone()).or_default() += 1;
            }
        }
    }
    let works_with = by_name(
        others
            .keys()
            .filter_map(|k| c.organisation(k))
            .map(|x| Link {
                href: format!("/annuaire/organisations/{}", x.slug),
                label: fr(&x.name),
            })
            .collect(),
    );
    let kind = if o.kind == passerelle_domain::OrganisationKind::Commune
        || o.kind == passerelle_domain::OrganisationKind::ServiceEtat
    {
        "GovernmentOrganization"
    } else {
        "Organization"
    };
    let page = OrganisationPage {
        meta: Meta::new(&o.name, &s.here, Nav::Directory)
            .in_lang(lang, &format!("/annuaire/organisations/{}", o.slug)),
        name: fr(&o.name),
        acronym: o.acronym.clone(),
        kind: lang.organisation_kind(o.kind),
        aliases: o
            .aliases
            .iter()
            .filter(|a| fold(a) != fold(&o.name))
            .map(|a| fr(a))
            .collect(),
        website: o.website.clone(),
        place: o
            .territory
            .as_ref()
            .and_then(|t| c.territory(t))
            .map(|t| Link {
                href: format!("/annuaire/territoires/{}", t.slug),
                label: fr(&t.name),
            }),
        operates: operates.iter().map(|a| action_link(a, lang)).collect(),
        partners_in: partners_in.iter().map(|a| action_link(a, lang)).collect(),
        people: by_name(
            c.people
                .iter()
                .filter(|p| p.organisation.as_ref() == Some(&o.slug))
                .map(|p| Link {
                    href: format!("/annuaire/personnes/{}", p.slug),
                    label: p.name.clone(),
                })
                .collect(),
        ),
        works_with,
        json_ld: json_ld(&serde_json::json!({
            "@context": "https://schema.org",
            "@type": kind,
            "name": o.name,
            "alternateName": o.acronym,
            "url": o.website,
        })),
    };
    render(&page)
}

#[derive(Template)]
#[template(path = "catalogue/person.html")]
pub(crate) struct PersonPage {
    pub(crate) meta: Meta,
    pub(crate) name: String,
    pub(crate) variants: Vec<String>,
    pub(crate) functions: Vec<String>,
    pub(crate) organisation: Option<Link>,
    pub(crate) emails: Vec<String>,
    pub(crate) phones: Vec<(String, String)>,
    /// The actions the person is a contact for, and as whom.
    pub(crate) contact_for: Vec<(ActionLink, String)>,
    pub(crate) speaks_at: Vec<String>,
    pub(crate) colleagues: Vec<Link>,
}

pub(crate) async fn person(
    s: Seen,
    lang: Lang,
    Path(slug): Path<String>,
) -> Result<Html<String>, AppError> {
    let c = &s.catalogue;
    let p = Slug::parse(&slug)
        .ok()
        .and_then(|k| c.person(&k))
        .ok_or_else(|| {
            AppError::NotFound(format!("L'annuaire ne connaît personne sous « {slug} »."))
        })?;
    let mut contact_for = Vec::new();
    let mut colleagues: BTreeMap<Slug, ()> = BTreeMap::new();
    for a in actions(&s) {
        for x in a.contacts.iter().filter(|x| x.person == p.slug) {
            contact_for.push((action_link(a, lang), fr(&x.group)));
            for other in a.contacts.iter().filter(|o| o.person != p.slug) {
                colleagues.insert(other.person.clone(), ());
            }
        }
    }
    let mut speaks_at = Vec::new();
    for sem in &c.seminars {
        for h in &sem.half_days {
            for session in &h.sessions {
                for part in &session.parts {
                    for i in &part.interventions {
                        if i.speakers
                            .iter()
                            .any(|x| x.person.as_ref() == Some(&p.slug))
                        {
                            let what = if i.title.is_empty() {
                                session.title.clone()
                            } else {
                                i.title.clone()
                            };
                            speaks_at.push(fr(&format!(
                                "{} ({}), {} : {what}",
                                sem.title,
                                sem.date.iso(),
                                session.start.french()
                            )));
                        }
                    }
                }
            }
        }
        for w in sem
            .workshops
            .iter()
            .filter(|w| w.animator.person.as_ref() == Some(&p.slug))
        {
            speaks_at.push(fr(&format!(
                "{} : anime l'atelier « {} »",
                sem.title, w.theme
            )));
        }
    }
    let page = PersonPage {
        meta: Meta::new(&p.name, &s.here, Nav::Directory)
            .in_lang(lang, &format!("/annuaire/personnes/{}", p.slug)),
        name: p.name.clone(),
        variants: p.name_variants.clone(),
        functions: p.functions.iter().map(|f| fr(f)).collect(),
        organisation: p
            .organisation
            .as_ref()
            .and_then(|o| c.organisation(o))
            .map(|o| Link {
                href: format!("/annuaire/organisations/{}", o.slug),
                label: fr(&o.name),
            }),
        emails: p.emails.iter().map(ToString::to_string).collect(),
        phones: p.phones.iter().map(|x| (x.to_string(), x.uri())).collect(),
        contact_for,
        speaks_at,
        colleagues: by_name(
            colleagues
                .keys()
                .filter_map(|k| c.person(k))
                .map(|x| Link {
                    href: format!("/annuaire/personnes/{}", x.slug),
                    label: x.name.clone(),
                })
                .collect(),
        ),
    };
    render(&page)
}

#[derive(Template)]
#[template(path = "catalogue/territory.html")]
pub(crate) struct TerritoryPage {
    pub(crate) meta: Meta,
    pub(crate) name: String,
    pub(crate) kind: String,
    pub(crate) lineage: Vec<Link>,
    pub(crate) children: Vec<(Link, String)>,
    pub(crate) here: Vec<ActionLink>,
    /// "S'y ajoutent 12 actions menées dans toute la ville.", in the page's language.
    pub(crate) city_wide: String,
    pub(crate) organisations: Vec<Link>,
}

pub(crate) async fn territory(
    s: Seen,
    lang: Lang,
    Path(slug): Path<String>,
) -> Result<Html<String>, AppError> {
    let c = &s.catalogue;
    let t = Slug::parse(&slug)
        .ok()
        .and_then(|k| c.territory(&k))
        .ok_or_else(|| {
            AppError::NotFound(format!("Aucun territoire « {slug} » dans l'annuaire."))
        })?;
    let all = actions(&s);
    let here: Vec<ActionLink> = all
        .iter()
        .filter(|a| !a.perimeter.is_empty() && matches_territory(c, a, &t.slug))
        .map(|a| action_link(a, lang))
        .collect();
    let city_wide = all.iter().filter(|a| a.perimeter.is_empty()).count();
    let mut lineage: Vec<Link> = c
        .territory_lineage(&t.slug)
        .into_iter()
        .skip(1)
        .map(|x| Link {
            href: format!("/annuaire/territoires/{}", x.slug),
            label: fr(&x.name),
        })
        .collect();
    lineage.reverse();
    let mut children: Vec<&Territory> = c
        .territories
        .iter()
        .filter(|x| x.parent.as_ref() == Some(&t.slug))
        .collect();
    children.sort_by_key(|x| (x.kind, fold(&x.name)));
    let page = TerritoryPage {
        meta: Meta::new(&t.name, &s.here, Nav::Directory)
            .in_lang(lang, &format!("/annuaire/territoires/{}", t.slug)),
        name: fr(&t.name),
        kind: lang.territory_kind(t.kind),
        lineage,
        children: children
            .into_iter()
            .map(|x| {
                (
                    Link {
                        href: format!("/annuaire/territoires/{}", x.slug),
                        label: fr(&x.name),
                    },
                    lang.territory_kind(x.kind),
                )
            })
            .collect(),
        here,
        city_wide: lang.t_with("directory-city-wide", &[("n", city_wide.into())]),
        organisations: c
            .organisations
            .iter()
            .filter(|o| o.territory.as_ref() == Some(&t.slug))
            .map(|o| Link {
                href: format!("/annuaire/organisations/{}", o.slug),
                label: fr(&o.name),
            })
            .collect(),
    };
    render(&page)
}
