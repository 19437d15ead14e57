//! Text as users read it: French typography, Markdown rendered safely,
//! words of a search highlighted, ages and dates in plain French.

use passerelle_domain::AgeRange;
use passerelle_domain::text::fold;

/// French typography: a non-breaking space before `:` and inside « »,
/// a narrow one before `; ? !`.
/// Today in Europe/Paris, where the dates of events are written.
pub(crate) fn paris_today() -> passerelle_domain::Date {
    paris_date(time::OffsetDateTime::now_utc())
}

/// The day it is in Europe/Paris at an instant.
pub(crate) fn paris_date(at: time::OffsetDateTime) -> passerelle_domain::Date {
    let now = at.to_offset(time::UtcOffset::UTC);
    let date = |d: time::Date| passerelle_domain::Date {
        year: d.year(),
        month: u8::from(d.month()),
        day: d.day(),
    };
    // The offset of the UTC day is the Paris day's but on the two nights
    // the clocks change, before 3 a.m., where an hour either way is still
    // the same Paris day.
    let hours = if date(now.date()).paris_offset() == "+02:00" {
        2
    } else {
        1
    };
    date((now + time::Duration::hours(hours)).date())
}

/// A number of things in French: `none` for 0 (« aucune case vide »), the
/// singular for 1 (« 1 action »), the plural otherwise (« 6 actions »).
pub(crate) fn count(n: usize, none: &str, one: &str, many: &str) -> String {
    match n {
        0 => none.to_owned(),
        1 => format!("1 {one}"),
        n => format!("{n} {many}"),
    }
}

pub(crate) fn fr(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    let chars: Vec<char> = s.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let next = chars.get(i + 1).copied();
        match c {
            ' ' if matches!(next, Some(':')) => out.push('\u{a0}'),
            ' ' if matches!(next, Some(';' | '?' | '!')) => out.push('\u{202f}'),
            ' ' if matches!(next, Some('»')) => out.push('\u{a0}'),
            ' ' if i > 0 && chars[i - 1] == '«' => out.push('\u{a0}'),
            _ => out.push(c),
        }
    }
    out
}

/// Markdown (a fiche's description) to HTML, sanitised: only harmless tags
/// survive, links get `rel="noopener noreferrer"`.
pub(crate) fn markdown(md: &str) -> String {
    let parser = pulldown_cmark::Parser::new_ext(md, pulldown_cmark::Options::ENABLE_STRIKETHROUGH);
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, parser);
    let clean = ammonia::Builder::default()
        .add_tags(["sup", "sub"])
        .clean(&html)
        .to_string();
    fr_html(&clean)
}

/// One line of Markdown (an objective) to inline HTML, sanitised.
pub(crate) fn markdown_inline(md: &str) -> String {
    let html = markdown(md);
    html.trim()
        .strip_prefix("<p>")
        .and_then(|h| h.strip_suffix("</p>"))
        .unwrap_or(&html)
        .to_owned()
}

/// A CSV field for a French spreadsheet: `;`-separated, quoted when needed,
/// on one line, and never starting with a formula character.
pub(crate) fn csv_field(s: &str) -> String {
    let s = passerelle_domain::text::defuse(&s.replace(['\r', '\n'], " ")).into_owned();
    if s.contains([';', '"']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// French typography on HTML text (outside tags).
fn fr_html(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' if !in_tag => {
                out.push_str(&fr(&text));
                text.clear();
                in_tag = true;
                out.push(c);
            }
            '>' if in_tag => {
                in_tag = false;
                out.push(c);
            }
            _ if in_tag => out.push(c),
            _ => text.push(c),
        }
    }
    out.push_str(&fr(&text));
    out
}

/// "de 2 à 18 ans".
pub(crate) fn ages(r: AgeRange) -> String {
    if r.min() == r.max() {
        format!("{} ans", r.min())
    } else {
        format!("de {} à {} ans", r.min(), r.max())
    }
}

/// A piece of text, marked when it matched the search.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Segment {
    pub(crate) text: String,
    pub(crate) mark: bool,
}

/// Splits `text` into segments, marking the words that match one of the
/// search's stems (by folded prefix).
pub(crate) fn highlight(text: &str, stems: &[String]) -> Vec<Segment> {
    let text = fr(text);
    if stems.is_empty() {
        return vec![Segment { text, mark: false }];
    }
    let mut out: Vec<Segment> = Vec::new();
    let mut push = |s: &str, mark: bool| match out.last_mut() {
        Some(last) if last.mark == mark => last.text.push_str(s),
        _ => out.push(Segment {
            text: s.to_owned(),
            mark,
        }),
    };
    let mut word_start: Option<usize> = None;
    let flush = |start: usize, end: usize, push: &mut dyn FnMut(&str, bool)| {
        let word = &text[start..end];
        let f = fold(word);
        let mark = f.chars().count() >= 3
            && stems
                .iter()
                .any(|s| s.len() >= 3 && f.starts_with(s.as_str()));
        push(word, mark);
    };
    for (i, c) in text.char_indices() {
        if c.is_alphanumeric() {
            word_start.get_or_insert(i);
        } else {
            if let Some(s) = word_start.take() {
                flush(s, i, &mut push);
            }
            push(&text[i..i + c.len_utf8()], false);
        }
    }
    if let Some(s) = word_start {
        flush(s, text.len(), &mut push);
    }
    out
}

/// The day in Paris of a unix instant, and its hour and minute there.
fn paris_of(unix: i64) -> Option<(passerelle_domain::Date, u8, u8)> {
    let t = time::OffsetDateTime::from_unix_timestamp(unix).ok()?;
    let rfc = t
        .format(&time::format_description::well_known::Rfc3339)
        .ok()?;
    let day = passerelle_domain::Date::paris_day_of(&rfc)?;
    let offset = if day.paris_offset() == "+02:00" { 2 } else { 1 };
    let local = t + time::Duration::hours(offset);
    Some((day, local.hour(), local.minute()))
}

/// A unix instant as its French date in Paris (`3 mars 2027`).
pub(crate) fn paris_day(unix: i64) -> String {
    paris_of(unix)
        .map(|(d, _, _)| d.french())
        .unwrap_or_default()
}

/// A unix instant as its French date and hour in Paris
/// (`3 mars 2027 à 14h05`).
pub(crate) fn paris_moment(unix: i64) -> String {
    paris_of(unix)
        .map(|(d, h, m)| format!("{} à {h}h{m:02}", d.french()))
        .unwrap_or_default()
}

/// The year in Paris at a unix instant.
pub(crate) fn paris_year(unix: i64) -> i32 {
    paris_of(unix).map_or(1970, |(d, _, _)| d.year)
}

#[cfg(test)]
mod tests {
    #[test]
    fn counts_are_written_as_french_does() {
        assert_eq!(
            super::count(0, "aucune case vide", "case vide", "cases vides"),
            "aucune case vide"
        );
        assert_eq!(
            super::count(1, "aucune action", "action", "actions"),
            "1 action"
        );
        assert_eq!(
            super::count(6, "aucune action", "action", "actions"),
            "6 actions"
        );
    }

    use super::*;

    #[test]
    fn french_typography() {
        assert_eq!(
            fr("Objectifs : « oui » ; non ?"),
            "Objectifs\u{a0}: «\u{a0}oui\u{a0}»\u{202f}; non\u{202f}?"
        );
        assert_eq!(fr("https://x.fr"), "https://x.fr");
    }

    #[test]
    fn markdown_is_sanitised() {
        let html = markdown(
            "**gras** <script>alert(1)</script> 1<sup>er</sup> [lien](javascript:alert(1))",
        );
        assert!(html.contains("<strong>gras</strong>"));
        assert!(html.contains("<sup>er</sup>"));
        assert!(!html.contains("<script"));
        assert!(!html.contains("javascript:"));
    }

    #[test]
    fn highlight_marks_words_by_stem() {
        let segs = highlight("Les médiateurs et la médiation", &["mediat".to_owned()]);
        let marked: Vec<&str> = segs
            .iter()
            .filter(|s| s.mark)
            .map(|s| s.text.as_str())
            .collect();
        assert_eq!(marked, ["médiateurs", "médiation"]);
        assert_eq!(
            segs.iter().map(|s| s.text.as_str()).collect::<String>(),
            "Les médiateurs et la médiation"
        );
    }
}
