//! The Markdown of descriptions and ambitions as blocks of plain runs, for
//! the template to print: paragraphs and lists of text, bold, italic and
//! links. Raw HTML and anything else Markdown may hold is printed as text.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub(crate) enum Block {
    Paragraph { runs: Vec<Run> },
    List { ordered: bool, items: Vec<Vec<Run>> },
}

/// A stretch of text in one style.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Run {
    pub text: String,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub strong: bool,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub emph: bool,
    /// Superscript (`1<sup>er</sup>`).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub sup: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
}

#[derive(Default)]
struct Builder {
    out: Vec<Block>,
    runs: Vec<Run>,
    list: Option<(bool, Vec<Vec<Run>>)>,
    strong: u32,
    emph: u32,
    sup: bool,
    link: Option<String>,
}

impl Builder {
    fn text(&mut self, text: &str) {
        let (strong, emph, sup, link) =
            (self.strong > 0, self.emph > 0, self.sup, self.link.clone());
        match self.runs.last_mut() {
            Some(r) if r.strong == strong && r.emph == emph && r.sup == sup && r.link == link => {
                r.text.push_str(text)
            }
            _ => self.runs.push(Run {
                text: text.to_owned(),
                strong,
                emph,
                sup,
                link,
            }),
        }
    }

    /// Ends the runs gathered so far: a list item inside a list, a
    /// paragraph otherwise.
    fn flush(&mut self) {
        let runs = trim(std::mem::take(&mut self.runs));
        if runs.is_empty() {
            return;
        }
        match &mut self.list {
            Some((_, items)) => match items.last_mut() {
                Some(item) if !item.is_empty() => {
                    item.push(Run {
                        text: " ".into(),
                        strong: false,
                        emph: false,
                        sup: false,
                        link: None,
                    });
                    item.extend(runs)
                }
                Some(item) => *item = runs,
                None => items.push(runs),
            },
            None => self.out.push(Block::Paragraph { runs }),
        }
    }
}

/// Leading and trailing spaces off a line of runs.
fn trim(mut runs: Vec<Run>) -> Vec<Run> {
    if let Some(first) = runs.first_mut() {
        first.text = first.text.trim_start().to_owned();
    }
    if let Some(last) = runs.last_mut() {
        last.text = last.text.trim_end().to_owned();
    }
    runs.retain(|r| !r.text.is_empty());
    runs
}

/// One line (an objective) as runs: its paragraphs joined.
pub(crate) fn inline(markdown: &str) -> Vec<Run> {
    let mut out: Vec<Run> = Vec::new();
    for block in blocks(markdown) {
        let runs = match block {
            Block::Paragraph { runs } => runs,
            Block::List { items, .. } => items.into_iter().flatten().collect(),
        };
        if !out.is_empty() {
            out.push(Run {
                text: " ".into(),
                strong: false,
                emph: false,
                sup: false,
                link: None,
            });
        }
        out.extend(runs);
    }
    out
}

pub(crate) fn blocks(markdown: &str) -> Vec<Block> {
    let mut b = Builder::default();
    for event in Parser::new_ext(markdown, Options::empty()) {
        match event {
            Event::Text(t) | Event::Code(t) => b.text(&t),
            // As on the web, where HTML is sanitised: `<sup>` is kept, other
            // tags are left out, their text kept.
            Event::InlineHtml(tag) => match tag.trim().to_ascii_lowercase().as_str() {
                "<sup>" => b.sup = true,
                "</sup>" => b.sup = false,
                _ => {}
            },
            Event::SoftBreak | Event::HardBreak => b.text(" "),
            Event::Start(Tag::Strong) => b.strong += 1,
            Event::End(TagEnd::Strong) => b.strong = b.strong.saturating_sub(1),
            Event::Start(Tag::Emphasis) => b.emph += 1,
            Event::End(TagEnd::Emphasis) => b.emph = b.emph.saturating_sub(1),
            Event::Start(Tag::Link { dest_url, .. }) => b.link = Some(dest_url.to_string()),
            Event::End(TagEnd::Link) => b.link = None,
            Event::Start(Tag::List(first)) => {
                b.flush();
                if b.list.is_none() {
                    b.list = Some((first.is_some(), Vec::new()));
                }
            }
            Event::Start(Tag::Item) => {
                b.flush();
                if let Some((_, items)) = &mut b.list {
                    items.push(Vec::new());
                }
            }
            Event::End(TagEnd::List(_)) => {
                b.flush();
                // Nested lists are flattened into their parent's items; the
                // outermost end closes the block.
                if let Some((ordered, items)) = b.list.take() {
                    let items: Vec<Vec<Run>> =
                        items.into_iter().filter(|i| !i.is_empty()).collect();
                    if !items.is_empty() {
                        b.out.push(Block::List { ordered, items });
                    }
                }
            }
            Event::End(TagEnd::Paragraph | TagEnd::Item) => b.flush(),
            // A heading inside a description prints as a bold paragraph.
            Event::Start(Tag::Heading { .. }) => {
                b.flush();
                b.strong += 1;
            }
            Event::End(TagEnd::Heading(_)) => {
                b.flush();
                b.strong = b.strong.saturating_sub(1);
            }
            _ => {}
        }
    }
    b.flush();
    b.out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(text: &str) -> Run {
        Run {
            text: text.into(),
            strong: false,
            emph: false,
            sup: false,
            link: None,
        }
    }

    #[test]
    fn paragraphs_lists_and_styles_become_runs() {
        let b = blocks(
            "Un **texte** en *deux*\nlignes.\n\n- premier\n- [second](https://exemple.fr)\n\nFin.",
        );
        assert_eq!(
            b,
            vec![
                Block::Paragraph {
                    runs: vec![
                        plain("Un "),
                        Run {
                            strong: true,
                            ..plain("texte")
                        },
                        plain(" en "),
                        Run {
                            emph: true,
                            ..plain("deux")
                        },
                        plain(" lignes."),
                    ]
                },
                Block::List {
                    ordered: false,
                    items: vec![
                        vec![plain("premier")],
                        vec![Run {
                            link: Some("https://exemple.fr".into()),
                            ..plain("second")
                        }],
                    ]
                },
                Block::Paragraph {
                    runs: vec![plain("Fin.")]
                },
            ]
        );
    }

    #[test]
    fn markup_of_other_languages_stays_text_and_html_tags_go() {
        let b = blocks("#set page(width: 1cm) $x$ <b>gras</b> @ref \\ ] le 1<sup>er</sup>");
        let Block::Paragraph { runs } = &b[0] else {
            panic!("{b:?}")
        };
        let text: String = runs.iter().map(|r| r.text.as_str()).collect();
        assert_eq!(text, "#set page(width: 1cm) $x$ gras @ref \\ ] le 1er");
        assert_eq!(
            runs.last(),
            Some(&Run {
                sup: true,
                ..plain("er")
            })
        );
    }
}
