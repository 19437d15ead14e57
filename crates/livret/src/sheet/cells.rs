//! Reading one cell: its items, numbers, years, contacts, resources and
//! operators.

use passerelle_domain::text::{fold, squash_spaces};
use passerelle_domain::{OperatorRole, Resource};

use super::header_key;
use crate::items;

/// One item per line of a cell, bullets and blank lines dropped.
pub(super) fn items_of(cell: &str) -> Vec<String> {
    cell.lines()
        .map(|l| {
            let t = l.trim();
            let t = t
                .strip_prefix("- ")
                .or_else(|| t.strip_prefix("• "))
                .or_else(|| t.strip_prefix("* "))
                .or_else(|| t.strip_prefix('•'))
                .unwrap_or(t);
            squash_spaces(t).trim().to_owned()
        })
        .filter(|l| !l.is_empty())
        .collect()
}

/// The first whole number in a cell: `5`, `5.0`, `Fiche 5`, `n°5`, `Axe 2`.
pub(super) fn number_in(cell: &str) -> Option<u32> {
    let start = cell.find(|c: char| c.is_ascii_digit())?;
    let digits: String = cell[start..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let rest = &cell[start + digits.len()..];
    // `5.5` is no fiche number; `5.0` (a spreadsheet's number) is.
    if let Some(decimals) = rest.strip_prefix(['.', ',']) {
        let d: String = decimals.chars().take_while(char::is_ascii_digit).collect();
        if !d.is_empty() && d.chars().any(|c| c != '0') {
            return None;
        }
    }
    digits.parse().ok()
}

/// `2023-2025`, `2023 – 2025`, `Programmation 2023-2025`: the years.
pub(super) fn years_in(cell: &str) -> Option<(i32, i32)> {
    let years: Vec<i32> = cell
        .split(|c: char| !c.is_ascii_digit())
        .filter(|w| w.len() == 4)
        .filter_map(|w| w.parse().ok())
        .filter(|y| (1990..=2100).contains(y))
        .collect();
    match years.as_slice() {
        [start, end] if start <= end => Some((*start, *end)),
        [only] => Some((*only, *only)),
        _ => None,
    }
}

/// A programme's title from its years, as the booklet names it.
pub(super) fn programme_title(start: i32, end: i32) -> String {
    format!("Programmation {start}-{end}")
}

/// A contact cell's item: `Rôle : Prénom NOM, courriel, téléphone` (any of
/// the three after the name may be missing; `;` or ` – ` also separate).
pub(super) struct SheetContact {
    pub(super) group: Option<String>,
    pub(super) name: String,
    pub(super) email: Option<String>,
    pub(super) phone: Option<String>,
    /// Parts that are neither an address nor a phone.
    pub(super) other: Vec<String>,
}

pub(super) fn contact_of(item: &str) -> SheetContact {
    let (group, rest) = match item.split_once(':') {
        Some((g, r)) if !g.contains('@') && !g.trim().is_empty() && g.chars().count() <= 60 => {
            (Some(g.trim().to_owned()), r)
        }
        _ => (None, item),
    };
    let mut parts = rest
        .split([',', ';'])
        .flat_map(|p| p.split(" – "))
        .map(|p| p.trim().trim_matches(['–', '-']).trim().to_owned())
        .filter(|p| !p.is_empty());
    let mut c = SheetContact {
        group,
        name: String::new(),
        email: None,
        phone: None,
        other: Vec::new(),
    };
    if let Some(first) = parts.next() {
        if first.contains('@') {
            c.email = Some(first);
        } else {
            c.name = first;
        }
    }
    for p in parts {
        if p.contains('@') && c.email.is_none() {
            c.email = Some(p);
        } else if p.chars().filter(char::is_ascii_digit).count() >= 6 && c.phone.is_none() {
            c.phone = Some(p);
        } else {
            c.other.push(p);
        }
    }
    c
}

/// The canonical name of a role group as typed (`troika` → `Troïka`).
pub(super) fn group_name(typed: &str) -> String {
    crate::fiche::group_of(&header_key(typed)).map_or_else(
        || {
            let mut chars = typed.trim().chars();
            chars
                .next()
                .map(|c| c.to_uppercase().chain(chars).collect())
                .unwrap_or_default()
        },
        str::to_owned,
    )
}

/// A resource cell's item: `Titre : https://…` (or the address alone).
pub(super) fn resource_of(item: &str) -> Option<Resource> {
    let at = item.find("https://").or_else(|| item.find("http://"))?;
    let url = item[at..]
        .split_whitespace()
        .next()?
        .trim_end_matches(['.', ',', ';', ')']);
    let title = item[..at]
        .trim()
        .trim_end_matches([':', '–', '-', '('])
        .trim();
    Some(Resource {
        title: if title.is_empty() {
            url.to_owned()
        } else {
            title.to_owned()
        },
        url: url.to_owned(),
    })
}

/// An operator cell's item: `Citéo`, `La Marelle`, `Huit centres sociaux`,
/// `8 centres sociaux`, `AFEV (prestataire)`. The name is kept as typed,
/// article included.
pub(super) fn operator_of(item: &str) -> Option<(OperatorRole, items::PrintedOperator)> {
    let (role, label) = match fold(item).trim_end().strip_suffix("(prestataire)") {
        Some(_) => {
            let cut = item.rfind('(').unwrap_or(item.len());
            (OperatorRole::Prestataire, item[..cut].trim())
        }
        None => (OperatorRole::Operateur, item.trim()),
    };
    let (count, label) = items::counted(label);
    let label = crate::markdown::strip_inline(label);
    (!label.is_empty()).then(|| {
        (
            role,
            items::PrintedOperator {
                association: fold(&label).starts_with("association "),
                label,
                count,
            },
        )
    })
}
