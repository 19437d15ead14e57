//! Turns raw fiches into domain actions, and gathers the people and
//! organisations they name, de-duplicated across fiches.

use std::collections::BTreeMap;

use passerelle_domain::text::{display_name, fold, name_key};
use passerelle_domain::{
    Action, Audience, AudienceKind, Contact, Email, FicheNumber, Inferred, Operator, Organisation,
    OrganisationKind, Partner, PerimeterEntry, PerimeterSource, Person, Phone, Resource, Slug,
    Territory, TerritoryKind, Visibility,
};

use crate::fiche::RawFiche;
use crate::items;
use crate::markdown::{is_blank, strip_inline};
use crate::reference::Reference;
use crate::report::{Code, Irregularity, Severity};

/// Organisations and territories met while assembling that the reference
/// does not list; they are kept, and reported.
#[derive(Debug, Default)]
pub(crate) struct Discovered {
    pub organisations: Vec<Organisation>,
    pub territories: Vec<Territory>,
}

/// What is being read, for the words of the report: what the reference
/// files do not list is, in a spreadsheet, what the cité does not hold yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Origin {
    Booklet,
    Sheet,
}

impl Discovered {
    /// The reference's organisations and territories with those discovered,
    /// each list by slug.
    pub(crate) fn with(&mut self, reference: &Reference) -> (Vec<Organisation>, Vec<Territory>) {
        let mut organisations = reference.organisations.clone();
        organisations.append(&mut self.organisations);
        organisations.sort_by(|a, b| a.slug.cmp(&b.slug));
        let mut territories = reference.territories.clone();
        territories.append(&mut self.territories);
        territories.sort_by(|a, b| a.slug.cmp(&b.slug));
        (organisations, territories)
    }
}

/// A fiche's review as its source states it: the targets, no values yet.
pub(crate) fn stated_review(reference: &Reference, fiche: u32) -> passerelle_domain::ActionReview {
    passerelle_domain::ActionReview {
        indicators: reference.targets.get(&fiche).cloned().unwrap_or_default(),
        ..passerelle_domain::ActionReview::default()
    }
}

pub(crate) struct Assembler<'r> {
    pub reference: &'r Reference,
    pub discovered: Discovered,
    pub irregularities: Vec<Irregularity>,
    pub origin: Origin,
}

impl<'r> Assembler<'r> {
    pub(crate) fn new(reference: &'r Reference) -> Self {
        Assembler {
            reference,
            discovered: Discovered::default(),
            irregularities: Vec::new(),
            origin: Origin::Booklet,
        }
    }

    fn report(&mut self, i: Irregularity) {
        self.irregularities.push(i);
    }

    pub(crate) fn action(&mut self, raw: &RawFiche, axis: u8) -> Option<Action> {
        let n = raw.number;
        let Ok(fiche) = FicheNumber::new(n) else {
            self.report(Irregularity::new(
                Code::UnexpectedContent,
                Severity::Error,
                raw.start_line,
                format!("numéro de fiche {n} hors limites (1 à 999) ; fiche ignorée"),
            ));
            return None;
        };
        let description = description_markdown(raw);
        let (title, title_inferred) = match raw.titles.first() {
            Some((_, t)) => (t.clone(), raw.title_marked_inferred),
            None => (infer_title(&description), true),
        };
        let mut title_variants: Vec<String> = Vec::new();
        for (_, t) in raw.titles.iter().skip(1) {
            if *t != title && !title_variants.contains(t) {
                title_variants.push(t.clone());
            }
        }
        let audiences = raw
            .audiences
            .iter()
            .map(|(line, text)| self.audience(n, *line, text))
            .collect();
        let perimeter = self.perimeter(raw, &title, &description);
        let partners = raw
            .partners
            .iter()
            .map(|(_, label)| Partner {
                label: label.clone(),
                organisation: self
                    .reference
                    .organisation_by_name(label)
                    .map(|o| o.slug.clone()),
            })
            .collect();
        let mut operators = Vec::new();
        for (line, role, ops) in &raw.operators {
            for op in ops {
                let organisation = self.operator_organisation(n, *line, op);
                operators.push(Operator {
                    label: op.label.clone(),
                    organisation,
                    role: *role,
                    count: op.count,
                });
            }
        }
        let contacts = raw
            .contacts
            .iter()
            .map(|c| {
                let p = &c.printed;
                Contact {
                    person: person_slug(&p.name),
                    group: raw.groups[c.group].canonical.clone(),
                    name: p.name.clone(),
                    email: p.email.clone(),
                    phone: p.phone.clone(),
                }
            })
            .collect();
        let resources = raw
            .resources
            .iter()
            .map(|(_, title, url)| Resource {
                title: title.clone(),
                url: url.clone(),
            })
            .collect();
        let themes = match self.reference.tagging.get(&n) {
            Some(t) => t.clone(),
            None => {
                self.report(
                    Irregularity::new(
                        Code::UntaggedFiche,
                        Severity::Info,
                        raw.start_line,
                        "aucun thème attribué à cette fiche dans tagging.toml",
                    )
                    .fiche(n),
                );
                Vec::new()
            }
        };
        Some(Action {
            fiche,
            axis,
            title,
            title_variants,
            inferred: Inferred {
                number: raw.number_inferred,
                title: title_inferred,
            },
            description,
            objectives: raw.objectives.iter().map(|(_, o)| o.clone()).collect(),
            audiences,
            perimeter,
            partners,
            operators,
            contacts,
            resources,
            themes,
            review: stated_review(self.reference, n),
            predecessor: None,
            plain_summary: String::new(),
            plain_summary_reviewed_by: None,
            plain_summary_reviewed_on: None,
            translations: Vec::new(),
        })
    }

    pub(crate) fn audience(&mut self, fiche: u32, line: usize, text: &str) -> Audience {
        let printed = items::audience(text).unwrap_or_else(|e| {
            self.report(
                Irregularity::new(
                    Code::InvalidAgeRange,
                    Severity::Error,
                    line,
                    format!("âges illisibles dans « {text} » : {e}"),
                )
                .fiche(fiche),
            );
            items::PrintedAudience {
                label: strip_inline(text),
                ages: None,
                note: None,
            }
        });
        let kind = items::audience_kind(&printed.label, printed.ages).unwrap_or_else(|| {
            self.report(
                Irregularity::new(
                    Code::UnknownAudience,
                    Severity::Warning,
                    line,
                    format!(
                        "public « {} » non reconnu ; classé parmi les adultes",
                        printed.label
                    ),
                )
                .fiche(fiche),
            );
            AudienceKind::Adultes
        });
        Audience {
            label: printed.label,
            kind,
            ages: printed.ages,
            note: printed.note,
        }
    }

    fn perimeter(&mut self, raw: &RawFiche, title: &str, description: &str) -> Vec<PerimeterEntry> {
        let mut out: Vec<PerimeterEntry> = Vec::new();
        let push = |out: &mut Vec<PerimeterEntry>, territory: Slug, source| {
            if !out.iter().any(|e| e.territory == territory) {
                out.push(PerimeterEntry { territory, source });
            }
        };
        for (line, name) in &raw.perimeter {
            let slug = match self.reference.territory_by_name(name) {
                Some(t) => t.slug.clone(),
                None => self.discover_territory(raw.number, *line, name),
            };
            push(&mut out, slug, PerimeterSource::Printed);
        }
        if let Some(sector) = sector_in(title)
            && let Some(t) = self.reference.territory_by_name(&sector)
        {
            push(&mut out, t.slug.clone(), PerimeterSource::Title);
        }
        for t in self.reference.places_named_in(description) {
            push(&mut out, t.slug.clone(), PerimeterSource::Text);
        }
        out
    }

    pub(crate) fn discover_territory(&mut self, fiche: u32, line: usize, name: &str) -> Slug {
        let slug = Slug::from_text(name);
        let message = match self.origin {
            Origin::Booklet => {
                format!(
                    "territoire « {name} » absent de territories.toml ; ajouté sans rattachement"
                )
            }
            Origin::Sheet => {
                format!("territoire « {name} » inconnu de la cité ; ajouté sans rattachement")
            }
        };
        self.report(
            Irregularity::new(Code::UnknownTerritory, Severity::Warning, line, message)
                .fiche(fiche),
        );
        if !self.discovered.territories.iter().any(|t| t.slug == slug) {
            let kind = if fold(name).starts_with("secteur") {
                TerritoryKind::Secteur
            } else {
                TerritoryKind::Quartier
            };
            self.discovered.territories.push(Territory {
                slug: slug.clone(),
                name: name.to_owned(),
                kind,
                parent: self
                    .reference
                    .territories
                    .iter()
                    .find(|t| t.kind == TerritoryKind::Cite)
                    .map(|t| t.slug.clone()),
                aliases: Vec::new(),
            });
        }
        slug
    }

    pub(crate) fn operator_organisation(
        &mut self,
        fiche: u32,
        line: usize,
        op: &items::PrintedOperator,
    ) -> Option<Slug> {
        if op.count.is_some() {
            return None;
        }
        let by_name = self.reference.organisation_by_name(&op.label).or_else(|| {
            // "AFEV (Association …)" or "Association … (AFEV)": try each part.
            let (a, b) = op.label.split_once('(')?;
            self.reference
                .organisation_by_name(a)
                .or_else(|| self.reference.organisation_by_name(b.trim_end_matches(')')))
        });
        if let Some(o) = by_name {
            return Some(o.slug.clone());
        }
        let slug = Slug::from_text(&op.label);
        if let Some(o) = self
            .discovered
            .organisations
            .iter()
            .find(|o| o.slug == slug)
        {
            return Some(o.slug.clone());
        }
        let message = match self.origin {
            Origin::Booklet => format!(
                "opérateur « {} » absent de organisations.toml ; ajouté",
                op.label
            ),
            Origin::Sheet => format!("porteur « {} » inconnu de la cité ; ajouté", op.label),
        };
        self.report(
            Irregularity::new(Code::UnknownOrganisation, Severity::Info, line, message)
                .fiche(fiche),
        );
        let kind = if op.association {
            OrganisationKind::Association
        } else if fold(&op.label).starts_with("centre social") {
            OrganisationKind::CentreSocial
        } else {
            OrganisationKind::Autre
        };
        self.discovered.organisations.push(Organisation {
            slug: slug.clone(),
            name: op.label.clone(),
            acronym: None,
            kind,
            aliases: Vec::new(),
            email_domains: Vec::new(),
            territory: None,
            website: None,
            siret: None,
        });
        Some(slug)
    }
}

/// `(Secteur Nord)` in a title → `Secteur Nord`.
pub(crate) fn sector_in(title: &str) -> Option<String> {
    let folded = fold(title);
    let at = folded.find("(secteur ")?;
    let rest = &folded[at + 1..];
    let end = rest.find(')')?;
    let words: Vec<&str> = rest[..end].split_whitespace().collect();
    let name = words.get(1)?;
    let mut chars = name.chars();
    let cap: String = chars.next()?.to_uppercase().chain(chars).collect();
    Some(format!("Secteur {cap}"))
}

pub(crate) fn description_markdown(raw: &RawFiche) -> String {
    let mut paragraphs: Vec<Vec<&str>> = vec![Vec::new()];
    for (_, line) in &raw.description {
        if is_blank(line) {
            if paragraphs.last().is_some_and(|p| !p.is_empty()) {
                paragraphs.push(Vec::new());
            }
        } else if let Some(p) = paragraphs.last_mut() {
            p.push(line.trim_end());
        }
    }
    paragraphs
        .iter()
        .filter(|p| !p.is_empty())
        .map(|p| p.join("\n"))
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// A title for a fiche printed without one: `L'action « X »` in its text, a
/// paragraph made only of `« X »`, or the start of its first sentence.
pub(crate) fn infer_title(description: &str) -> String {
    let plain = strip_inline(description);
    if let Some(start) = plain.find("L'action «") {
        let rest = &plain[start + "L'action «".len()..];
        if let Some(end) = rest.find('»') {
            return rest[..end].trim().to_owned();
        }
    }
    for para in description.split("\n\n") {
        let p = strip_inline(para);
        let p = p.trim();
        if p.starts_with('«') && p.ends_with('»') && p.chars().count() < 100 {
            return p.trim_matches(['«', '»', ' ']).trim().to_owned();
        }
    }
    let first: String = plain
        .split(['.', '!', '?'])
        .next()
        .unwrap_or("")
        .chars()
        .take(80)
        .collect();
    if first.trim().is_empty() {
        "Fiche sans titre".to_owned()
    } else {
        first.trim().to_owned()
    }
}

pub(crate) fn person_slug(printed_name: &str) -> Slug {
    Slug::from_text(&name_key(printed_name))
}

/// One printed mention of a person: in a contact line or as a speaker.
#[derive(Debug, Clone)]
pub(crate) struct Mention {
    pub line: usize,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub group: Option<String>,
    pub function: Option<String>,
}

/// Gathers mentions into people: one person per name key, with the spelling,
/// emails and phones printed most often first.
pub(crate) fn people(reference: &Reference, mentions: &[Mention]) -> Vec<Person> {
    let mut by_key: BTreeMap<Slug, Vec<&Mention>> = BTreeMap::new();
    for m in mentions {
        by_key.entry(person_slug(&m.name)).or_default().push(m);
    }
    by_key
        .into_iter()
        .map(|(slug, ms)| {
            let names = ranked(ms.iter().map(|m| m.name.clone()));
            let emails: Vec<Email> = ranked(ms.iter().filter_map(|m| m.email.clone()))
                .into_iter()
                .filter_map(|e| Email::parse(&e).ok())
                .collect();
            let phones: Vec<Phone> = ranked(ms.iter().filter_map(|m| m.phone.clone()))
                .into_iter()
                .filter_map(|p| Phone::parse(&p).ok())
                .fold(Vec::new(), |mut acc, p| {
                    if !acc.contains(&p) {
                        acc.push(p);
                    }
                    acc
                });
            let mut functions: Vec<String> = Vec::new();
            for f in ms.iter().filter_map(|m| m.function.clone()) {
                if !functions.iter().any(|x| fold(x) == fold(&f)) {
                    functions.push(f);
                }
            }
            let organisation = ms
                .iter()
                .filter_map(|m| m.group.as_ref())
                .find_map(|g| reference.contact_groups.get(&name_key(g)).cloned())
                .or_else(|| {
                    emails
                        .iter()
                        .find_map(|e| reference.organisation_by_email_domain(e.domain()))
                        .map(|o| o.slug.clone())
                })
                .or_else(|| {
                    functions.iter().find_map(|f| {
                        let k = format!(" {} ", name_key(f));
                        reference
                            .organisations
                            .iter()
                            .find(|o| {
                                std::iter::once(&o.name).chain(o.aliases.iter()).any(|a| {
                                    name_key(a).len() > 3
                                        && k.contains(&format!(" {} ", name_key(a)))
                                })
                            })
                            .map(|o| o.slug.clone())
                    })
                });
            let name = display_name(&names[0]);
            let name_variants: Vec<String> = names
                .iter()
                .skip(1)
                .map(|n| display_name(n))
                .filter(|n| *n != name)
                .fold(Vec::new(), |mut acc, n| {
                    if !acc.contains(&n) {
                        acc.push(n);
                    }
                    acc
                });
            Person {
                slug,
                name,
                name_variants,
                functions,
                organisation,
                emails,
                phones,
                email_visibility: Visibility::Public,
                phone_visibility: Visibility::Public,
            }
        })
        .collect()
}

/// Distinct values, most frequent first, ties in order of first appearance.
fn ranked(values: impl Iterator<Item = String>) -> Vec<String> {
    let mut counts: Vec<(String, usize, usize)> = Vec::new();
    for (i, v) in values.enumerate() {
        match counts.iter_mut().find(|(x, _, _)| *x == v) {
            Some(entry) => entry.1 += 1,
            None => counts.push((v, 1, i)),
        }
    }
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.2.cmp(&b.2)));
    counts.into_iter().map(|(v, _, _)| v).collect()
}
