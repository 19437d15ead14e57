//! An issue made from the programme: its introduction, the actions added
//! or changed since the list's last issue, the next events with their
//! registration links, a fiche presented, a free block — as the HTML and
//! the plain text every recipient receives (their own links are added
//! around it by `letter.rs`). Only what the data say: an empty block says
//! it is empty, with its period.

use askama::Template;
use passerelle_domain::newsletter::{Blocks, Claimed, Issue, NewsletterList};
use passerelle_domain::{Catalogue, EntityDates, EntityKind};

use crate::shared::mail::Letter;
use crate::shared::text::{fr, markdown, paris_today};

/// A thing the letter points at.
#[derive(Debug, Clone)]
pub(crate) struct Item {
    pub(crate) title: String,
    /// Absolute.
    pub(crate) href: String,
    pub(crate) text: String,
    /// Absolute: the event's registration form, when it is open.
    pub(crate) register: Option<String>,
}

#[derive(Debug, Clone)]
pub(crate) struct Section {
    pub(crate) heading: String,
    pub(crate) lead: String,
    pub(crate) items: Vec<Item>,
}

#[derive(Template)]
#[template(path = "newsletter/body.html")]
struct BodyHtml<'a> {
    title: &'a str,
    intro: String,
    sections: &'a [Section],
    free: String,
}

#[derive(Template)]
#[template(path = "newsletter/body.txt")]
struct BodyText<'a> {
    title: &'a str,
    intro: &'a str,
    sections: &'a [Section],
    free: &'a str,
}

/// What the composition reads.
pub(crate) struct Source<'a> {
    pub(crate) catalogue: &'a Catalogue,
    pub(crate) dates: &'a [EntityDates],
    /// When the list's last issue was queued (RFC 3339), if any.
    pub(crate) since: Option<&'a str>,
    /// A path of the cité as an absolute address.
    pub(crate) absolute: &'a (dyn Fn(&str) -> String + Sync),
}

/// The day "since" is counted from, as a date and in French: the last
/// issue's day, or 31 days ago for a list's first issue.
fn since_day(since: Option<&str>) -> (String, String) {
    let day = since
        .and_then(passerelle_domain::Date::paris_day_of)
        .unwrap_or_else(|| {
            let d = time::OffsetDateTime::now_utc() - time::Duration::days(31);
            crate::shared::text::paris_date(d)
        });
    (day.iso(), day.french())
}

fn first_paragraph(md: &str) -> String {
    let para = md
        .split("\n\n")
        .map(str::trim)
        .find(|p| !p.is_empty() && !p.starts_with('#'))
        .unwrap_or_default();
    let plain: String = para
        .replace(['*', '_', '`'], "")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    if plain.chars().count() <= 600 {
        return plain;
    }
    let cut: String = plain.chars().take(600).collect();
    match cut.rfind(". ") {
        Some(end) => cut[..=end].to_owned(),
        None => format!("{}…", cut.trim_end()),
    }
}

/// The blocks an issue holds, from the data.
pub(crate) fn sections(blocks: &Blocks, src: &Source<'_>) -> Vec<Section> {
    let mut out = Vec::new();
    let programme = src.catalogue.current_programme();
    if blocks.changes {
        let (since_iso, since_fr) = since_day(src.since);
        let mut items = Vec::new();
        if let Some(p) = programme {
            for a in &p.actions {
                let key = format!("{}/{}", p.slug, a.slug());
                let Some(d) = src
                    .dates
                    .iter()
                    .find(|d| d.kind == EntityKind::Action && d.key == key)
                else {
                    continue;
                };
                let day = |at: &str| passerelle_domain::Date::paris_day_of(at);
                let (Some(created), Some(updated)) = (day(&d.created), day(&d.updated)) else {
                    continue;
                };
                if updated.iso() < since_iso {
                    continue;
                }
                let text = if created.iso() >= since_iso {
                    format!("Nouvelle action, ajoutée le {}.", created.french())
                } else {
                    format!("Fiche mise à jour le {}.", updated.french())
                };
                items.push(Item {
                    title: fr(&format!("Fiche {} — {}", a.fiche, a.title)),
                    href: (src.absolute)(&format!("/actions/{}", a.fiche)),
                    text,
                    register: None,
                });
            }
        }
        let lead = if items.is_empty() {
            format!("Aucune action n'a été ajoutée ni modifiée depuis le {since_fr}.")
        } else {
            format!("Depuis le {since_fr} :")
        };
        out.push(Section {
            heading: "Actions nouvelles ou modifiées".into(),
            lead,
            items,
        });
    }
    if blocks.events {
        let today = paris_today();
        let mut events: Vec<_> = src
            .catalogue
            .seminars
            .iter()
            .filter(|e| e.date >= today)
            .collect();
        events.sort_by_key(|e| e.date);
        let items: Vec<Item> = events
            .iter()
            .map(|e| Item {
                title: fr(&format!("{} — {}", e.title, e.date.french())),
                href: (src.absolute)(&format!("/seminaire/{}", e.slug)),
                text: fr(&e.subtitle),
                register: e
                    .registration_open
                    .then(|| (src.absolute)(&format!("/seminaire/{}/inscription", e.slug))),
            })
            .collect();
        out.push(Section {
            heading: "Prochains rendez-vous".into(),
            lead: if items.is_empty() {
                "Aucun événement n'est annoncé pour l'instant.".into()
            } else {
                String::new()
            },
            items,
        });
    }
    let chosen = blocks
        .fiche
        .and_then(|n| programme.and_then(|p| p.actions.iter().find(|a| a.fiche.get() == n)));
    if let Some(a) = chosen {
        out.push(Section {
            heading: "Une action à découvrir".into(),
            lead: String::new(),
            items: vec![Item {
                title: fr(&format!("Fiche {} — {}", a.fiche, a.title)),
                href: (src.absolute)(&format!("/actions/{}", a.fiche)),
                text: fr(&first_paragraph(&a.description)),
                register: None,
            }],
        });
    }
    out
}

/// The issue's body as HTML and as plain text.
pub(crate) fn body(
    title: &str,
    intro: &str,
    blocks: &Blocks,
    src: &Source<'_>,
) -> Result<(String, String), askama::Error> {
    let sections = sections(blocks, src);
    let html = BodyHtml {
        title,
        intro: markdown(intro),
        sections: &sections,
        free: markdown(&blocks.free),
    }
    .render()?;
    let text = BodyText {
        title,
        intro: intro.trim(),
        sections: &sections,
        free: blocks.free.trim(),
    }
    .render()?;
    Ok((html, text))
}

#[derive(Template)]
#[template(path = "newsletter/letter.html")]
struct LetterHtml<'a> {
    subject: &'a str,
    body: &'a str,
    web: Option<&'a str>,
    list: &'a str,
    cite: &'a str,
    preferences: &'a str,
    unsubscribe: &'a str,
}

#[derive(Template)]
#[template(path = "newsletter/letter.txt")]
struct LetterText<'a> {
    body: &'a str,
    web: Option<&'a str>,
    list: &'a str,
    cite: &'a str,
    preferences: &'a str,
    unsubscribe: &'a str,
}

/// Where a letter's links go, and what it says of its list.
pub(crate) struct Envelope<'a> {
    pub(crate) list: &'a NewsletterList,
    /// The cité's name.
    pub(crate) cite: &'a str,
    /// A path of the cité as an absolute address.
    pub(crate) absolute: &'a (dyn Fn(&str) -> String + Sync),
    /// The domain of `Message-ID` and `List-Id`.
    pub(crate) domain: &'a str,
    /// Where unsubscription requests may be written to.
    pub(crate) mailto: &'a str,
}

/// One recipient's letter: the frozen body, their own links around it.
pub(crate) fn letter(
    issue: &Issue,
    to: &Claimed,
    env: &Envelope<'_>,
) -> Result<Letter, askama::Error> {
    let preferences = (env.absolute)(&format!("/lettre/preferences/{}", to.token));
    let unsubscribe = (env.absolute)(&format!("/lettre/desinscription/{}", to.token));
    let web = env
        .list
        .public
        .then(|| (env.absolute)(&format!("/lettre/numeros/{}", issue.id)));
    let html_body = issue.html.as_deref().unwrap_or_default();
    let text_body = issue.text.as_deref().unwrap_or_default();
    let html = LetterHtml {
        subject: &issue.title,
        body: html_body,
        web: web.as_deref(),
        list: &env.list.name,
        cite: env.cite,
        preferences: &preferences,
        unsubscribe: &unsubscribe,
    }
    .render()?;
    let text = LetterText {
        body: text_body,
        web: web.as_deref(),
        list: &env.list.name,
        cite: env.cite,
        preferences: &preferences,
        unsubscribe: &unsubscribe,
    }
    .render()?;
    Ok(Letter {
        to: to.email.clone(),
        subject: issue.title.clone(),
        text,
        html,
        message_id: format!("lettre-{}-{}@{}", issue.id, to.subscriber, env.domain),
        // RFC 2919: the list's own label under the instance's domain (the
        // optional phrase is left out: a French name would be encoded).
        list_id: format!("<{}.{}.{}>", env.list.slug, env.list.cite, env.domain),
        unsubscribe_url: unsubscribe,
        unsubscribe_mailto: format!(
            "mailto:{}?subject=desinscription%20{}",
            env.mailto, to.token
        ),
    })
}
