//! The reference data the importer resolves names against: the cité's
//! identity, its known organisations and territories, and the theme tagging.
//! Read from TOML text (`data/<cité>/*.toml`); this crate does no file IO.

use std::collections::BTreeMap;

use passerelle_domain::text::{fold, name_key};
use passerelle_domain::{
    Cite, Organisation, OrganisationKind, Slug, Territory, TerritoryKind, Theme,
};
use serde::Deserialize;

use crate::error::ReferenceError;

/// The four reference files of a cité, as text, with their names for messages.
#[derive(Debug, Clone, Copy)]
pub struct ReferenceFiles<'a> {
    pub cite: (&'a str, &'a str),
    pub organisations: (&'a str, &'a str),
    pub territories: (&'a str, &'a str),
    pub tagging: (&'a str, &'a str),
}

#[derive(Debug, Clone)]
pub struct Reference {
    pub cite: Cite,
    pub organisations: Vec<Organisation>,
    /// Role groups ("Ville") whose people belong to an organisation.
    pub contact_groups: BTreeMap<String, Slug>,
    pub territories: Vec<Territory>,
    pub tagging: BTreeMap<u32, Vec<Theme>>,
    /// Targets the booklet states, by fiche: indicators without values.
    pub targets: BTreeMap<u32, Vec<passerelle_domain::Indicator>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CiteFile {
    slug: Slug,
    name: String,
    city: String,
    #[serde(default)]
    presentation: String,
    #[serde(default)]
    national_id: Option<String>,
    #[serde(default)]
    communes: Vec<String>,
    #[serde(default)]
    qpv: Vec<String>,
    #[serde(default)]
    contact_emails: Vec<passerelle_domain::Email>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OrganisationsFile {
    #[serde(default)]
    organisation: Vec<OrganisationEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OrganisationEntry {
    slug: Slug,
    name: String,
    acronym: Option<String>,
    kind: OrganisationKind,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default)]
    email_domains: Vec<String>,
    #[serde(default)]
    contact_groups: Vec<String>,
    territory: Option<Slug>,
    website: Option<String>,
    /// 14 digits; one whose key does not check is left out (the reference
    /// data are ours, checked by a test).
    siret: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TerritoriesFile {
    #[serde(default)]
    territory: Vec<TerritoryEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TerritoryEntry {
    slug: Slug,
    name: String,
    kind: TerritoryKind,
    parent: Option<Slug>,
    #[serde(default)]
    aliases: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TaggingFile {
    #[serde(default)]
    fiches: BTreeMap<String, Vec<String>>,
    /// Quantities the booklet states, seeded as targets.
    #[serde(default)]
    target: Vec<TargetEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TargetEntry {
    fiche: u32,
    label: String,
    unit: String,
    min: Option<f64>,
    max: Option<f64>,
    /// The booklet line that states it.
    line: usize,
    /// What it says there, as printed.
    quote: String,
}

fn parse_toml<T: for<'de> Deserialize<'de>>(
    (name, text): (&str, &str),
) -> Result<T, ReferenceError> {
    toml::from_str(text).map_err(|e| {
        let line = e
            .span()
            .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1);
        ReferenceError::Toml {
            file: name.to_owned(),
            line,
            message: passerelle_domain::text::serde_message_fr(e.message()),
        }
    })
}

impl Reference {
    pub fn parse(files: ReferenceFiles<'_>) -> Result<Reference, ReferenceError> {
        let cite: CiteFile = parse_toml(files.cite)?;
        let orgs: OrganisationsFile = parse_toml(files.organisations)?;
        let terrs: TerritoriesFile = parse_toml(files.territories)?;
        let tags: TaggingFile = parse_toml(files.tagging)?;

        let mut contact_groups = BTreeMap::new();
        let mut organisations = Vec::new();
        for o in orgs.organisation {
            for g in &o.contact_groups {
                contact_groups.insert(name_key(g), o.slug.clone());
            }
            organisations.push(Organisation {
                slug: o.slug,
                name: o.name,
                acronym: o.acronym,
                kind: o.kind,
                aliases: o.aliases,
                email_domains: o
                    .email_domains
                    .iter()
                    .map(|d| d.to_ascii_lowercase())
                    .collect(),
                territory: o.territory,
                website: o.website,
                siret: o
                    .siret
                    .and_then(|s| passerelle_domain::call::siret(&s).ok()),
            });
        }
        let territories: Vec<Territory> = terrs
            .territory
            .into_iter()
            .map(|t| Territory {
                slug: t.slug,
                name: t.name,
                kind: t.kind,
                parent: t.parent,
                aliases: t.aliases,
            })
            .collect();
        for t in &territories {
            if let Some(p) = &t.parent
                && !territories.iter().any(|x| &x.slug == p)
            {
                return Err(ReferenceError::Invalid {
                    file: files.territories.0.to_owned(),
                    message: format!(
                        "le territoire « {} » a pour parent « {p} », qui n'est pas dans la liste",
                        t.slug
                    ),
                });
            }
        }
        let mut tagging = BTreeMap::new();
        for (fiche, keys) in tags.fiches {
            let n: u32 = fiche.parse().map_err(|_| ReferenceError::Invalid {
                file: files.tagging.0.to_owned(),
                message: format!("« {fiche} » n'est pas un numéro de fiche"),
            })?;
            let themes = keys
                .iter()
                .map(|k| {
                    Theme::from_key(k).ok_or_else(|| ReferenceError::Invalid {
                        file: files.tagging.0.to_owned(),
                        message: format!("fiche {n} : « {k} » n'est pas un thème"),
                    })
                })
                .collect::<Result<Vec<_>, _>>()?;
            tagging.insert(n, themes);
        }
        let mut targets: BTreeMap<u32, Vec<passerelle_domain::Indicator>> = BTreeMap::new();
        for t in tags.target {
            if t.min.is_none() && t.max.is_none() {
                return Err(ReferenceError::Invalid {
                    file: files.tagging.0.to_owned(),
                    message: format!(
                        "fiche {} : la cible « {} » n'a ni minimum ni maximum",
                        t.fiche, t.label
                    ),
                });
            }
            targets
                .entry(t.fiche)
                .or_default()
                .push(passerelle_domain::Indicator {
                    label: t.label,
                    unit: t.unit,
                    target: Some(passerelle_domain::Target {
                        min: t.min,
                        max: t.max,
                    }),
                    source: format!("livret 2022, l. {} : « {} »", t.line, t.quote),
                    values: Vec::new(),
                });
        }
        Ok(Reference {
            cite: Cite {
                slug: cite.slug,
                name: cite.name,
                city: cite.city,
                presentation: cite.presentation.trim().to_owned(),
                national_id: cite.national_id,
                communes: cite.communes,
                qpv: cite.qpv,
                contact_emails: cite.contact_emails,
                interface_reviews: Vec::new(),
            },
            organisations,
            contact_groups,
            territories,
            tagging,
            targets,
        })
    }

    /// A reference knowing nothing but the cité: every organisation and
    /// territory a booklet names is new (and reported).
    pub fn empty(cite: Cite) -> Reference {
        Reference {
            cite,
            organisations: Vec::new(),
            contact_groups: BTreeMap::new(),
            territories: Vec::new(),
            tagging: BTreeMap::new(),
            targets: BTreeMap::new(),
        }
    }

    /// What a stored cité already knows, as a reference for reading its
    /// spreadsheet: its identity, organisations and territories, so that the
    /// names the spreadsheet prints are matched against them.
    pub fn of_catalogue(catalogue: &passerelle_domain::Catalogue) -> Reference {
        Reference {
            organisations: catalogue.organisations.clone(),
            territories: catalogue.territories.clone(),
            ..Reference::empty(catalogue.cite.clone())
        }
    }

    /// The organisation printed under this name, if the reference knows it.
    pub fn organisation_by_name(&self, printed: &str) -> Option<&Organisation> {
        let key = name_key(printed);
        self.organisations.iter().find(|o| {
            name_key(&o.name) == key
                || o.acronym.as_deref().is_some_and(|a| name_key(a) == key)
                || o.aliases.iter().any(|a| name_key(a) == key)
        })
    }

    pub fn organisation_by_email_domain(&self, domain: &str) -> Option<&Organisation> {
        let domain = domain.to_ascii_lowercase();
        self.organisations
            .iter()
            .find(|o| o.email_domains.contains(&domain))
    }

    pub fn territory_by_name(&self, printed: &str) -> Option<&Territory> {
        let key = name_key(printed);
        self.territories
            .iter()
            .find(|t| name_key(&t.name) == key || t.aliases.iter().any(|a| name_key(a) == key))
    }

    /// Places (schools, collèges, neighbourhoods, social centres) that a text
    /// names by one of their aliases, whole words only, in order of first mention.
    pub fn places_named_in(&self, text: &str) -> Vec<&Territory> {
        let hay = format!(" {} ", name_key(text));
        let mut found: Vec<(usize, &Territory)> = Vec::new();
        for t in &self.territories {
            if !matches!(
                t.kind,
                TerritoryKind::Ecole
                    | TerritoryKind::College
                    | TerritoryKind::Quartier
                    | TerritoryKind::CentreSocial
                    | TerritoryKind::ReseauRepPlus
            ) {
                continue;
            }
            let mut first = t
                .aliases
                .iter()
                .chain(std::iter::once(&t.name))
                .filter_map(|a| hay.find(&format!(" {} ", name_key(a))))
                .min();
            // "REP+ Rosa Parks et Madame de Sévigné": a network named after
            // another one, without repeating "REP+".
            if t.kind == TerritoryKind::ReseauRepPlus {
                let core = name_key(&t.name);
                let core = core.strip_prefix("rep ").unwrap_or(&core);
                let needle = format!(" {core} ");
                let mut from = 0;
                while let Some(i) = hay[from..].find(&needle) {
                    let pos = from + i;
                    let window = &hay[pos.saturating_sub(40)..pos];
                    if window.contains(" rep ") {
                        first = Some(first.map_or(pos, |f| f.min(pos)));
                        break;
                    }
                    from = pos + 1;
                }
            }
            if let Some(pos) = first {
                found.push((pos, t));
            }
        }
        found.sort_by_key(|(pos, t)| (*pos, t.slug.clone()));
        found.into_iter().map(|(_, t)| t).collect()
    }

    /// All names the reference knows, folded, for typo detection.
    pub fn known_names(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for o in &self.organisations {
            out.push(fold(&o.name));
            out.extend(o.aliases.iter().map(|a| fold(a)));
        }
        for t in &self.territories {
            out.push(fold(&t.name));
            out.extend(t.aliases.iter().map(|a| fold(a)));
        }
        out.sort();
        out.dedup();
        out
    }
}
