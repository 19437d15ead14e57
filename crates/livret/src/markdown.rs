//! Line-level reading of the booklet's Markdown: headings, bullets, inline
//! markup, and the invisible characters a PDF conversion leaves behind.

use passerelle_domain::text::{fold, squash_spaces};

/// A line of the booklet with its 1-based number.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Line<'a> {
    pub no: usize,
    pub text: &'a str,
}

pub(crate) fn lines(text: &str) -> Vec<Line<'_>> {
    text.lines()
        .enumerate()
        .map(|(i, t)| Line { no: i + 1, text: t })
        .collect()
}

/// True for a line with nothing visible (spaces, non-breaking spaces, `&nbsp;`).
pub(crate) fn is_blank(s: &str) -> bool {
    s.replace("&nbsp;", "")
        .chars()
        .all(|c| c.is_whitespace() || c == '\u{a0}' || c == '\u{200b}' || c == '\u{feff}')
}

/// `### Title` → `(3, "Title")`.
pub(crate) fn heading(s: &str) -> Option<(usize, &str)> {
    let t = s.trim_start();
    let level = t.chars().take_while(|&c| c == '#').count();
    if (1..=6).contains(&level) {
        let rest = &t[level..];
        if rest.is_empty() || rest.starts_with(' ') || rest.starts_with('\t') {
            return Some((level, rest.trim()));
        }
    }
    None
}

/// A heading's words without the decorations the booklet puts around them:
/// emoji and arrows in front, a colon behind (`🗨️ Troïka :` → `Troïka`).
pub(crate) fn clean_label(s: &str) -> String {
    let s = strip_inline(s);
    let s = s.trim_start_matches(|c: char| !c.is_alphanumeric() && c != '«' && c != '(');
    let s = s.trim_end_matches(|c: char| c.is_whitespace() || c == ':' || c == '\u{a0}');
    squash_spaces(s)
}

/// `- item`, `* item` or `• item` → `item`.
pub(crate) fn bullet(s: &str) -> Option<&str> {
    let t = s.trim_start();
    for marker in ["- ", "* ", "• ", "+ "] {
        if let Some(rest) = t.strip_prefix(marker) {
            return Some(rest.trim());
        }
    }
    if t == "-" || t == "*" {
        return Some("");
    }
    None
}

/// Removes inline Markdown and HTML markup, keeping the words:
/// `**a** *b* <b>c</b> 1<sup>er</sup>` → `a b c 1er`.
pub(crate) fn strip_inline(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        let after = &rest[i..];
        match after.find('>') {
            Some(j) if is_tag(&after[1..j]) => {
                let tag = &after[1..j];
                if tag.eq_ignore_ascii_case("br") || tag.eq_ignore_ascii_case("br/") {
                    out.push(' ');
                }
                rest = &after[j + 1..];
            }
            _ => {
                out.push('<');
                rest = &after[1..];
            }
        }
    }
    out.push_str(rest);
    let out = out
        .replace("**", "")
        .replace('*', "")
        .replace("&nbsp;", " ");
    squash_spaces(&out)
}

fn is_tag(inner: &str) -> bool {
    let name = inner.trim_start_matches('/');
    let name = name.split_whitespace().next().unwrap_or("");
    let name = name.trim_end_matches('/');
    [
        "b", "i", "u", "em", "strong", "sup", "sub", "br", "ul", "li", "span", "p",
    ]
    .iter()
    .any(|t| name.eq_ignore_ascii_case(t))
}

/// Joins the lines of one printed label broken over several lines
/// (`Etablissements  ` / `scolaires` → `Etablissements scolaires`).
pub(crate) fn join_label(lines: &[&str]) -> String {
    strip_inline(&lines.join(" "))
}

/// True when the text starts with a lowercase letter: the continuation of a
/// sentence cut by a page break.
pub(crate) fn starts_lowercase(s: &str) -> bool {
    s.trim_start()
        .chars()
        .next()
        .is_some_and(char::is_lowercase)
}

/// Folded comparison key of a label, for matching headings.
pub(crate) fn key(s: &str) -> String {
    squash_spaces(&fold(&clean_label(s)).replace(['’', '\''], " "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_keep_their_level_and_lose_decorations() {
        assert_eq!(heading("### 📍 Périmètre"), Some((3, "📍 Périmètre")));
        assert_eq!(clean_label("🗨️ Troïka :"), "Troïka");
        assert_eq!(clean_label("→ Objectifs"), "Objectifs");
        assert_eq!(heading("#hashtag"), None);
        assert_eq!(key("### Troika :"), "troika");
    }

    #[test]
    fn inline_markup_is_stripped_but_words_kept() {
        assert_eq!(
            strip_inline("Médiation dans le 1<sup>er</sup> degré **vite** *ici* <b>là</b>"),
            "Médiation dans le 1er degré vite ici là"
        );
        assert_eq!(strip_inline("a<br>b"), "a b");
        assert_eq!(strip_inline("x < y"), "x < y");
    }

    #[test]
    fn blank_lines_include_invisible_characters() {
        assert!(is_blank(" \u{a0} "));
        assert!(is_blank("&nbsp;"));
        assert!(!is_blank("a"));
    }
}
