//! Reads the seminar programme at the head of the booklet: the day, its
//! half-days, timed sessions, axis reviews with their speakers, the
//! contribution workshops and the walking questions.

use passerelle_domain::text::fold;
use passerelle_domain::{
    ClockTime, Date, HalfDay, Intervention, Seminar, Session, SessionKind, SessionPart, Slug,
    Speaker, Workshop,
};

use crate::items::{PrintedSpeaker, title_and_speakers};
use crate::markdown::{Line, bullet, heading, is_blank, strip_inline};
use crate::report::{Code, Irregularity, Severity};

/// What the seminar pages give besides the seminar itself.
#[derive(Debug, Default)]
pub(crate) struct SeminarScan {
    pub seminar: Option<Seminar>,
    /// (axis number, title, ambition) from the axis reviews.
    pub axes: Vec<(u8, String, String)>,
    /// Printed speakers with their line, to link to people.
    pub speakers: Vec<(usize, PrintedSpeaker)>,
    /// "programmation 2020-2022" in the booklet's introduction.
    pub programme_years: Option<(i32, i32)>,
    pub irregularities: Vec<Irregularity>,
}

const MONTHS: [&str; 12] = [
    "janvier",
    "fevrier",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "aout",
    "septembre",
    "octobre",
    "novembre",
    "decembre",
];

fn french_date(s: &str) -> Option<Date> {
    let f = fold(s);
    let words: Vec<&str> = f
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    words.windows(3).find_map(|w| {
        let day = w[0].trim_end_matches("er").parse::<u8>().ok()?;
        let month = MONTHS.iter().position(|m| *m == w[1])? as u8 + 1;
        let year = w[2].parse::<i32>().ok()?;
        Date::new(year, month, day)
    })
}

/// `9H00`, `14h30` at the start of `s`: the time and the rest.
fn clock(s: &str) -> Option<(ClockTime, &str)> {
    let digits: String = s.chars().take_while(char::is_ascii_digit).collect();
    if digits.is_empty() || digits.len() > 2 {
        return None;
    }
    let rest = s[digits.len()..].strip_prefix(['H', 'h'])?;
    let mins: String = rest.chars().take_while(char::is_ascii_digit).collect();
    let minute = if mins.is_empty() {
        0
    } else {
        mins.parse().ok()?
    };
    Some((
        ClockTime::new(digits.parse().ok()?, minute)?,
        &rest[mins.len()..],
    ))
}

/// `9H30-12H00 : TITLE` or `9H00 : TITLE`.
fn timed(s: &str) -> Option<(ClockTime, Option<ClockTime>, String)> {
    let (start, rest) = clock(s.trim())?;
    let (end, rest) = match rest.trim_start().strip_prefix(['-', '–']) {
        Some(r) => {
            let (e, r) = clock(r.trim_start())?;
            (Some(e), r)
        }
        None => (None, rest),
    };
    let title = rest.trim_start().strip_prefix(':')?.trim();
    Some((start, end, title.to_owned()))
}

/// `MATINÉE (9H00-12H00) title` / `APRÈS-MIDI (14H00-17H30) title`.
fn half_day(s: &str) -> Option<HalfDay> {
    let f = fold(s);
    if !(f.starts_with("matinee") || f.starts_with("apres-midi")) {
        return None;
    }
    let open = s.find('(')?;
    let close = s[open..].find(')')? + open;
    let (start, rest) = clock(&s[open + 1..close])?;
    let (end, _) = clock(rest.trim_start_matches(['-', '–']))?;
    let label = if f.starts_with("matinee") {
        "Matinée"
    } else {
        "Après-midi"
    };
    Some(HalfDay {
        label: label.to_owned(),
        start,
        end,
        title: s[close + 1..].trim().to_owned(),
        sessions: Vec::new(),
    })
}

fn session_kind(title: &str, subtitle: &str) -> SessionKind {
    let f = fold(&format!("{title} {subtitle}"));
    if f.contains("accueil") || f.contains("ouverture") {
        SessionKind::Ouverture
    } else if f.contains("bilan") {
        SessionKind::Bilan
    } else if f.contains("atelier") {
        SessionKind::Ateliers
    } else if f.contains("deambulatoire") || f.contains("se projeter") {
        SessionKind::Deambulation
    } else if f.contains("cloture") || f.contains("conclusion") {
        SessionKind::Cloture
    } else {
        SessionKind::Conference
    }
}

fn speaker(p: PrintedSpeaker) -> Speaker {
    Speaker {
        name: p.name,
        function: p.function,
        person: None,
    }
}

/// Blocks of the seminar pages: a heading, a paragraph (lines joined), a
/// bullet, a table row or a workshop row, each with its first line.
enum Block {
    Heading(usize, usize, String),
    Para(usize, String),
    Bullet(usize, String),
    Row(usize, Vec<String>),
    Workshop(usize, String),
}

fn blocks(lines: &[Line<'_>]) -> Vec<Block> {
    let mut out = Vec::new();
    let mut para: Vec<(usize, &str)> = Vec::new();
    let flush = |para: &mut Vec<(usize, &str)>, out: &mut Vec<Block>| {
        if let Some((no, _)) = para.first() {
            let text: Vec<&str> = para.iter().map(|(_, t)| t.trim()).collect();
            out.push(Block::Para(*no, text.join(" ")));
        }
        para.clear();
    };
    for l in lines {
        let t = l.text.trim_end();
        if is_blank(t) {
            flush(&mut para, &mut out);
            continue;
        }
        let inner = bullet(t).unwrap_or(t);
        if inner.trim_start().starts_with('|') {
            flush(&mut para, &mut out);
            let cells: Vec<String> = inner
                .trim()
                .trim_matches('|')
                .split('|')
                .map(|c| c.trim().to_owned())
                .collect();
            let is_separator = cells
                .iter()
                .all(|c| c.chars().all(|ch| ch == '-' || ch == ':' || ch == ' '));
            if !is_separator {
                out.push(Block::Row(l.no, cells));
            }
        } else if t.trim_start().starts_with("<ul") {
            flush(&mut para, &mut out);
            out.push(Block::Workshop(l.no, t.to_owned()));
        } else if let Some((level, h)) = heading(t) {
            flush(&mut para, &mut out);
            out.push(Block::Heading(l.no, level, h.to_owned()));
        } else if let Some(b) = bullet(t) {
            flush(&mut para, &mut out);
            out.push(Block::Bullet(l.no, b.to_owned()));
        } else {
            para.push((l.no, t));
        }
    }
    flush(&mut para, &mut out);
    out
}

pub(crate) fn scan(lines: &[Line<'_>], slug_prefix: &str) -> SeminarScan {
    let mut out = SeminarScan::default();
    let mut titles: Vec<(usize, String)> = Vec::new();
    let mut subtitle = String::new();
    let mut date: Option<Date> = None;
    let mut date_line = 0;
    let mut introduction: Vec<String> = Vec::new();
    let mut goals: Vec<String> = Vec::new();
    let mut half_days: Vec<HalfDay> = Vec::new();
    let mut workshops: Vec<Workshop> = Vec::new();
    let mut walking: Vec<String> = Vec::new();
    // After the date heading, before the first half-day: the introduction.
    let mut in_intro = false;

    for block in blocks(lines) {
        match block {
            Block::Heading(no, level, text) => {
                let text = strip_inline(&text);
                if level == 1 {
                    titles.push((no, text));
                    continue;
                }
                if let Some(d) = french_date(&text).filter(|_| date.is_none()) {
                    date = Some(d);
                    date_line = no;
                    in_intro = true;
                    continue;
                }
                if let Some(h) = half_day(&text) {
                    in_intro = false;
                    half_days.push(h);
                    continue;
                }
                if let Some((start, end, title)) = timed(&text) {
                    push_session(&mut half_days, start, end, title);
                    continue;
                }
                if let Some(part) = axis_part(&text) {
                    push_part(&mut half_days, part);
                    continue;
                }
                if in_intro && subtitle.is_empty() {
                    subtitle = text;
                } else if let Some(s) = last_session(&mut half_days)
                    && s.subtitle.is_none()
                {
                    s.kind = session_kind(&s.title, &text);
                    s.subtitle = Some(text);
                }
            }
            Block::Para(no, text) => {
                let plain = strip_inline(&text);
                if out.programme_years.is_none() {
                    out.programme_years = programme_years(&plain);
                }
                if let Some(h) = half_day(&plain) {
                    in_intro = false;
                    half_days.push(h);
                } else if let Some((start, end, title)) = timed(&plain) {
                    push_session(&mut half_days, start, end, title);
                } else if let Some(part) = axis_part(&plain) {
                    push_part(&mut half_days, part);
                } else if in_intro {
                    introduction.push(text);
                } else if text.trim_start().starts_with('*') && text.trim_end().ends_with('*') {
                    // The italic ambition text under an axis review.
                    if let Some(p) = last_part(&mut half_days) {
                        p.introduction = Some(plain);
                    }
                } else if let Some(s) = last_session(&mut half_days) {
                    let (_, speakers) = title_and_speakers(&plain);
                    if speakers.is_empty() {
                        continue;
                    }
                    if s.parts.is_empty() {
                        s.parts.push(SessionPart {
                            title: String::new(),
                            axis: None,
                            introduction: None,
                            interventions: vec![Intervention {
                                title: String::new(),
                                speakers: Vec::new(),
                            }],
                        });
                    }
                    let part = s.parts.last_mut();
                    if let Some(i) = part.and_then(|p| p.interventions.last_mut()) {
                        for sp in speakers {
                            out.speakers.push((no, sp.clone()));
                            i.speakers.push(speaker(sp));
                        }
                    }
                }
            }
            Block::Bullet(no, text) => {
                if in_intro {
                    goals.push(strip_inline(&text));
                    continue;
                }
                let is_walking = last_session(&mut half_days)
                    .is_some_and(|s| s.kind == SessionKind::Deambulation);
                if is_walking {
                    walking.push(strip_inline(&text));
                    continue;
                }
                let (title, speakers) = title_and_speakers(&text);
                for sp in &speakers {
                    out.speakers.push((no, sp.clone()));
                }
                push_intervention(
                    &mut half_days,
                    title,
                    speakers.into_iter().map(speaker).collect(),
                );
            }
            Block::Row(no, cells) => {
                let title = strip_inline(cells.first().map_or("", String::as_str));
                let title = title.trim_start_matches(['•', ' ']).to_owned();
                if title.is_empty() {
                    continue;
                }
                let mut speakers = Vec::new();
                for cell in cells.iter().skip(1) {
                    for chunk in cell.split("<br>") {
                        let (_, sps) = title_and_speakers(chunk);
                        for sp in sps {
                            out.speakers.push((no, sp.clone()));
                            speakers.push(speaker(sp));
                        }
                    }
                }
                push_intervention(&mut half_days, title, speakers);
            }
            Block::Workshop(no, text) => {
                let (left, right) = text.split_once('\t').unwrap_or((&text, ""));
                let question = left
                    .find("<i>")
                    .and_then(|a| {
                        left[a..]
                            .find("</i>")
                            .map(|b| strip_inline(&left[a..a + b]))
                    })
                    .unwrap_or_default();
                let theme = strip_inline(left.split("<i>").next().unwrap_or(""));
                let (_, mut sps) = title_and_speakers(bullet(right.trim()).unwrap_or(right.trim()));
                if sps.is_empty() {
                    out.irregularities.push(Irregularity::new(
                        Code::UnexpectedContent,
                        Severity::Warning,
                        no,
                        "atelier sans animateur lisible",
                    ));
                    sps.push(PrintedSpeaker {
                        name: strip_inline(right),
                        function: String::new(),
                    });
                }
                let animator = sps.remove(0);
                out.speakers.push((no, animator.clone()));
                workshops.push(Workshop {
                    theme,
                    question,
                    animator: speaker(animator),
                    room: None,
                    capacity: None,
                });
            }
        }
    }
    if titles.len() > 1 {
        let first = &titles[0].1;
        if let Some((no, other)) = titles.iter().skip(1).find(|(_, t)| t != first) {
            out.irregularities.push(
                Irregularity::new(
                    Code::SeminarTitleVariant,
                    Severity::Info,
                    *no,
                    format!(
                        "titre du séminaire imprimé de deux façons : « {first} » et « {other} »"
                    ),
                )
                .related([titles[0].0]),
            );
        }
    }
    for h in &half_days {
        for s in &h.sessions {
            for p in &s.parts {
                if let (Some(axis), Some(intro)) = (p.axis, &p.introduction) {
                    out.axes.push((axis, p.title.clone(), intro.clone()));
                }
            }
        }
    }
    if let Some(date) = date {
        // The seminar's own title is the one printed just before its date.
        let title = titles
            .iter()
            .rev()
            .find(|(no, _)| *no < date_line)
            .map(|(_, t)| t.clone())
            .unwrap_or_else(|| "Séminaire".to_owned());
        out.seminar = Some(Seminar {
            slug: Slug::from_text(&format!("{slug_prefix} seminaire {}", date.iso())),
            title,
            subtitle,
            date,
            introduction: introduction.join("\n\n"),
            goals,
            half_days,
            workshops,
            walking_questions: walking,
            place: String::new(),
            capacity: None,
            registration_open: false,
            code: None,
        });
    }
    out
}

fn programme_years(text: &str) -> Option<(i32, i32)> {
    let f = fold(text);
    let at = f.find("programmation ")?;
    let rest = &f[at + "programmation ".len()..];
    let a: i32 = rest.get(..4)?.parse().ok()?;
    let b: i32 = rest.get(5..9)?.parse().ok()?;
    (rest.as_bytes().get(4) == Some(&b'-') && a <= b).then_some((a, b))
}

fn axis_part(text: &str) -> Option<SessionPart> {
    let rest = text.trim().strip_prefix("Axe ")?;
    let (n, title) = rest.split_once(':')?;
    let axis: u8 = n.trim().parse().ok()?;
    Some(SessionPart {
        title: title.trim().to_owned(),
        axis: Some(axis),
        introduction: None,
        interventions: Vec::new(),
    })
}

fn push_session(
    half_days: &mut [HalfDay],
    start: ClockTime,
    end: Option<ClockTime>,
    title: String,
) {
    if let Some(h) = half_days.last_mut() {
        let kind = session_kind(&title, "");
        h.sessions.push(Session {
            start,
            end,
            title,
            subtitle: None,
            kind,
            parts: Vec::new(),
        });
    }
}

fn last_session(half_days: &mut [HalfDay]) -> Option<&mut Session> {
    half_days.last_mut()?.sessions.last_mut()
}

fn last_part(half_days: &mut [HalfDay]) -> Option<&mut SessionPart> {
    last_session(half_days)?.parts.last_mut()
}

fn push_part(half_days: &mut [HalfDay], part: SessionPart) {
    if let Some(s) = last_session(half_days) {
        s.parts.push(part);
    }
}

fn push_intervention(half_days: &mut [HalfDay], title: String, speakers: Vec<Speaker>) {
    let Some(s) = last_session(half_days) else {
        return;
    };
    if s.parts.is_empty() {
        s.parts.push(SessionPart {
            title: String::new(),
            axis: None,
            introduction: None,
            interventions: Vec::new(),
        });
    }
    if let Some(p) = s.parts.last_mut() {
        p.interventions.push(Intervention { title, speakers });
    }
}
