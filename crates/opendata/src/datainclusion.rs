//! The programme in the data·inclusion schema v1, which DORA and the
//! national data·inclusion base read: the operators as `structure` records,
//! the current programme's actions as `service` records.
//!
//! What our data do not say is left out (no address, no opening hours, no
//! fees); what the schema cannot say (ages, schools) goes to its free-text
//! fields. CI validates every record with the official package's pydantic
//! models (`data-inclusion-schema` on PyPI).

use passerelle_domain::{AudienceKind, Catalogue, EntityKind, OrganisationKind};
use serde_json::{Value, json};

use crate::tables::{Published, action_url};

/// The schema's bounds on a service's description and on names.
pub const DESCRIPTION_MIN: usize = 50;
/// The schema allows up to 10,000 characters and advises 200 to 2,000:
/// longer descriptions are cut at a paragraph or sentence below this, and
/// end with the address of the complete one.
pub const DESCRIPTION_MAX: usize = 2_000;
pub const NAME_MIN: usize = 3;
pub const NAME_MAX: usize = 150;

/// The producer's identifier, the first part of every record's id.
pub fn source(c: &Published<'_>) -> String {
    format!("passerelle-{}", c.catalogue.cite.slug)
}

fn structure_id(c: &Published<'_>, local: &str) -> String {
    format!("{}--{local}", source(c))
}

/// The structure that carries the programme itself, to which an action with
/// no named operator belongs.
const CITE_STRUCTURE: &str = "cite-educative";

fn last_update(c: &Published<'_>, fallback: &str) -> String {
    c.last_update().unwrap_or_else(|| fallback.to_owned())
}

/// `structures.json`: the cité's own structure, then every organisation
/// that operates an action of the current programme.
pub fn structures(cites: &[Published<'_>], today: &str) -> Vec<Value> {
    let mut out = Vec::new();
    for c in cites {
        let cat = c.catalogue;
        let updated = last_update(c, today);
        out.push(json!({
            "source": source(c),
            "id": structure_id(c, CITE_STRUCTURE),
            "nom": name(&cat.cite.name),
            "date_maj": updated,
            "description": truncate(&plain(&cat.cite.presentation), 10_000),
            "lien_source": format!("{}/", c.base_url),
            "commune": cat.cite.city,
            "courriel": cat.cite.contact_emails.first().map(|e| e.as_str()),
        }));
        for o in operators(cat) {
            let mut record = json!({
                "source": source(c),
                "id": structure_id(c, o.slug.as_str()),
                "nom": name(&o.name),
                "date_maj": c.updated(EntityKind::Organisation, o.slug.as_str()).unwrap_or_else(|| updated.clone()),
                "lien_source": format!("{}/annuaire/organisations/{}", c.base_url, o.slug),
                "commune": cat.cite.city,
            });
            if let Some(site) = o.website.as_deref().filter(|w| is_http(w)) {
                record["site_web"] = json!(site);
            }
            if o.kind == OrganisationKind::Commune {
                record["reseaux_porteurs"] = json!(["communes"]);
            }
            out.push(record);
        }
    }
    out
}

fn operators(cat: &Catalogue) -> Vec<&passerelle_domain::Organisation> {
    let Some(programme) = cat.current_programme() else {
        return Vec::new();
    };
    let mut out: Vec<&passerelle_domain::Organisation> = Vec::new();
    for o in programme.actions.iter().flat_map(|a| &a.operators) {
        if let Some(org) = o.organisation.as_ref().and_then(|s| cat.organisation(s))
            && !out.iter().any(|x| x.slug == org.slug)
        {
            out.push(org);
        }
    }
    out
}

/// `services.json`: the current programme's actions.
pub fn services(cites: &[Published<'_>], today: &str) -> Vec<Value> {
    let mut out = Vec::new();
    for c in cites {
        let public = c.catalogue.public_view();
        let cat = &public;
        let Some(programme) = cat.current_programme() else {
            continue;
        };
        let updated = last_update(c, today);
        for a in &programme.actions {
            let key = format!("{}/{}", programme.slug, a.slug());
            let url = action_url(c.base_url, cat, programme, a).unwrap_or_default();
            let operator = a.operators.iter().find_map(|o| {
                o.organisation
                    .as_ref()
                    .filter(|s| cat.organisation(s).is_some())
            });
            let mut themes: Vec<&str> =
                a.themes.iter().filter_map(|t| t.data_inclusion()).collect();
            themes.dedup();
            let mut record = json!({
                "source": source(c),
                "structure_id": structure_id(c, operator.map_or(CITE_STRUCTURE, |s| s.as_str())),
                "id": format!("{}--{}--fiche-{}", source(c), programme.slug, a.fiche),
                "nom": name(&a.title),
                "description": description(a, &url),
                "lien_source": url,
                "date_maj": c.updated(EntityKind::Action, &key).unwrap_or_else(|| updated.clone()),
                "commune": cat.cite.city,
            });
            if !themes.is_empty() {
                record["thematiques"] = json!(themes);
            }
            let publics = publics(a);
            if !publics.is_empty() {
                record["publics"] = json!(publics);
            }
            let precisions: Vec<String> = a
                .audiences
                .iter()
                .map(|au| match au.ages {
                    Some(r) => format!("{} ({r})", au.label),
                    None => au.label.clone(),
                })
                .collect();
            if !precisions.is_empty() {
                record["publics_precisions"] = json!(precisions.join(" ; "));
            }
            let places: Vec<String> = a
                .perimeter
                .iter()
                .filter_map(|e| cat.territory(&e.territory).map(|t| t.name.clone()))
                .collect();
            if !places.is_empty() {
                record["conditions_acces"] =
                    json!(format!("Sur le périmètre : {}.", places.join(", ")));
            }
            let codes: Vec<&str> = cat
                .cite
                .communes
                .iter()
                .map(String::as_str)
                .filter(|code| code.len() == 5 && code.chars().all(|ch| ch.is_ascii_alphanumeric()))
                .collect();
            if !codes.is_empty() {
                record["zone_eligibilite"] = json!(codes);
            }
            // The first contact with a public detail: whom to reach.
            if let Some(k) = a
                .contacts
                .iter()
                .find(|k| k.email.is_some() || k.phone.is_some())
            {
                record["contact_nom_prenom"] = json!(k.name);
                let mut modes = Vec::new();
                if let Some(email) = &k.email {
                    record["courriel"] = json!(email);
                    modes.push("envoyer-un-courriel");
                }
                if let Some(phone) = &k.phone {
                    record["telephone"] = json!(phone);
                    modes.push("telephoner");
                }
                record["modes_mobilisation"] = json!(modes);
            }
            out.push(record);
        }
    }
    out
}

/// data·inclusion's publics for an action's audiences: children and
/// parents are `familles`, young adults (and teenagers) `jeunes`; adults
/// and professionals have no public of their own there.
fn publics(a: &passerelle_domain::Action) -> Vec<&'static str> {
    let mut out = Vec::new();
    for au in &a.audiences {
        let teen = au.ages.is_some_and(|r| r.max() >= 15);
        let found: &[&'static str] = match au.kind {
            AudienceKind::Enfants if teen => &["familles", "jeunes"],
            AudienceKind::Enfants | AudienceKind::Parents => &["familles"],
            AudienceKind::JeunesAdultes => &["jeunes"],
            AudienceKind::Professionnels | AudienceKind::Adultes => &[],
        };
        for p in found {
            if !out.contains(p) {
                out.push(*p);
            }
        }
    }
    out
}

/// The description as plain text, within the bounds: a short one is
/// completed by the objectives, a long one cut and pointed to its page.
pub fn description(a: &passerelle_domain::Action, url: &str) -> String {
    let mut text = plain(&a.description);
    if text.chars().count() < DESCRIPTION_MIN {
        let mut parts = vec![a.title.trim().to_owned()];
        parts.extend((!text.is_empty()).then(|| text.clone()));
        if !a.objectives.is_empty() {
            parts.push(format!("Objectifs : {}.", a.objectives.join(" ; ")));
        }
        text = parts.join(" — ");
    }
    if text.chars().count() <= DESCRIPTION_MAX {
        return text;
    }
    let tail = format!(" […] Description complète : {url}");
    let room = DESCRIPTION_MAX - tail.chars().count();
    let cut: String = text.chars().take(room).collect();
    // Back to the end of a sentence, or of a word.
    let end = cut
        .rfind(". ")
        .map(|i| i + 1)
        .filter(|&i| i > room / 2)
        .or_else(|| cut.rfind(' '))
        .unwrap_or(cut.len());
    format!("{}{tail}", cut[..end].trim_end())
}

fn is_http(url: &str) -> bool {
    (url.starts_with("https://") || url.starts_with("http://")) && url.len() > 10
}

/// A name within the schema's bounds.
fn name(name: &str) -> String {
    let name = name.trim().trim_end_matches('.');
    let name = if name.chars().count() < NAME_MIN {
        format!("{name} (Cité éducative)")
    } else {
        name.to_owned()
    };
    truncate(&name, NAME_MAX)
}

fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let cut: String = text.chars().take(max - 1).collect();
    let end = cut.rfind(' ').unwrap_or(cut.len());
    format!("{}…", cut[..end].trim_end())
}

/// Markdown as plain text: paragraphs separated by a blank line, list
/// items on lines of their own after "- ".
pub fn plain(markdown: &str) -> String {
    use pulldown_cmark::{Event, Parser, Tag, TagEnd};
    let mut out = String::new();
    for event in Parser::new(markdown) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::Start(Tag::Item) => out.push_str("- "),
            Event::End(TagEnd::Item) => out.push('\n'),
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::List(_)) => {
                out.push_str("\n\n")
            }
            _ => {}
        }
    }
    let lines: Vec<&str> = out.lines().map(str::trim_end).collect();
    lines.join("\n").replace("\n\n\n", "\n\n").trim().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use passerelle_livret::bundled;

    #[test]
    fn descriptions_stay_within_the_bounds_and_say_where_the_rest_is() {
        let (_, parsed) = bundled::roubaix().unwrap_or_else(|e| panic!("{e}"));
        let programme = parsed
            .catalogue
            .current_programme()
            .unwrap_or_else(|| panic!("no programme"));
        let mut cut = 0;
        for a in &programme.actions {
            let d = description(a, "https://exemple.fr/actions/1");
            let n = d.chars().count();
            assert!(
                (DESCRIPTION_MIN..=DESCRIPTION_MAX).contains(&n),
                "fiche {}: {n}",
                a.fiche
            );
            if plain(&a.description).chars().count() > DESCRIPTION_MAX {
                cut += 1;
                assert!(d.ends_with("Description complète : https://exemple.fr/actions/1"));
            }
        }
        // The booklet has descriptions longer than the schema advises.
        assert!(cut > 0);
    }

    #[test]
    fn names_fit_the_schema() {
        assert_eq!(name("AB"), "AB (Cité éducative)");
        assert_eq!(name("Atelier."), "Atelier");
        let long = "mot ".repeat(60);
        let n = name(&long);
        assert!(n.chars().count() <= NAME_MAX && n.ends_with('…'), "{n}");
    }
}
