//! Scans the fiche pages of a booklet into raw fiches, each part with its line.
//!
//! A fiche usually spans two pages, each opening with the axis heading (`#`)
//! and the fiche heading (`## Fiche n°N – Title`). The scanner joins the
//! pages, continues a list cut by the page break, and starts a new fiche
//! where body text follows a fiche's contacts without any heading (fiches 17
//! and 26 of the 2022 booklet).

use passerelle_domain::OperatorRole;

use crate::items::{self, PrintedContact, PrintedOperator};
use crate::markdown::{
    Line, bullet, clean_label, heading, is_blank, key, starts_lowercase, strip_inline,
};
use crate::report::{Code, Irregularity, Severity};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Section {
    Description,
    Objectives,
    Audience,
    Perimeter,
    Partners,
    Resources,
    /// Contacts under a role group: index into `RawFiche::groups`.
    Group(usize),
    /// After a repeated fiche heading, before any section heading.
    Continuation,
}

impl Section {
    pub(crate) fn label(self) -> &'static str {
        match self {
            Section::Description => "Description",
            Section::Objectives => "Objectifs",
            Section::Audience => "Public cible",
            Section::Perimeter => "Périmètre",
            Section::Partners => "Partenaires",
            Section::Resources => "Ressources complémentaires",
            Section::Group(_) => "Contacts",
            Section::Continuation => "Suite",
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) struct RawContact {
    pub line: usize,
    pub group: usize,
    pub printed: PrintedContact,
}

#[derive(Debug, Clone)]
pub(crate) struct RawGroup {
    pub line: usize,
    pub printed: String,
    pub canonical: String,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct RawFiche {
    pub number: u32,
    pub number_inferred: bool,
    /// Set by an export's marker comment: the title was inferred upstream.
    pub title_marked_inferred: bool,
    pub start_line: usize,
    pub end_line: usize,
    pub axis_heading: String,
    /// Headings printed for this fiche, in order.
    pub titles: Vec<(usize, String)>,
    /// Line where a headless first page starts, if any.
    pub headless_start: Option<usize>,
    pub description: Vec<(usize, String)>,
    pub operators: Vec<(usize, OperatorRole, Vec<PrintedOperator>)>,
    pub objectives: Vec<(usize, String)>,
    pub audiences: Vec<(usize, String)>,
    pub perimeter: Vec<(usize, String)>,
    pub partners: Vec<(usize, String)>,
    pub resources: Vec<(usize, String, String)>,
    pub groups: Vec<RawGroup>,
    pub contacts: Vec<RawContact>,
    /// Sections opened (line, section, lines of content).
    pub sections: Vec<(usize, Section, usize)>,
    pub page_lines: Vec<usize>,
}

/// Role groups a contact list may be printed under.
const GROUPS: [(&str, &str); 9] = [
    ("troika", "Troïka"),
    ("ville", "Ville"),
    ("structure", "Structure"),
    ("mediatheque", "Médiathèque"),
    ("region", "Région"),
    ("prefecture", "Préfecture"),
    ("education nationale", "Éducation nationale"),
    ("departement", "Département"),
    ("contacts", "Contacts"),
];

fn section_of(label_key: &str) -> Option<Section> {
    match label_key {
        "objectifs" => Some(Section::Objectives),
        "public cible" | "publics cibles" | "public" => Some(Section::Audience),
        "perimetre" => Some(Section::Perimeter),
        "partenaires" => Some(Section::Partners),
        "ressources complementaires" | "ressources" => Some(Section::Resources),
        _ => None,
    }
}

pub(crate) fn group_of(label_key: &str) -> Option<&'static str> {
    GROUPS
        .iter()
        .find(|(k, _)| *k == label_key)
        .map(|(_, c)| *c)
}

/// `## Fiche n°12 – Title <!-- numéro déduit, titre déduit -->`.
pub(crate) struct FicheHeading {
    pub number: Option<u32>,
    pub title: String,
    pub number_inferred: bool,
    pub title_inferred: bool,
}

pub(crate) fn fiche_heading(text: &str) -> Option<FicheHeading> {
    let (level, rest) = heading(text)?;
    if level != 2 {
        return None;
    }
    let (rest, comment) = match (rest.find("<!--"), rest.find("-->")) {
        (Some(a), Some(b)) if a < b => (
            format!("{}{}", &rest[..a], &rest[b + 3..]),
            rest[a + 4..b].to_lowercase(),
        ),
        _ => (rest.to_owned(), String::new()),
    };
    let folded = passerelle_domain::text::fold(&rest);
    let after = ["fiche n°", "fiche n ", "fiche no ", "fiche no", "fiche n"]
        .iter()
        .find_map(|p| {
            folded
                .strip_prefix(&passerelle_domain::text::fold(p))
                .map(|_| p)
        })?;
    // Work on the original text: skip the prefix by char count.
    let prefix_chars = after.chars().count();
    let rest_orig: String = rest.chars().skip(prefix_chars).collect();
    let rest_orig = rest_orig.trim_start_matches(['°', ' ']);
    let digits: String = rest_orig.chars().take_while(char::is_ascii_digit).collect();
    let number = digits.parse::<u32>().ok();
    let title = rest_orig[digits.len()..]
        .trim_start_matches(|c: char| {
            c.is_whitespace() || c == '–' || c == '-' || c == '—' || c == ':'
        })
        .trim();
    Some(FicheHeading {
        number,
        title: strip_inline(title),
        number_inferred: comment.contains("numéro déduit"),
        title_inferred: comment.contains("titre déduit"),
    })
}

pub(crate) struct Scan {
    pub fiches: Vec<RawFiche>,
    /// Axis headings in order of first appearance, with their line.
    pub axis_headings: Vec<(usize, String)>,
    pub irregularities: Vec<Irregularity>,
}

struct Scanner {
    fiches: Vec<RawFiche>,
    current: Option<RawFiche>,
    section: Option<Section>,
    /// Last section that held list items, for lists cut by a page break.
    last_list: Option<Section>,
    paragraph: Vec<(usize, String)>,
    section_lines: usize,
    h1: String,
    h1_line: usize,
    axis_headings: Vec<(usize, String)>,
    irregularities: Vec<Irregularity>,
}

pub(crate) fn scan(lines: &[Line<'_>]) -> Scan {
    let mut s = Scanner {
        fiches: Vec::new(),
        current: None,
        section: None,
        last_list: None,
        paragraph: Vec::new(),
        section_lines: 0,
        h1: String::new(),
        h1_line: 0,
        axis_headings: Vec::new(),
        irregularities: Vec::new(),
    };
    for line in lines {
        s.line(*line);
    }
    s.close_section();
    s.finish_fiche(lines.last().map_or(0, |l| l.no));
    Scan {
        fiches: s.fiches,
        axis_headings: s.axis_headings,
        irregularities: s.irregularities,
    }
}

impl Scanner {
    fn line(&mut self, line: Line<'_>) {
        let text = line.text;
        if let Some(h) = fiche_heading(text) {
            self.fiche_heading(line, h);
            return;
        }
        if let Some((1, title)) = heading(text) {
            self.close_section();
            self.h1 = strip_inline(title);
            self.h1_line = line.no;
            let k = key(&self.h1);
            if !self.axis_headings.iter().any(|(_, h)| key(h) == k) {
                self.axis_headings.push((line.no, self.h1.clone()));
            }
            if let Some(f) = &mut self.current {
                f.page_lines.push(line.no);
            }
            return;
        }
        if self.current.is_none() {
            if !is_blank(text) && heading(text).is_none() {
                self.irregularities.push(Irregularity::new(
                    Code::UnexpectedContent,
                    Severity::Warning,
                    line.no,
                    "texte hors de toute fiche, ignoré",
                ));
            }
            return;
        }
        if self.section_heading(line) {
            return;
        }
        if is_blank(text) {
            self.flush_paragraph();
            if self.section == Some(Section::Description) {
                self.push_description(line.no, String::new());
            }
            return;
        }
        self.content(line);
    }

    fn fiche_heading(&mut self, line: Line<'_>, h: FicheHeading) {
        self.close_section();
        let current_number = self.current.as_ref().map(|f| f.number);
        let adopt = match (&self.current, h.number) {
            (Some(f), Some(n)) => f.number == n,
            (Some(f), None) => {
                !f.titles.is_empty() && f.titles.iter().any(|(_, t)| key(t) == key(&h.title))
            }
            _ => false,
        };
        if adopt {
            if let Some(f) = &mut self.current {
                if f.number_inferred && f.titles.is_empty() {
                    // A headless first page (fiche 26): its number is printed now.
                    f.number_inferred = h.number_inferred;
                }
                f.titles.push((line.no, h.title.clone()));
                f.title_marked_inferred |= h.title_inferred;
            }
            self.open(Section::Continuation, line.no);
            return;
        }
        self.finish_fiche(line.no.saturating_sub(1));
        let number = match h.number {
            Some(n) => n,
            None => {
                let n = current_number.map_or(1, |n| n + 1);
                self.irregularities.push(
                    Irregularity::new(
                        Code::MissingHeading,
                        Severity::Warning,
                        line.no,
                        format!(
                            "titre de fiche sans numéro ; numéro {n} déduit de l'ordre des fiches"
                        ),
                    )
                    .fiche(n),
                );
                n
            }
        };
        let mut f = RawFiche {
            number,
            number_inferred: h.number.is_none() || h.number_inferred,
            title_marked_inferred: h.title_inferred,
            start_line: line.no,
            axis_heading: self.h1.clone(),
            page_lines: vec![self.h1_line],
            ..RawFiche::default()
        };
        if h.title.is_empty() {
            self.irregularities.push(
                Irregularity::new(
                    Code::EmptyTitle,
                    Severity::Error,
                    line.no,
                    format!("la fiche n°{number} n'a pas de titre ; titre déduit du texte"),
                )
                .fiche(number),
            );
        } else {
            f.titles.push((line.no, h.title));
        }
        self.current = Some(f);
        self.open(Section::Description, line.no);
    }

    /// Section headings (any level) and role-group lines (`Troïka :`).
    fn section_heading(&mut self, line: Line<'_>) -> bool {
        let text = line.text;
        let is_heading = heading(text).is_some();
        let label = match heading(text) {
            Some((_, t)) => t.to_owned(),
            None => text.trim().to_owned(),
        };
        let k = key(&label);
        if let Some(section) = section_of(&k).filter(|_| is_heading) {
            self.close_section();
            self.open(section, line.no);
            return true;
        }
        let ends_with_colon = strip_inline(&label).trim_end().ends_with(':');
        if let Some(canonical) = group_of(&k).filter(|_| is_heading || ends_with_colon) {
            self.close_section();
            let Some(f) = &mut self.current else {
                return true;
            };
            f.groups.push(RawGroup {
                line: line.no,
                printed: clean_label(&label),
                canonical: canonical.to_owned(),
            });
            let idx = f.groups.len() - 1;
            self.open(Section::Group(idx), line.no);
            return true;
        }
        if is_heading && self.section == Some(Section::Resources) {
            self.flush_paragraph();
            self.paragraph.push((line.no, clean_label(&label)));
            self.section_lines += 1;
            return true;
        }
        false
    }

    fn open(&mut self, section: Section, line: usize) {
        self.section = Some(section);
        self.section_lines = 0;
        if let Some(f) = &mut self.current {
            f.sections.push((line, section, 0));
        }
    }

    fn close_section(&mut self) {
        self.flush_paragraph();
        if let Some((no, title)) = self.paragraph.pop() {
            self.paragraph.clear();
            self.irregularities.push(
                Irregularity::new(
                    Code::UnexpectedContent,
                    Severity::Warning,
                    no,
                    format!("ressource « {title} » sans lien"),
                )
                .fiche(self.number()),
            );
        }
        if let Some(f) = &mut self.current {
            if let Some(last) = f.sections.last_mut() {
                last.2 = self.section_lines;
            }
            // Trailing blank lines of a description are not content.
            while f.description.last().is_some_and(|(_, t)| t.is_empty()) {
                f.description.pop();
            }
        }
    }

    fn content(&mut self, line: Line<'_>) {
        let text = line.text.trim_end();
        let section = self.section.unwrap_or(Section::Continuation);
        // Body text after a fiche's contacts, with no heading: a new fiche.
        if let Section::Group(_) = section
            && bullet(text).is_none()
        {
            self.start_headless(line.no);
            self.content(line);
            return;
        }
        self.section_lines += 1;
        match section {
            Section::Description => self.description_line(line.no, text),
            Section::Objectives => {
                self.last_list = Some(Section::Objectives);
                self.list_item(line.no, text, Section::Objectives);
            }
            Section::Continuation => match (self.last_list, bullet(text)) {
                (Some(list), Some(_)) => self.list_item(line.no, text, list),
                (Some(list), None) if starts_lowercase(text) => {
                    self.irregularities.push(
                        Irregularity::new(
                            Code::SentenceAcrossPages,
                            Severity::Info,
                            line.no,
                            format!("phrase coupée par le changement de page (rubrique « {} ») ; rejointe", list.label()),
                        )
                        .fiche(self.number()),
                    );
                    self.list_item(line.no, text, list);
                }
                _ => self.description_line(line.no, text),
            },
            Section::Audience | Section::Perimeter | Section::Partners | Section::Resources => {
                self.paragraph.push((line.no, text.to_owned()));
            }
            Section::Group(g) => {
                let item = bullet(text).unwrap_or(text);
                let number = self.number();
                match items::contact(item) {
                    Some(printed) => {
                        if let Some(f) = &mut self.current {
                            f.contacts.push(RawContact {
                                line: line.no,
                                group: g,
                                printed,
                            });
                        }
                    }
                    None => self.irregularities.push(
                        Irregularity::new(
                            Code::UnparsedContact,
                            Severity::Error,
                            line.no,
                            format!("contact illisible : « {item} »"),
                        )
                        .fiche(number),
                    ),
                }
            }
        }
    }

    fn description_line(&mut self, no: usize, text: &str) {
        if let Some((role, ops)) = items::operator_sentence(text) {
            if let Some(f) = &mut self.current {
                f.operators.push((no, role, ops));
            }
            return;
        }
        if bullet(text).is_some() {
            self.last_list = Some(Section::Description);
        }
        self.push_description(no, text.to_owned());
    }

    fn push_description(&mut self, no: usize, text: String) {
        if let Some(f) = &mut self.current {
            if text.is_empty() && f.description.last().is_none_or(|(_, t)| t.is_empty()) {
                return;
            }
            f.description.push((no, text));
        }
    }

    fn list_item(&mut self, no: usize, text: &str, list: Section) {
        let Some(f) = &mut self.current else { return };
        let target = match list {
            Section::Objectives => &mut f.objectives,
            _ => {
                f.description.push((no, text.to_owned()));
                return;
            }
        };
        match bullet(text) {
            Some(item) => target.push((no, item.to_owned())),
            None => match target.last_mut() {
                Some(last) if starts_lowercase(text) => {
                    last.1 = format!("{} {}", last.1.trim_end(), text.trim());
                }
                _ => target.push((no, text.trim().to_owned())),
            },
        }
    }

    fn flush_paragraph(&mut self) {
        if self.paragraph.is_empty() {
            return;
        }
        let para = std::mem::take(&mut self.paragraph);
        let Some(f) = &mut self.current else { return };
        let first = para[0].0;
        let texts: Vec<&str> = para.iter().map(|(_, t)| t.trim()).collect();
        match self.section {
            Some(Section::Audience) => f
                .audiences
                .push((first, crate::markdown::join_label(&texts))),
            Some(Section::Perimeter) => f
                .perimeter
                .push((first, crate::markdown::join_label(&texts))),
            Some(Section::Partners) => f
                .partners
                .push((first, crate::markdown::join_label(&texts))),
            Some(Section::Resources) => {
                // A title line (bold or heading) followed by its URL.
                let mut title: Option<String> = None;
                for (no, t) in &para {
                    let url = t.trim().trim_start_matches('<').trim_end_matches('>');
                    if url.starts_with("http://") || url.starts_with("https://") {
                        let title = title.take().unwrap_or_else(|| url.to_owned());
                        f.resources.push((*no, title, url.to_owned()));
                    } else {
                        title = Some(strip_inline(t));
                    }
                }
                if let Some(t) = title {
                    // A title whose URL follows after a blank line.
                    self.paragraph.push((first, t));
                }
            }
            _ => {}
        }
    }

    fn number(&self) -> u32 {
        self.current.as_ref().map_or(0, |f| f.number)
    }

    fn start_headless(&mut self, line: usize) {
        self.close_section();
        let number = self.number() + 1;
        self.finish_fiche(line.saturating_sub(1));
        self.current = Some(RawFiche {
            number,
            number_inferred: true,
            start_line: line,
            headless_start: Some(line),
            axis_heading: self.h1.clone(),
            page_lines: vec![self.h1_line],
            ..RawFiche::default()
        });
        self.open(Section::Description, line);
    }

    fn finish_fiche(&mut self, end_line: usize) {
        self.close_section();
        if let Some(mut f) = self.current.take() {
            f.end_line = end_line.max(f.start_line);
            self.fiches.push(f);
        }
        self.section = None;
        self.last_list = None;
    }
}
