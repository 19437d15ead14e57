//! Parsers for the small printed items of a fiche: an audience with its ages,
//! a contact line, an operator sentence, a speaker.

use passerelle_domain::text::{fold, squash_spaces};
use passerelle_domain::{AgeRange, AudienceKind, OperatorRole};

use crate::markdown::strip_inline;

/// An audience as printed: label, optional ages, optional bracketed note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PrintedAudience {
    pub label: String,
    pub ages: Option<AgeRange>,
    pub note: Option<String>,
}

/// Reads `Enfants 2-18 ans`, `Enfants de 9-18 ans`, `Enfants de 2 à 16 ans
/// (avec une priorité pour les 5-11 ans)`, `Parents d'élèves de 2- 11 ans`,
/// `Enseignant.e.s du 1er degré (Secteur Sud)`.
pub(crate) fn audience(text: &str) -> Result<PrintedAudience, String> {
    let text = squash_spaces(&strip_inline(text));
    let (main, note) = match (text.find('('), text.rfind(')')) {
        (Some(open), Some(close)) if open < close => (
            format!("{} {}", &text[..open], &text[close + 1..]),
            Some(squash_spaces(&text[open + 1..close])),
        ),
        _ => (text.clone(), None),
    };
    let main = squash_spaces(&main);
    match find_age_range(&main) {
        Some((start, end, range)) => {
            let range = range?;
            let mut label = main[..start].trim_end().to_owned();
            for suffix in [" de", " De"] {
                if let Some(l) = label.strip_suffix(suffix) {
                    label = l.to_owned();
                }
            }
            let tail = main[end..].trim();
            if !tail.is_empty() {
                label = squash_spaces(&format!("{label} {tail}"));
            }
            Ok(PrintedAudience {
                label: label.trim().to_owned(),
                ages: Some(range),
                note,
            })
        }
        None => Ok(PrintedAudience {
            label: main,
            ages: None,
            note,
        }),
    }
}

/// Finds `N-M ans`, `N à M ans`, `N- M ans` (byte span and the range).
fn find_age_range(s: &str) -> Option<(usize, usize, Result<AgeRange, String>)> {
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_digit() && (i == 0 || !bytes[i - 1].is_ascii_alphanumeric()) {
            let start = i;
            let (a, mut j) = number(s, i);
            j = skip_spaces(s, j);
            let sep_len = if s[j..].starts_with('-') || s[j..].starts_with('–') {
                s[j..].chars().next().map_or(1, char::len_utf8)
            } else if s[j..].starts_with("à ") {
                "à".len()
            } else {
                0
            };
            if sep_len > 0 {
                let k = skip_spaces(s, j + sep_len);
                if k < bytes.len() && bytes[k].is_ascii_digit() {
                    let (b, l) = number(s, k);
                    let m = skip_spaces(s, l);
                    if s[m..].starts_with("ans") {
                        let end = m + 3;
                        let range = AgeRange::new(a, b).map_err(|e| e.to_string());
                        return Some((start, end, range));
                    }
                }
            }
            i = j.max(i + 1);
        } else {
            i += 1;
        }
    }
    None
}

fn number(s: &str, from: usize) -> (u32, usize) {
    let digits: String = s[from..]
        .chars()
        .take_while(char::is_ascii_digit)
        .take(4)
        .collect();
    (digits.parse().unwrap_or(u32::MAX), from + digits.len())
}

fn skip_spaces(s: &str, mut i: usize) -> usize {
    while s[i..].starts_with(' ') {
        i += 1;
    }
    i
}

/// What kind of audience a printed label is.
pub(crate) fn audience_kind(label: &str, ages: Option<AgeRange>) -> Option<AudienceKind> {
    let k = fold(label);
    let starts = |w: &str| k.starts_with(w);
    if starts("parent") {
        Some(AudienceKind::Parents)
    } else if starts("enseignant")
        || starts("professionnel")
        || starts("acteurs")
        || starts("animateur")
        || starts("educateur")
    {
        Some(AudienceKind::Professionnels)
    } else if starts("jeunes adultes") {
        Some(AudienceKind::JeunesAdultes)
    } else if starts("adulte") {
        Some(AudienceKind::Adultes)
    } else if starts("enfant")
        || starts("jeune")
        || starts("adolescent")
        || starts("eleve")
        || starts("public college")
        || starts("collegien")
    {
        match ages {
            Some(r) if r.min() >= 18 => Some(AudienceKind::JeunesAdultes),
            _ => Some(AudienceKind::Enfants),
        }
    } else {
        None
    }
}

/// A contact line as printed: `Name – [email](mailto:email) – phone`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PrintedContact {
    pub name: String,
    pub email: Option<String>,
    /// The mailto target when it differs from the visible address.
    pub mailto: Option<String>,
    pub phone: Option<String>,
    /// The separators used, for the quality report (`–` is the norm).
    pub separators: Vec<String>,
}

pub(crate) fn contact(text: &str) -> Option<PrintedContact> {
    let text = text.trim();
    let (before, email, mailto, after) = match (text.find('['), text.find("](")) {
        (Some(open), Some(mid)) if open < mid => {
            let close = text[mid..].find(')').map(|c| mid + c)?;
            let visible = text[open + 1..mid].trim().to_owned();
            let target = text[mid + 2..close].trim();
            let target = target
                .strip_prefix("mailto:")
                .unwrap_or(target)
                .trim()
                .to_owned();
            let mailto = (target != visible).then_some(target);
            (&text[..open], Some(visible), mailto, &text[close + 1..])
        }
        _ => match text.find('@') {
            // A bare address: the word holding the @.
            Some(at) => {
                let start = text[..at]
                    .rfind(|c: char| c.is_whitespace())
                    .map_or(0, |i| i + 1);
                let end = text[at..]
                    .find(|c: char| c.is_whitespace())
                    .map_or(text.len(), |i| at + i);
                (
                    &text[..start],
                    Some(text[start..end].to_owned()),
                    None,
                    &text[end..],
                )
            }
            None => match text.split_once(" – ") {
                Some((name, phone)) => (name, None, None, phone),
                None => (text, None, None, ""),
            },
        },
    };
    let mut separators = Vec::new();
    let name = trim_separator(before, &mut separators);
    let phone = trim_separator(after, &mut separators);
    if name.is_empty() {
        return None;
    }
    Some(PrintedContact {
        name: strip_inline(&name),
        email,
        mailto,
        phone: (!phone.is_empty()).then_some(phone),
        separators,
    })
}

fn trim_separator(s: &str, seps: &mut Vec<String>) -> String {
    let is_sep = |c: char| c == '–' || c == '-' || c == '—' || c == ':' || c.is_whitespace();
    let t = s.trim();
    let start = t.trim_start_matches(is_sep);
    let both = start.trim_end_matches(is_sep);
    for part in [&t[..t.len() - start.len()], &start[both.len()..]] {
        let sep = part.trim();
        if !sep.is_empty() {
            seps.push(sep.to_owned());
        }
    }
    both.trim().to_owned()
}

/// One organisation named in an operator sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PrintedOperator {
    pub label: String,
    pub count: Option<u32>,
    /// The sentence said `l'association X`.
    pub association: bool,
}

/// Reads `X est l'opérateur de cette action.`, `X, Y et Z sont les
/// opérateurs…`, `*A* et *B* sont les deux opérateurs…`, `Le X est le
/// prestataire…`. Returns None when the paragraph is no such sentence.
pub(crate) fn operator_sentence(text: &str) -> Option<(OperatorRole, Vec<PrintedOperator>)> {
    let folded = fold(text);
    let patterns = [
        (" est l'operateur de cette action", OperatorRole::Operateur),
        (
            " sont les operateurs de cette action",
            OperatorRole::Operateur,
        ),
        (
            " sont les deux operateurs de cette action",
            OperatorRole::Operateur,
        ),
        (
            " sont les trois operateurs de cette action",
            OperatorRole::Operateur,
        ),
        (
            " est le prestataire de cette action",
            OperatorRole::Prestataire,
        ),
        (
            " sont les prestataires de cette action",
            OperatorRole::Prestataire,
        ),
    ];
    let (pattern, role) = patterns.iter().find(|(p, _)| folded.contains(p))?;
    // `fold` may change byte lengths; cut the original at the same word count.
    let subject_words = folded[..folded.find(pattern)?].split_whitespace().count();
    let subject: String = text
        .split_whitespace()
        .take(subject_words)
        .collect::<Vec<_>>()
        .join(" ");
    let parts = split_list(&subject);
    let ops: Vec<PrintedOperator> = parts.iter().filter_map(|p| operator_name(p)).collect();
    (!ops.is_empty()).then_some((*role, ops))
}

/// Splits `A, B et C` on commas and ` et `, but not inside `*emphasis*` or
/// parentheses (`*La Marelle pour familles et éduc'acteurs*`).
fn split_list(s: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut current = String::new();
    let mut in_emph = false;
    let mut depth = 0usize;
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '*' => in_emph = !in_emph,
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            _ => {}
        }
        let free = !in_emph && depth == 0;
        if free && c == ',' {
            parts.push(std::mem::take(&mut current));
            i += 1;
            continue;
        }
        if free && c == ' ' && chars[i..].starts_with(&[' ', 'e', 't', ' ']) {
            parts.push(std::mem::take(&mut current));
            i += 4;
            continue;
        }
        current.push(c);
        i += 1;
    }
    parts.push(current);
    parts
        .into_iter()
        .map(|p| p.trim().to_owned())
        .filter(|p| !p.is_empty())
        .collect()
}

const NUMBER_WORDS: [&str; 12] = [
    "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix", "onze", "douze",
    "treize",
];

pub(crate) fn operator_name(part: &str) -> Option<PrintedOperator> {
    let mut s = part.trim().to_owned();
    let mut association = false;
    // Articles outside emphasis: "La *Mission locale…*", "L'ADEP", "Le centre social…".
    for article in [
        "Le ", "La ", "Les ", "L'", "L’", "le ", "la ", "les ", "l'", "l’",
    ] {
        if let Some(rest) = s.strip_prefix(article) {
            s = rest.trim_start().to_owned();
            break;
        }
    }
    for prefix in ["association ", "Association "] {
        if let Some(rest) = s.strip_prefix(prefix)
            && rest.starts_with('*')
        {
            s = rest.to_owned();
            association = true;
        }
    }
    let (count, rest) = counted(&s);
    s = rest.to_owned();
    // `l'*Association…*`: the article was glued to the emphasis.
    let label = strip_inline(&s);
    (!label.is_empty()).then_some(PrintedOperator {
        label,
        count,
        association,
    })
}

/// A count of unnamed organisations at the start of a name: `Huit centres
/// sociaux`, `8 centres sociaux` → (8, `centres sociaux`).
pub(crate) fn counted(s: &str) -> (Option<u32>, &str) {
    let first = s.split_whitespace().next().unwrap_or("");
    let count = first.parse::<u32>().ok().or_else(|| {
        NUMBER_WORDS
            .iter()
            .position(|w| fold(first) == *w)
            .and_then(|i| u32::try_from(i + 2).ok())
    });
    match count {
        Some(n) => (Some(n), s.trim_start()[first.len()..].trim_start()),
        None => (None, s),
    }
}

/// A speaker as printed in the seminar programme.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PrintedSpeaker {
    pub name: String,
    pub function: String,
}

fn is_given_name(w: &str) -> bool {
    let mut chars = w.chars();
    chars.next().is_some_and(char::is_uppercase)
        && w.chars().any(char::is_lowercase)
        && w.chars()
            .all(|c| c.is_alphabetic() || c == '-' || c == '\'')
}

fn is_family_name(w: &str) -> bool {
    let w = w.trim_end_matches(',');
    w.chars().filter(|c| c.is_alphabetic()).count() >= 2
        && w.chars().all(|c| c.is_uppercase() || c == '-' || c == '\'')
}

/// Where, in words, the first `Given FAMILY` name starts.
fn name_start(words: &[&str]) -> Option<usize> {
    (0..words.len().saturating_sub(1))
        .find(|&i| is_given_name(words[i]) && is_family_name(words[i + 1]))
}

/// Splits `Title Given FAMILY, function` into the title and its speakers.
/// `A FAMILY et B FAMILY, function` gives two speakers with that function.
pub(crate) fn title_and_speakers(text: &str) -> (String, Vec<PrintedSpeaker>) {
    let text = strip_inline(text);
    let words: Vec<&str> = text.split(' ').collect();
    let Some(start) = name_start(&words) else {
        return (text, Vec::new());
    };
    let title = words[..start].join(" ");
    let mut names = Vec::new();
    let mut i = start;
    loop {
        let mut j = i + 1;
        while j < words.len() && is_family_name(words[j]) {
            j += 1;
            if words[j - 1].ends_with(',') {
                break;
            }
        }
        names.push(words[i..j].join(" ").trim_end_matches(',').to_owned());
        i = j;
        if i + 2 < words.len() && words[i] == "et" && name_start(&words[i + 1..]) == Some(0) {
            i += 1;
            continue;
        }
        break;
    }
    let function = words[i..].join(" ");
    let function = function.trim_start_matches([',', ' ']).trim().to_owned();
    let speakers = names
        .into_iter()
        .map(|name| PrintedSpeaker {
            name,
            function: function.clone(),
        })
        .collect();
    (
        title.trim().trim_end_matches(':').trim().to_owned(),
        speakers,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    type Case<'a> = (&'a str, &'a str, Option<(u32, u32)>, Option<&'a str>);

    fn ages(s: &str) -> (String, Option<(u32, u32)>, Option<String>) {
        let a = audience(s).unwrap();
        (a.label, a.ages.map(|r| (r.min(), r.max())), a.note)
    }

    #[test]
    fn audiences_in_every_printed_form() {
        let cases: &[Case<'_>] = &[
            ("Enfants 2-18 ans", "Enfants", Some((2, 18)), None),
            ("Enfants de 9-18 ans", "Enfants", Some((9, 18)), None),
            (
                "Enfants de 2 à 16 ans (avec une priorité pour les 5-11 ans)",
                "Enfants",
                Some((2, 16)),
                Some("avec une priorité pour les 5-11 ans"),
            ),
            (
                "Parents d'élèves de 2- 11 ans",
                "Parents d'élèves",
                Some((2, 11)),
                None,
            ),
            (
                "Jeunes adultes de 18-25 ans",
                "Jeunes adultes",
                Some((18, 25)),
                None,
            ),
            (
                "Enseignant.e.s du 1er degré (Secteur Sud)",
                "Enseignant.e.s du 1er degré",
                None,
                Some("Secteur Sud"),
            ),
            (
                "Public collèges et lycées",
                "Public collèges et lycées",
                None,
                None,
            ),
            ("Parents", "Parents", None, None),
        ];
        for (input, label, range, note) in cases {
            assert_eq!(
                ages(input),
                (label.to_string(), *range, note.map(str::to_owned)),
                "{input}"
            );
        }
        assert!(audience("Enfants 18-2 ans").is_err());
    }

    #[test]
    fn audience_kinds() {
        let r = AgeRange::new(18, 25).ok();
        assert_eq!(
            audience_kind("Jeunes de", r),
            Some(AudienceKind::JeunesAdultes)
        );
        assert_eq!(
            audience_kind("Parents d'élèves", None),
            Some(AudienceKind::Parents)
        );
        assert_eq!(
            audience_kind("Enseignants", None),
            Some(AudienceKind::Professionnels)
        );
        assert_eq!(
            audience_kind("Acteurs de quartier", None),
            Some(AudienceKind::Professionnels)
        );
        assert_eq!(audience_kind("Élèves", None), Some(AudienceKind::Enfants));
        assert_eq!(audience_kind("Chats", None), None);
    }

    #[test]
    fn contact_lines_with_every_separator() {
        let c = contact("Anne-Sophie BELGAÏD – [abelgaid@ville-roubaix.fr](mailto:abelgaid@ville-roubaix.fr) – 03.59.57.31.75").unwrap();
        assert_eq!(c.name, "Anne-Sophie BELGAÏD");
        assert_eq!(c.email.as_deref(), Some("abelgaid@ville-roubaix.fr"));
        assert_eq!(c.phone.as_deref(), Some("03.59.57.31.75"));
        assert_eq!(c.mailto, None);
        let c = contact("Julia CAMUS : [jcamus@ville-roubaix.fr](mailto:jcamus@ville-roubaix.fr) – 03.59.57.31.02").unwrap();
        assert_eq!(
            (c.name.as_str(), c.separators[0].as_str()),
            ("Julia CAMUS", ":")
        );
        let c = contact("Dorothée BARALLE – [dbaralle@ville-roubaix.fr](mailto:dbaralle@ville-roubaix.fr) - 03.59.57.31.64").unwrap();
        assert_eq!(c.phone.as_deref(), Some("03.59.57.31.64"));
        assert!(c.separators.contains(&"-".to_owned()));
        let c = contact("Jo DOE – [jo@x.fr](mailto:joe@x.fr)").unwrap();
        assert_eq!(c.mailto.as_deref(), Some("joe@x.fr"));
        let c = contact("Jo DOE – jo@x.fr – 01 02 03 04 05").unwrap();
        assert_eq!(c.email.as_deref(), Some("jo@x.fr"));
        assert!(contact("– [a@b.fr](mailto:a@b.fr)").is_none());
    }

    #[test]
    fn operator_sentences() {
        let (role, ops) = operator_sentence("*Citéo* est l'opérateur de cette action.").unwrap();
        assert_eq!(
            (role, ops[0].label.as_str()),
            (OperatorRole::Operateur, "Citéo")
        );
        let (role, ops) =
            operator_sentence("Le *GAPAS* est le prestataire de cette action.").unwrap();
        assert_eq!(
            (role, ops[0].label.as_str()),
            (OperatorRole::Prestataire, "GAPAS")
        );
        let (_, ops) = operator_sentence("Le centre social de l'Hommelet, le centre social E.C.H.O, le centre social Fresnoy-Mackellerie et l'association *La Marelle pour familles et éduc'acteurs* sont les opérateurs de cette action.").unwrap();
        let labels: Vec<&str> = ops.iter().map(|o| o.label.as_str()).collect();
        assert_eq!(
            labels,
            [
                "centre social de l'Hommelet",
                "centre social E.C.H.O",
                "centre social Fresnoy-Mackellerie",
                "La Marelle pour familles et éduc'acteurs"
            ]
        );
        assert!(ops[3].association);
        let (_, ops) = operator_sentence("Huit *centres sociaux* et l'*Association de la Fondation Étudiante pour la Ville* (AFEV) sont les opérateurs de cette action.").unwrap();
        assert_eq!(
            (ops[0].label.as_str(), ops[0].count),
            ("centres sociaux", Some(8))
        );
        assert_eq!(
            ops[1].label,
            "Association de la Fondation Étudiante pour la Ville (AFEV)"
        );
        let (_, ops) = operator_sentence(
            "*La pluie d'oiseaux* et *Détournement* sont les deux opérateurs de cette action.",
        )
        .unwrap();
        assert_eq!(
            ops.iter().map(|o| o.label.as_str()).collect::<Vec<_>>(),
            ["La pluie d'oiseaux", "Détournement"]
        );
        let (_, ops) = operator_sentence(
            "L'AEP (*Association d'Éducation et de Prévention*) est l'opérateur de cette action.",
        )
        .unwrap();
        assert_eq!(
            ops[0].label,
            "AEP (Association d'Éducation et de Prévention)"
        );
        assert!(operator_sentence("Un appel d'offre a été lancé.").is_none());
    }

    #[test]
    fn speakers_inline_and_shared_functions() {
        let (t, s) =
            title_and_speakers("Le regard de la troïka Marie-Claude VENANT, déléguée du Préfet");
        assert_eq!(t, "Le regard de la troïka");
        assert_eq!(
            (s[0].name.as_str(), s[0].function.as_str()),
            ("Marie-Claude VENANT", "déléguée du Préfet")
        );
        let (t, s) = title_and_speakers(
            "Témoignages d'action : **Identité remarquable** Maria OGNIBENE directrice de l'école Léo Lagrange",
        );
        assert_eq!(t, "Témoignages d'action : Identité remarquable");
        assert_eq!(s[0].function, "directrice de l'école Léo Lagrange");
        let (_, s) = title_and_speakers(
            "Le regard de la troïka Guillaume ROUX et Michaël LIBESSART, chefs de file Éducation Nationale",
        );
        assert_eq!(
            s.iter().map(|x| x.name.as_str()).collect::<Vec<_>>(),
            ["Guillaume ROUX", "Michaël LIBESSART"]
        );
        assert_eq!(s[1].function, "chefs de file Éducation Nationale");
        let (t, s) = title_and_speakers("Contributions / échanges / débat avec la salle");
        assert_eq!(
            (t.as_str(), s.len()),
            ("Contributions / échanges / débat avec la salle", 0)
        );
    }
}
