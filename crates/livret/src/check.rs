//! The quality report: what the booklet's text shows to be irregular, each
//! point located by line. It reports only what the text shows.

use std::collections::BTreeMap;

use passerelle_domain::text::{fold, name_key};
use passerelle_domain::{Action, Email, Phone};
use strsim::levenshtein;

use crate::assemble::{Mention, sector_in};
use crate::fiche::{RawFiche, Section};
use crate::markdown::{lines, strip_inline};
use crate::reference::Reference;
use crate::report::{Code, Irregularity, Severity, finish};
use crate::{ParseError, parse};

/// Parses the booklet and adds the rules that look across the whole text:
/// mistyped labels, acronyms and place names, stray letters, dates that
/// contradict each other.
pub fn check(text: &str, reference: &Reference) -> Result<Vec<Irregularity>, ParseError> {
    let parsed = parse(text, reference)?;
    Ok(report(text, reference, parsed.irregularities))
}

/// The full report of an already parsed booklet: the irregularities its
/// reading found plus the text-wide rules.
pub fn report(text: &str, reference: &Reference, found: Vec<Irregularity>) -> Vec<Irregularity> {
    let mut all = found;
    let numbered = lines(text);
    all.extend(text_rules(&numbered, reference));
    all.extend(contradictory_dates(&numbered));
    finish(all)
}

/// The rules any text is read with, a booklet's or a spreadsheet's cells:
/// mistyped acronyms and place names, stray letters.
pub(crate) fn text_rules(
    lines: &[crate::markdown::Line<'_>],
    reference: &Reference,
) -> Vec<Irregularity> {
    let mut out = acronym_typos(lines);
    out.extend(place_typos(lines, reference));
    out.extend(stray_letters(lines));
    out
}

/// Rules on the fiches as scanned: headings, titles, sections, contacts.
pub(crate) fn fiche_rules(fiches: &[RawFiche], actions: &[Action]) -> Vec<Irregularity> {
    let mut out = Vec::new();
    let mut previous: Option<u32> = None;
    let mut seen: BTreeMap<u32, usize> = BTreeMap::new();
    for f in fiches {
        let n = f.number;
        if let Some(first) = seen.insert(n, f.start_line) {
            out.push(
                Irregularity::new(
                    Code::DuplicateFiche,
                    Severity::Error,
                    f.start_line,
                    format!("la fiche n°{n} est imprimée deux fois"),
                )
                .fiche(n)
                .related([first]),
            );
        }
        if let Some(p) = previous
            && n != p + 1
            && n > p
        {
            out.push(
                Irregularity::new(
                    Code::NumberingGap,
                    Severity::Warning,
                    f.start_line,
                    format!("la fiche n°{n} suit la fiche n°{p} : numérotation interrompue"),
                )
                .fiche(n),
            );
        }
        previous = Some(n);
        let title = actions
            .iter()
            .find(|a| a.fiche.get() == n)
            .map(|a| a.title.clone())
            .unwrap_or_default();
        match (f.headless_start, f.number_inferred) {
            (Some(line), true) => out.push(
                Irregularity::new(
                    Code::MissingHeading,
                    Severity::Warning,
                    line,
                    format!("fiche sans en-tête : numéro {n} déduit de l'ordre des fiches, titre « {title} » déduit du texte"),
                )
                .fiche(n),
            ),
            (Some(line), false) => out.push(
                Irregularity::new(
                    Code::FirstPageWithoutHeading,
                    Severity::Warning,
                    line,
                    format!("la première page de la fiche n°{n} n'a pas d'en-tête ; rattachée à la fiche par sa seconde page"),
                )
                .fiche(n)
                .related(f.titles.iter().map(|(l, _)| *l)),
            ),
            _ => {}
        }
        if let Some((first_line, first)) = f.titles.first() {
            for (line, t) in f.titles.iter().skip(1) {
                if t != first {
                    out.push(
                        Irregularity::new(
                            Code::TitleVariant,
                            Severity::Warning,
                            *line,
                            format!("titre de la fiche n°{n} différent d'une page à l'autre : « {first} » puis « {t} »"),
                        )
                        .fiche(n)
                        .related([*first_line]),
                    );
                }
            }
        }
        for (line, section, count) in &f.sections {
            let empty = *count == 0;
            match section {
                Section::Objectives
                | Section::Audience
                | Section::Perimeter
                | Section::Partners
                | Section::Resources
                    if empty =>
                {
                    out.push(
                        Irregularity::new(
                            Code::EmptySection,
                            Severity::Info,
                            *line,
                            format!("rubrique « {} » imprimée vide", section.label()),
                        )
                        .fiche(n),
                    );
                }
                Section::Group(g) if empty => {
                    let at_end = std::ptr::eq(f, fiches.last().unwrap_or(f))
                        && *line == f.sections.last().map_or(0, |s| s.0);
                    let message = if at_end {
                        format!(
                            "« {} : » sans aucun contact en fin de livret : le document semble coupé",
                            f.groups[*g].printed
                        )
                    } else {
                        format!("« {} : » sans aucun contact", f.groups[*g].printed)
                    };
                    out.push(
                        Irregularity::new(
                            Code::EmptyContactGroup,
                            Severity::Warning,
                            *line,
                            message,
                        )
                        .fiche(n),
                    );
                }
                _ => {}
            }
        }
        for (label, section) in [
            ("Objectifs", Section::Objectives),
            ("Public cible", Section::Audience),
        ] {
            if !f.sections.iter().any(|(_, s, _)| *s == section) {
                out.push(
                    Irregularity::new(
                        Code::MissingSection,
                        Severity::Warning,
                        f.start_line,
                        format!("rubrique « {label} » absente"),
                    )
                    .fiche(n),
                );
            }
        }
        if f.contacts.is_empty() {
            out.push(
                Irregularity::new(
                    Code::MissingSection,
                    Severity::Warning,
                    f.start_line,
                    "aucun contact imprimé",
                )
                .fiche(n),
            );
        }
        for g in &f.groups {
            if g.printed != g.canonical && fold(&g.printed) == fold(&g.canonical) {
                out.push(
                    Irregularity::new(
                        Code::RoleGroupSpelling,
                        Severity::Info,
                        g.line,
                        format!("« {} » écrit sans accent (« {} »)", g.printed, g.canonical),
                    )
                    .fiche(n),
                );
            }
        }
        for c in &f.contacts {
            let p = &c.printed;
            if let Some(e) = &p.email {
                if Email::parse(e).is_err() {
                    out.push(
                        Irregularity::new(
                            Code::MalformedEmail,
                            Severity::Error,
                            c.line,
                            format!("adresse électronique invalide : « {e} »"),
                        )
                        .fiche(n),
                    );
                }
            } else {
                out.push(
                    Irregularity::new(
                        Code::MalformedEmail,
                        Severity::Warning,
                        c.line,
                        format!("contact « {} » sans adresse électronique", p.name),
                    )
                    .fiche(n),
                );
            }
            if let (Some(e), Some(target)) = (&p.email, &p.mailto) {
                out.push(
                    Irregularity::new(
                        Code::MailtoMismatch,
                        Severity::Error,
                        c.line,
                        format!(
                            "l'adresse affichée « {e} » et le lien « mailto:{target} » diffèrent"
                        ),
                    )
                    .fiche(n),
                );
            }
            if let Some(ph) = &p.phone
                && Phone::parse(ph).is_err()
            {
                out.push(
                    Irregularity::new(
                        Code::MalformedPhone,
                        Severity::Error,
                        c.line,
                        format!("numéro de téléphone invalide : « {ph} »"),
                    )
                    .fiche(n),
                );
            }
            if let Some(sep) = p.separators.iter().find(|s| s.as_str() != "–") {
                out.push(
                    Irregularity::new(
                        Code::ContactSeparator,
                        Severity::Info,
                        c.line,
                        format!(
                            "séparateur « {sep} » au lieu de « – » dans le contact de {}",
                            p.name
                        ),
                    )
                    .fiche(n),
                );
            }
        }
        // The sector named in the title against the sectors the text names.
        if let Some(sector) = sector_in(f.titles.first().map_or("", |(_, t)| t)) {
            let own = fold(&sector);
            for (line, text) in f.description.iter().chain(f.objectives.iter()) {
                let folded = fold(&strip_inline(text));
                for other in ["secteur nord", "secteur sud"] {
                    if other != own && folded.contains(other) {
                        out.push(
                            Irregularity::new(
                                Code::SectorContradiction,
                                Severity::Warning,
                                *line,
                                format!("le titre de la fiche n°{n} indique « {sector} » mais le texte mentionne « {} »", other.split(' ').map(capitalise).collect::<Vec<_>>().join(" ")),
                            )
                            .fiche(n),
                        );
                    }
                }
            }
        }
    }
    out.extend(label_typos(fiches));
    out
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// One person printed with several spellings, several emails, or an email
/// that spells the name differently.
pub(crate) fn people_rules(mentions: &[Mention]) -> Vec<Irregularity> {
    let mut out = Vec::new();
    let mut by_person: BTreeMap<String, Vec<&Mention>> = BTreeMap::new();
    for m in mentions {
        by_person.entry(name_key(&m.name)).or_default().push(m);
    }
    for ms in by_person.values() {
        let first = ms[0];
        let mut spellings: Vec<(&str, usize)> = Vec::new();
        for m in ms {
            if !spellings.iter().any(|(s, _)| *s == m.name) {
                spellings.push((&m.name, m.line));
            }
        }
        if spellings.len() > 1 {
            let list = spellings
                .iter()
                .map(|(s, _)| format!("« {s} »"))
                .collect::<Vec<_>>()
                .join(", ");
            out.push(
                Irregularity::new(
                    Code::PersonSpelling,
                    Severity::Warning,
                    spellings[1].1,
                    format!("une même personne écrite de plusieurs façons : {list}"),
                )
                .related(spellings.iter().map(|(_, l)| *l)),
            );
        }
        let mut emails: Vec<(&str, Vec<usize>)> = Vec::new();
        for m in ms {
            if let Some(e) = &m.email {
                match emails.iter_mut().find(|(x, _)| x == e) {
                    Some(entry) => entry.1.push(m.line),
                    None => emails.push((e, vec![m.line])),
                }
            }
        }
        if emails.len() > 1 {
            emails.sort_by_key(|(_, lines)| std::cmp::Reverse(lines.len()));
            let (common, common_lines) = &emails[0];
            for (rare, lines) in emails.iter().skip(1) {
                out.push(
                    Irregularity::new(
                        Code::PersonEmailVariant,
                        Severity::Warning,
                        lines[0],
                        format!(
                            "{} a plusieurs adresses : « {rare} » ({} fois) et « {common} » ({} fois) ; l'une est sans doute erronée",
                            first.name,
                            lines.len(),
                            common_lines.len()
                        ),
                    )
                    .related(lines.iter().chain(common_lines.iter().take(3)).copied()),
                );
            }
        }
        for (email, lines) in &emails {
            if let Some(message) = name_email_mismatch(&first.name, email) {
                out.push(
                    Irregularity::new(
                        Code::NameEmailMismatch,
                        Severity::Warning,
                        lines[0],
                        message,
                    )
                    .related(lines.iter().copied()),
                );
            }
        }
    }
    out
}

/// The family name, as the email spells it, differs by a letter or two from
/// the printed name (`LAVIÉVIELLE` / `isabelle.lavieville@`).
fn name_email_mismatch(name: &str, email: &str) -> Option<String> {
    let family: String = name
        .split_whitespace()
        .filter(|w| {
            w.chars()
                .filter(|c| c.is_alphabetic())
                .all(char::is_uppercase)
        })
        .map(|w| {
            fold(w)
                .chars()
                .filter(char::is_ascii_alphabetic)
                .collect::<String>()
        })
        .collect();
    let local: String = fold(email.split('@').next()?)
        .chars()
        .filter(char::is_ascii_alphabetic)
        .collect();
    if family.len() < 4 || local.contains(&family) {
        return None;
    }
    let n = family.chars().count();
    let chars: Vec<char> = local.chars().collect();
    let mut best: Option<(usize, String)> = None;
    for len in [n, n.saturating_sub(1), n + 1] {
        for start in 0..=chars.len().saturating_sub(len) {
            let window: String = chars[start..(start + len).min(chars.len())]
                .iter()
                .collect();
            let d = levenshtein(&window, &family);
            if (1..=2).contains(&d) && best.as_ref().is_none_or(|(bd, _)| d < *bd) {
                best = Some((d, window));
            }
        }
    }
    best.map(|(_, window)| {
        format!("l'adresse « {email} » n'écrit pas le nom comme « {name} » (« {window} » au lieu de « {family} »)")
    })
}

/// A partner or audience label printed once, a letter or two away from a
/// label printed more often (`Servives municipaux` / `Services municipaux`).
fn label_typos(fiches: &[RawFiche]) -> Vec<Irregularity> {
    let mut counts: BTreeMap<String, (String, usize, u32, usize)> = BTreeMap::new();
    for f in fiches {
        for (line, label) in &f.partners {
            let e = counts
                .entry(fold(label))
                .or_insert((label.clone(), 0, f.number, *line));
            e.1 += 1;
        }
    }
    let mut out = Vec::new();
    for (rare_key, (rare, rare_count, fiche, line)) in &counts {
        for (common_key, (common, common_count, _, common_line)) in &counts {
            if rare_key == common_key || rare_count >= common_count || rare_key.len() < 8 {
                continue;
            }
            let d = levenshtein(rare_key, common_key);
            if (1..=2).contains(&d) && d * 8 <= rare_key.len() {
                out.push(
                    Irregularity::new(
                        Code::LabelTypo,
                        Severity::Warning,
                        *line,
                        format!("« {rare} » (imprimé {rare_count} fois) ressemble à « {common} » (imprimé {common_count} fois) : faute de frappe ?"),
                    )
                    .fiche(*fiche)
                    .related([*common_line]),
                );
            }
        }
    }
    out
}

/// Upper-case acronyms whose letters are another, more frequent acronym's in
/// another order (`ADT Quart-Monde` / `ATD Quart-Monde`).
fn acronym_typos(lines: &[crate::markdown::Line<'_>]) -> Vec<Irregularity> {
    // Acronym → (line, the word that follows it).
    let mut seen: BTreeMap<String, Vec<(usize, String)>> = BTreeMap::new();
    for l in lines {
        let words: Vec<&str> = l
            .text
            .split(|c: char| !c.is_alphanumeric() && c != '-')
            .filter(|w| !w.is_empty())
            .collect();
        for (i, w) in words.iter().enumerate() {
            if w.len() >= 3 && w.len() <= 6 && w.chars().all(|c| c.is_ascii_uppercase()) {
                let next = words.get(i + 1).map(|n| fold(n)).unwrap_or_default();
                seen.entry((*w).to_owned()).or_default().push((l.no, next));
            }
        }
    }
    let mut out = Vec::new();
    for (a, a_seen) in &seen {
        let mut sorted_a: Vec<char> = a.chars().collect();
        sorted_a.sort_unstable();
        for (b, b_seen) in &seen {
            let mut sorted_b: Vec<char> = b.chars().collect();
            sorted_b.sort_unstable();
            if a == b || sorted_a != sorted_b || a_seen.len() >= b_seen.len() {
                continue;
            }
            // Only when used the same way: followed by the same word.
            for (line, next) in a_seen {
                if next.is_empty() || !b_seen.iter().any(|(_, n)| n == next) {
                    continue;
                }
                out.push(
                    Irregularity::new(
                        Code::AcronymTypo,
                        Severity::Warning,
                        *line,
                        format!("« {a} » ({} fois) semble être « {b} » ({} fois) aux lettres interverties", a_seen.len(), b_seen.len()),
                    )
                    .related(b_seen.iter().take(3).map(|(l, _)| *l)),
                );
            }
        }
    }
    out
}

/// A place named one letter away from a known name (`Rosa Park` / `Rosa Parks`).
fn place_typos(lines: &[crate::markdown::Line<'_>], reference: &Reference) -> Vec<Irregularity> {
    let prefixes = [
        "ecole ",
        "college de ",
        "college ",
        "rep+ ",
        "centre social de l'",
        "centre social du ",
        "centre social ",
    ];
    let mut names: Vec<String> = Vec::new();
    for t in &reference.territories {
        for n in t.aliases.iter().chain(std::iter::once(&t.name)) {
            let f = fold(n);
            let core = prefixes
                .iter()
                .find_map(|p| f.strip_prefix(p))
                .unwrap_or(&f)
                .to_owned();
            if core.split(' ').count() >= 2 && core.len() >= 8 {
                names.push(core);
            }
        }
    }
    let known: Vec<String> = reference.known_names();
    names.sort();
    names.dedup();
    let mut out = Vec::new();
    for l in lines {
        let words: Vec<String> = fold(&strip_inline(l.text))
            .split(|c: char| !(c.is_alphanumeric() || c == '-' || c == '\''))
            .filter(|w| !w.is_empty())
            .map(str::to_owned)
            .collect();
        for name in &names {
            let k = name.split(' ').count();
            let first = name.split(' ').next().unwrap_or("");
            for window in words.windows(k) {
                if window[0] != first {
                    continue;
                }
                let candidate = window.join(" ");
                if candidate == *name || known.iter().any(|n| n.ends_with(&candidate)) {
                    continue;
                }
                if levenshtein(&candidate, name) == 1 {
                    out.push(Irregularity::new(
                        Code::PlaceNameTypo,
                        Severity::Warning,
                        l.no,
                        format!("« {candidate} » ressemble au lieu « {name} » : faute de frappe ?"),
                    ));
                }
            }
        }
    }
    out
}

/// A lone lower-case letter between words (`de suivi e d'appui`).
fn stray_letters(lines: &[crate::markdown::Line<'_>]) -> Vec<Irregularity> {
    let mut out = Vec::new();
    for l in lines {
        if l.text.contains("](") || l.text.contains("http") {
            continue;
        }
        let plain = strip_inline(l.text);
        let words: Vec<&str> = plain.split_whitespace().collect();
        for (i, w) in words.iter().enumerate() {
            let mut chars = w.chars();
            if let (Some(c), None) = (chars.next(), chars.next())
                && c.is_lowercase()
                && c.is_alphabetic()
                && !"aày".contains(c)
                && i > 0
                && i + 1 < words.len()
            {
                out.push(Irregularity::new(
                        Code::StrayLetter,
                        Severity::Warning,
                        l.no,
                        format!("lettre isolée « {c} » dans « {} {w} {} » : mot manquant ou faute de frappe ?", words[i - 1], words[i + 1]),
                    ));
            }
        }
    }
    out
}

/// The same named thing given two different year ranges
/// (`Plan Laïcité … (2021-2024)` / `(2020-2024)`).
fn contradictory_dates(lines: &[crate::markdown::Line<'_>]) -> Vec<Irregularity> {
    let mut ranges: BTreeMap<String, Vec<(usize, String, String)>> = BTreeMap::new();
    for l in lines {
        let plain = strip_inline(l.text);
        let mut rest = plain.as_str();
        let mut offset = 0;
        while let Some(i) = rest.find('(') {
            let inner = &rest[i + 1..];
            let is_range = inner.len() >= 10
                && inner.as_bytes()[..4].iter().all(u8::is_ascii_digit)
                && inner.as_bytes()[4] == b'-'
                && inner.as_bytes()[5..9].iter().all(u8::is_ascii_digit)
                && inner.as_bytes()[9] == b')';
            if is_range {
                let before = &plain[..offset + i];
                let words: Vec<String> =
                    fold(before).split_whitespace().map(str::to_owned).collect();
                let key = words[words.len().saturating_sub(7)..].join(" ");
                let name: Vec<&str> = before.split_whitespace().collect();
                let name = name[name.len().saturating_sub(7)..].join(" ");
                ranges
                    .entry(key)
                    .or_default()
                    .push((l.no, inner[..9].to_owned(), name));
            }
            offset += i + 1;
            rest = &rest[i + 1..];
        }
    }
    let mut out = Vec::new();
    for found in ranges.values() {
        let (first_line, first_range, name) = &found[0];
        for (line, range, _) in found.iter().skip(1) {
            if range != first_range {
                out.push(
                    Irregularity::new(
                        Code::ContradictoryDates,
                        Severity::Warning,
                        *line,
                        format!(
                            "« {name} » daté ({range}) ici mais ({first_range}) ligne {first_line}"
                        ),
                    )
                    .related([*first_line]),
                );
            }
        }
    }
    out
}
