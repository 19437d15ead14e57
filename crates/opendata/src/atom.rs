//! Atom feeds (RFC 4287) of a cité: its actions, newest change first, and
//! its events. Every entry has the elements the RFC requires (`id`,
//! `title`, `updated`, a link), the feed its `author`, `id`, `updated` and
//! `self` link.

use atom_syndication::{Entry, Feed, FixedDateTime, Link, Person, Text};
use passerelle_domain::{EntityKind, Programme};

use crate::datainclusion::plain;
use crate::tables::Published;

/// `tag:` URIs (RFC 4151) need a domain name: the base address's host,
/// without port.
fn authority(base_url: &str) -> String {
    let rest = base_url.split_once("://").map_or(base_url, |(_, r)| r);
    let host = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    let host = host.rsplit_once(':').map_or(host, |(h, _)| h);
    let host = host.trim_matches(['[', ']']);
    if host.is_empty() {
        "localhost".to_owned()
    } else {
        host.to_owned()
    }
}

fn date(rfc3339: &str) -> Option<FixedDateTime> {
    chrono::DateTime::parse_from_rfc3339(rfc3339).ok()
}

fn link(href: String, rel: &str, mime: Option<&str>) -> Link {
    Link {
        href,
        rel: rel.to_owned(),
        mime_type: mime.map(str::to_owned),
        ..Link::default()
    }
}

fn excerpt(markdown: &str, max: usize) -> String {
    let text = plain(markdown).replace('\n', " ");
    if text.chars().count() <= max {
        return text;
    }
    let cut: String = text.chars().take(max).collect();
    let end = cut.rfind(' ').unwrap_or(cut.len());
    format!("{}…", &cut[..end])
}

fn feed(
    c: &Published<'_>,
    path: &str,
    title: String,
    entries: Vec<Entry>,
    now: FixedDateTime,
) -> Vec<u8> {
    let updated = entries.iter().map(|e| e.updated).max().unwrap_or(now);
    let feed = Feed {
        title: Text::plain(title),
        id: format!("{}{path}", c.base_url),
        updated,
        authors: vec![Person {
            name: c.catalogue.cite.name.clone(),
            uri: Some(format!("{}/", c.base_url)),
            ..Person::default()
        }],
        links: vec![
            link(
                format!("{}{path}", c.base_url),
                "self",
                Some("application/atom+xml"),
            ),
            link(format!("{}/", c.base_url), "alternate", Some("text/html")),
        ],
        lang: Some("fr".to_owned()),
        rights: Some(Text::plain(format!(
            "{} ({})",
            crate::LICENCE.title,
            crate::LICENCE.path
        ))),
        generator: Some(atom_syndication::Generator {
            value: "Passerelle".to_owned(),
            ..Default::default()
        }),
        entries,
        ..Feed::default()
    };
    let mut out = Vec::new();
    // Writing to a Vec cannot fail.
    let _ = feed.write_to(&mut out);
    out
}

/// The actions of the current programme, the most recently changed first.
/// `now` (RFC 3339) stands for a date the history does not give.
pub fn actions(c: &Published<'_>, now: &str) -> Vec<u8> {
    let now = date(now).unwrap_or_default();
    let cat = c.catalogue.public_view();
    let host = authority(c.base_url);
    let mut entries: Vec<Entry> = cat
        .current_programme()
        .map(|p: &Programme| {
            p.actions
                .iter()
                .map(|a| {
                    let key = format!("{}/{}", p.slug, a.slug());
                    let dates = c
                        .dates
                        .iter()
                        .find(|d| d.kind == EntityKind::Action && d.key == key);
                    let updated = dates.and_then(|d| date(&d.updated)).unwrap_or(now);
                    Entry {
                        id: format!("tag:{host},{}:{}/{key}", p.start_year, cat.cite.slug),
                        title: Text::plain(format!("Fiche n°{} : {}", a.fiche, a.title)),
                        updated,
                        published: dates.and_then(|d| date(&d.created)),
                        links: vec![link(
                            format!("{}/actions/{}", c.base_url, a.fiche),
                            "alternate",
                            Some("text/html"),
                        )],
                        summary: Some(Text::plain(excerpt(&a.description, 400))),
                        ..Entry::default()
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    entries.sort_by(|a, b| b.updated.cmp(&a.updated).then_with(|| a.id.cmp(&b.id)));
    feed(
        c,
        "/flux/actions.atom",
        format!("{} : actions", cat.cite.name),
        entries,
        now,
    )
}

/// The seminars and meetings, the latest day first.
pub fn events(c: &Published<'_>, now: &str) -> Vec<u8> {
    let now = date(now).unwrap_or_default();
    let cat = c.catalogue;
    let host = authority(c.base_url);
    let mut seminars: Vec<_> = cat.seminars.iter().collect();
    seminars.sort_by_key(|s| std::cmp::Reverse(s.date));
    let entries = seminars
        .into_iter()
        .map(|s| {
            let dates = c
                .dates
                .iter()
                .find(|d| d.kind == EntityKind::Seminar && d.key == s.slug.as_str());
            let mut summary = format!("Le {}", s.date.french());
            if !s.place.is_empty() {
                summary.push_str(&format!(", {}", s.place));
            }
            summary.push('.');
            if !s.subtitle.is_empty() {
                summary = format!("{} — {summary}", s.subtitle);
            }
            Entry {
                id: format!(
                    "tag:{host},{}:{}/seminaire/{}",
                    s.date.year, cat.cite.slug, s.slug
                ),
                title: Text::plain(format!("{} ({})", s.title, s.date.french())),
                updated: dates.and_then(|d| date(&d.updated)).unwrap_or(now),
                published: dates.and_then(|d| date(&d.created)),
                links: vec![link(
                    format!("{}/seminaire/{}", c.base_url, s.slug),
                    "alternate",
                    Some("text/html"),
                )],
                summary: Some(Text::plain(summary)),
                ..Entry::default()
            }
        })
        .collect();
    feed(
        c,
        "/flux/evenements.atom",
        format!("{} : événements", cat.cite.name),
        entries,
        now,
    )
}

/// A published call for projects, as its feed announces it.
#[derive(Debug, Clone)]
pub struct CallItem {
    pub id: i64,
    pub title: String,
    /// Markdown.
    pub text: String,
    /// Its deadlines, in French.
    pub deadlines: String,
    /// RFC 3339.
    pub published: String,
    pub updated: String,
}

/// The published calls for projects, the latest published first: one
/// entry announces each call.
pub fn calls(c: &Published<'_>, items: &[CallItem], now: &str) -> Vec<u8> {
    let now = date(now).unwrap_or_default();
    let host = authority(c.base_url);
    let mut entries: Vec<Entry> = items
        .iter()
        .map(|call| {
            let published = date(&call.published).unwrap_or(now);
            Entry {
                id: format!(
                    "tag:{host},{}:{}/appels/{}",
                    published.format("%Y-%m-%d"),
                    c.catalogue.cite.slug,
                    call.id
                ),
                title: Text::plain(format!("Appel à projets : {}", call.title)),
                updated: date(&call.updated).unwrap_or(published),
                published: Some(published),
                links: vec![link(
                    format!("{}/appels/{}", c.base_url, call.id),
                    "alternate",
                    Some("text/html"),
                )],
                summary: Some(Text::plain(format!(
                    "{} {}",
                    call.deadlines,
                    excerpt(&call.text, 400)
                ))),
                ..Entry::default()
            }
        })
        .collect();
    entries.sort_by(|a, b| b.published.cmp(&a.published).then_with(|| a.id.cmp(&b.id)));
    feed(
        c,
        "/flux/appels.atom",
        format!("{} : appels à projets", c.catalogue.cite.name),
        entries,
        now,
    )
}

#[cfg(test)]
mod tests {
    use super::authority;

    #[test]
    fn the_tag_authority_is_the_host_alone() {
        assert_eq!(
            authority("https://passerelle.example/roubaix"),
            "passerelle.example"
        );
        assert_eq!(authority("http://127.0.0.1:8080"), "127.0.0.1");
        assert_eq!(authority("http://[::1]:8080/x"), "::1");
    }
}

/// A sent issue of a newsletter list, as its feed shows it.
#[derive(Debug, Clone)]
pub struct Letter {
    pub id: i64,
    pub title: String,
    /// The list's name.
    pub list: String,
    /// When it was sent (RFC 3339).
    pub sent_at: String,
    /// Its first lines, as plain text.
    pub summary: String,
}

/// The sent issues of the cité's public newsletter lists, the latest first.
pub fn letters(c: &Published<'_>, letters: &[Letter], now: &str) -> Vec<u8> {
    let now = date(now).unwrap_or_default();
    let host = authority(c.base_url);
    let mut entries: Vec<Entry> = letters
        .iter()
        .map(|l| {
            let updated = date(&l.sent_at).unwrap_or(now);
            Entry {
                id: format!(
                    "tag:{host},{}:{}/lettre/{}",
                    l.sent_at.get(..4).unwrap_or("2026"),
                    c.catalogue.cite.slug,
                    l.id
                ),
                title: Text::plain(l.title.clone()),
                updated,
                published: Some(updated),
                links: vec![link(
                    format!("{}/lettre/numeros/{}", c.base_url, l.id),
                    "alternate",
                    Some("text/html"),
                )],
                summary: Some(Text::plain(format!("{} — {}", l.list, l.summary))),
                ..Entry::default()
            }
        })
        .collect();
    entries.sort_by(|a, b| b.updated.cmp(&a.updated).then_with(|| a.id.cmp(&b.id)));
    feed(
        c,
        "/lettre/flux.atom",
        format!("{} : lettre d'infos", c.catalogue.cite.name),
        entries,
        now,
    )
}
