//! Editing forms described as data. Each kind of entity has a list of
//! [`Field`]s, each mapped to a top-level key of the entity's JSON body; one
//! engine turns a body into form values, form values back into a body (with
//! French messages per field), and both into what the template shows.
//!
//! Forms work without JavaScript: lists are textareas (one item per line, in
//! order) or tables of rows with a position and a "remove" box, and a button
//! adds blank rows. Keys the form does not show are kept from the stored body.

use std::collections::BTreeMap;

use passerelle_domain::{AgeRange, Email, Phone};
use serde_json::{Map, Value, json};

/// What a field edits, and how it is typed in.
#[derive(Debug, Clone)]
pub(crate) enum Input {
    /// One line of text.
    Text,
    /// A web address (`https://…`).
    Url,
    /// A SIRET number (14 digits, its Luhn key checked), stored without
    /// spaces.
    Siret,
    /// Markdown, with a preview.
    Markdown,
    /// A list of strings, one per line.
    Lines,
    /// Email addresses, one per line.
    Emails,
    /// Phone numbers, one per line.
    Phones,
    /// A whole number.
    Number { min: i64, max: i64 },
    /// A date, typed `2023-06-15` (stored as `{year, month, day}`).
    Date,
    /// Yes or no (a check box).
    Check,
    /// One of a list: (value, label). `number`: the value is stored as a number.
    Choice {
        options: Vec<(String, String)>,
        number: bool,
    },
    /// Any of a list (check boxes).
    Checks(Vec<(String, String)>),
    /// Rows of cells.
    Table(Vec<Column>),
}

#[derive(Debug, Clone)]
pub(crate) struct Field {
    pub(crate) key: &'static str,
    pub(crate) label: &'static str,
    pub(crate) hint: &'static str,
    pub(crate) input: Input,
    /// Refused when empty.
    pub(crate) required: bool,
    /// Stored as `null` when empty (an `Option` in the domain).
    pub(crate) nullable: bool,
}

/// A cell of a table row.
#[derive(Debug, Clone)]
pub(crate) struct Column {
    pub(crate) key: &'static str,
    pub(crate) label: &'static str,
    pub(crate) cell: Cell,
    pub(crate) required: bool,
}

#[derive(Debug, Clone)]
pub(crate) enum Cell {
    Text,
    /// Text stored as `null` when empty.
    MaybeText,
    MaybeEmail,
    MaybePhone,
    /// "6-11", "6 à 11", "11": an age range, `null` when empty.
    Ages,
    /// "9h00", "14h30", "9:00": a time of day, `{hour, minute}`.
    Time,
    /// A time of day, or `null` when empty.
    MaybeTime,
    MaybeNumber,
    Url,
    Choice(Vec<(String, String)>),
    /// A choice with "none" (`null`).
    MaybeChoice(Vec<(String, String)>),
}

/// The longest text a field takes (a description is the longest of all).
const MAX_TEXT: usize = 20_000;

pub(crate) mod diff;
mod schema;
mod view;

pub(crate) use crate::shared::form::Submitted;
pub(crate) use schema::fields;
pub(crate) use view::{FieldView, views};

fn scalar(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        other => other.to_string(),
    }
}

/// The form values showing a stored body.
pub(crate) fn values_of(fields: &[Field], body: &Value) -> Submitted {
    let mut out = Submitted::default();
    for f in fields {
        let v = body.get(f.key).unwrap_or(&Value::Null);
        match &f.input {
            Input::Lines | Input::Emails | Input::Phones => {
                let lines: Vec<String> = v
                    .as_array()
                    .map(|a| a.iter().map(scalar).collect())
                    .unwrap_or_default();
                out.set(f.key.to_owned(), lines.join("\n"));
            }
            Input::Checks(_) => {
                let checked: Vec<String> = v
                    .as_array()
                    .map(|a| a.iter().map(scalar).collect())
                    .unwrap_or_default();
                out.set_all(f.key.to_owned(), checked);
            }
            Input::Table(columns) => {
                for (i, row) in v.as_array().into_iter().flatten().enumerate() {
                    out.set(format!("{}.{i}.ordre", f.key), (i + 1).to_string());
                    for c in columns {
                        let cell = nested(row, c.key).unwrap_or(&Value::Null);
                        let text = match c.cell {
                            Cell::Time | Cell::MaybeTime => {
                                match (
                                    cell.get("hour").and_then(Value::as_u64),
                                    cell.get("minute").and_then(Value::as_u64),
                                ) {
                                    (Some(h), Some(m)) => format!("{h}h{m:02}"),
                                    _ => String::new(),
                                }
                            }
                            Cell::Ages => match (cell.get("min"), cell.get("max")) {
                                (Some(min), Some(max)) if min == max => scalar(min),
                                (Some(min), Some(max)) => {
                                    format!("{}-{}", scalar(min), scalar(max))
                                }
                                _ => String::new(),
                            },
                            _ => scalar(cell),
                        };
                        out.set(format!("{}.{i}.{}", f.key, c.key), text);
                    }
                }
            }
            Input::Date => {
                let text = match (v.get("year"), v.get("month"), v.get("day")) {
                    (Some(y), Some(m), Some(d)) => format!(
                        "{}-{:02}-{:02}",
                        scalar(y),
                        m.as_u64().unwrap_or(0),
                        d.as_u64().unwrap_or(0)
                    ),
                    _ => String::new(),
                };
                out.set(f.key.to_owned(), text);
            }
            Input::Check => {
                if v.as_bool() == Some(true) {
                    out.set(f.key.to_owned(), "1".into());
                }
            }
            Input::Choice { options, .. } if v.is_null() && !f.nullable => {
                // A key the body leaves out takes the first choice, its default.
                let first = options.first().map(|(o, _)| o.clone()).unwrap_or_default();
                out.set(f.key.to_owned(), first);
            }
            _ => out.set(f.key.to_owned(), scalar(v)),
        }
    }
    out
}

/// A value at a dotted key (`animator.name`) of an object.
fn nested<'a>(v: &'a Value, key: &str) -> Option<&'a Value> {
    key.split('.').try_fold(v, |v, k| v.get(k))
}

/// Sets a value at a dotted key, making the objects on the way.
fn set_nested(row: &mut Map<String, Value>, key: &str, value: Value) {
    match key.split_once('.') {
        None => {
            row.insert(key.to_owned(), value);
        }
        Some((head, rest)) => {
            let inner = row
                .entry(head.to_owned())
                .or_insert_with(|| Value::Object(Map::new()));
            if !inner.is_object() {
                *inner = Value::Object(Map::new());
            }
            if let Value::Object(m) = inner {
                set_nested(m, rest, value);
            }
        }
    }
}

/// Messages by field name (`title`, `contacts.2.email`), in French.
pub(crate) type Errors = BTreeMap<String, String>;

fn clean(s: &str) -> String {
    s.replace("\r\n", "\n").trim().to_owned()
}

fn parse_ages(s: &str) -> Result<Option<AgeRange>, String> {
    let t = s.trim().trim_end_matches("ans").trim();
    if t.is_empty() {
        return Ok(None);
    }
    let bad = || format!("« {s} » n'est pas un âge ou une tranche d'âges (ex. 6-11)");
    let (a, b) = match t.split_once('-').or_else(|| t.split_once(" à ")) {
        Some((a, b)) => (a.trim(), b.trim()),
        None => (t, t),
    };
    let (a, b) = (
        a.parse::<u32>().map_err(|_| bad())?,
        b.parse::<u32>().map_err(|_| bad())?,
    );
    AgeRange::new(a, b)
        .map(Some)
        .map_err(|_| format!("« {s} » : les âges vont de 0 à 120, le plus jeune d'abord"))
}

/// "9h00", "9h", "14h30", "09:00" → (hour, minute).
fn parse_time(s: &str) -> Option<(u8, u8)> {
    let t = s.trim().to_lowercase();
    let (h, m) = t.split_once(['h', ':']).unwrap_or((t.as_str(), ""));
    let h: u8 = h.trim().parse().ok()?;
    let m: u8 = if m.trim().is_empty() {
        0
    } else {
        m.trim().parse().ok()?
    };
    (h < 24 && m < 60).then_some((h, m))
}

fn too_long(s: &str) -> Option<String> {
    (s.chars().count() > MAX_TEXT).then(|| format!("Le texte dépasse {MAX_TEXT} caractères."))
}

fn url_ok(s: &str) -> bool {
    (s.starts_with("https://") || s.starts_with("http://"))
        && !s.chars().any(char::is_whitespace)
        && s.len() > 8
}

/// Reads a submitted form into `base` (the stored body, or a new one).
/// Every field is checked; all the messages are returned together.
pub(crate) fn read(
    fields: &[Field],
    form: &Submitted,
    mut base: Map<String, Value>,
) -> Result<Map<String, Value>, Errors> {
    let mut errors = Errors::new();
    for f in fields {
        let name = f.key;
        let raw = clean(form.get(name));
        if let Some(e) = too_long(&raw) {
            errors.insert(name.into(), e);
            continue;
        }
        let value = match &f.input {
            Input::Text | Input::Markdown => {
                let text = if matches!(f.input, Input::Text) {
                    passerelle_domain::text::squash_spaces(&raw)
                } else {
                    raw.clone()
                };
                if text.is_empty() && f.nullable {
                    Value::Null
                } else {
                    Value::String(text)
                }
            }
            Input::Siret => {
                if raw.is_empty() && f.nullable {
                    Value::Null
                } else {
                    match passerelle_domain::call::siret(&raw) {
                        Ok(digits) => Value::String(digits),
                        Err(e) => {
                            errors.insert(name.into(), e);
                            continue;
                        }
                    }
                }
            }
            Input::Url => {
                if raw.is_empty() && f.nullable {
                    Value::Null
                } else if url_ok(&raw) {
                    Value::String(raw.clone())
                } else {
                    errors.insert(
                        name.into(),
                        "L'adresse doit commencer par https:// (ou http://).".into(),
                    );
                    continue;
                }
            }
            Input::Lines | Input::Emails | Input::Phones => {
                let mut items = Vec::new();
                for (n, line) in raw
                    .lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .enumerate()
                {
                    let ok = match f.input {
                        Input::Emails => Email::parse(line).map(String::from).map_err(|_| {
                            format!("Ligne {} : « {line} » n'est pas une adresse électronique.", n + 1)
                        }),
                        Input::Phones => Phone::parse(line).map(String::from).map_err(|_| {
                            format!("Ligne {} : « {line} » n'est pas un numéro à dix chiffres commençant par 0.", n + 1)
                        }),
                        _ => Ok(passerelle_domain::text::squash_spaces(line)),
                    };
                    match ok {
                        Ok(v) => items.push(Value::String(v)),
                        Err(e) => {
                            errors.insert(name.into(), e);
                        }
                    }
                }
                Value::Array(items)
            }
            Input::Number { min, max } => match raw.parse::<i64>() {
                Ok(n) if (*min..=*max).contains(&n) => json!(n),
                _ if raw.is_empty() && !f.required => Value::Null,
                _ => {
                    errors.insert(
                        name.into(),
                        format!("Indiquez un nombre entier de {min} à {max}."),
                    );
                    continue;
                }
            },
            Input::Date => {
                let parsed = raw.split('-').map(str::parse::<u32>).collect::<Vec<_>>();
                let date = match parsed.as_slice() {
                    [Ok(y), Ok(m), Ok(d)] => i32::try_from(*y).ok().and_then(|y| {
                        passerelle_domain::Date::new(
                            y,
                            u8::try_from(*m).ok()?,
                            u8::try_from(*d).ok()?,
                        )
                    }),
                    _ => None,
                };
                match date {
                    Some(d) => json!({"year": d.year, "month": d.month, "day": d.day}),
                    None if raw.is_empty() && !f.required => Value::Null,
                    None => {
                        errors.insert(
                            name.into(),
                            "Indiquez une date réelle, sous la forme 2023-06-15.".into(),
                        );
                        continue;
                    }
                }
            }
            Input::Check => Value::Bool(!raw.is_empty()),
            Input::Choice { options, number } => {
                if raw.is_empty() && f.nullable {
                    Value::Null
                } else if !options.iter().any(|(v, _)| *v == raw) {
                    errors.insert(name.into(), "Choisissez une valeur de la liste.".into());
                    continue;
                } else if *number {
                    raw.parse::<i64>().map_or(Value::Null, |n| json!(n))
                } else {
                    Value::String(raw.clone())
                }
            }
            Input::Checks(options) => {
                let mut checked = Vec::new();
                for v in form.all(name) {
                    if options.iter().any(|(o, _)| o == v) {
                        if !checked.contains(v) {
                            checked.push(v.clone());
                        }
                    } else {
                        errors.insert(name.into(), "Choisissez des valeurs de la liste.".into());
                    }
                }
                // Those already stored keep their order; new ones follow in
                // the order of the list.
                let stored: Vec<String> = base
                    .get(name)
                    .and_then(Value::as_array)
                    .map(|a| {
                        a.iter()
                            .filter_map(|v| v.as_str().map(str::to_owned))
                            .collect()
                    })
                    .unwrap_or_default();
                let mut ordered: Vec<String> =
                    stored.into_iter().filter(|s| checked.contains(s)).collect();
                for (o, _) in options {
                    if checked.contains(o) && !ordered.contains(o) {
                        ordered.push(o.clone());
                    }
                }
                Value::Array(ordered.into_iter().map(Value::String).collect())
            }
            Input::Table(columns) => Value::Array(read_table(name, columns, form, &mut errors)),
        };
        let empty = match &value {
            Value::Null => true,
            Value::String(s) => s.is_empty(),
            Value::Array(a) => a.is_empty(),
            _ => false,
        };
        if f.required && empty {
            errors
                .entry(name.into())
                .or_insert_with(|| "Ce champ est obligatoire.".into());
        }
        base.insert(name.to_owned(), value);
    }
    if errors.is_empty() {
        Ok(base)
    } else {
        Err(errors)
    }
}

fn read_table(name: &str, columns: &[Column], form: &Submitted, errors: &mut Errors) -> Vec<Value> {
    let mut rows: Vec<(i64, usize, Value)> = Vec::new();
    for i in 0..form.rows(name) {
        let cell = |key: &str| clean(form.get(&format!("{name}.{i}.{key}")));
        if !cell("retirer").is_empty() {
            continue;
        }
        // A blank row (every cell empty but the choices that always have a
        // value) is skipped.
        let typed = columns
            .iter()
            .any(|c| !matches!(c.cell, Cell::Choice(_)) && !cell(c.key).is_empty());
        if !typed {
            continue;
        }
        let mut row = Map::new();
        for c in columns {
            let raw = cell(c.key);
            let at = format!("{name}.{i}.{}", c.key);
            if let Some(e) = too_long(&raw) {
                errors.insert(at, e);
                continue;
            }
            if c.required && raw.is_empty() {
                errors.insert(at, "Obligatoire.".into());
                continue;
            }
            let maybe = |v: String| {
                if v.is_empty() {
                    Value::Null
                } else {
                    Value::String(v)
                }
            };
            let value = match &c.cell {
                Cell::Text => Value::String(passerelle_domain::text::squash_spaces(&raw)),
                Cell::MaybeText => maybe(passerelle_domain::text::squash_spaces(&raw)),
                Cell::MaybeEmail => {
                    if !raw.is_empty() && Email::parse(&raw).is_err() {
                        errors.insert(at, format!("« {raw} » n'est pas une adresse électronique."));
                        continue;
                    }
                    maybe(raw)
                }
                Cell::MaybePhone => {
                    if !raw.is_empty() && Phone::parse(&raw).is_err() {
                        errors.insert(at, format!("« {raw} » n'est pas un numéro à dix chiffres."));
                        continue;
                    }
                    maybe(raw)
                }
                Cell::Time | Cell::MaybeTime => match parse_time(&raw) {
                    Some((h, m)) => json!({"hour": h, "minute": m}),
                    None if raw.is_empty() && matches!(c.cell, Cell::MaybeTime) => Value::Null,
                    None => {
                        errors.insert(
                            at,
                            format!("« {raw} » n'est pas une heure (ex. 9h00, 14h30)."),
                        );
                        continue;
                    }
                },
                Cell::Ages => match parse_ages(&raw) {
                    Ok(Some(r)) => json!({"min": r.min(), "max": r.max()}),
                    Ok(None) => Value::Null,
                    Err(e) => {
                        errors.insert(at, e);
                        continue;
                    }
                },
                Cell::MaybeNumber => match raw.parse::<u32>() {
                    Ok(n) => json!(n),
                    Err(_) if raw.is_empty() => Value::Null,
                    Err(_) => {
                        errors.insert(at, "Indiquez un nombre entier positif.".into());
                        continue;
                    }
                },
                Cell::Url => {
                    if !url_ok(&raw) {
                        errors.insert(
                            at,
                            "L'adresse doit commencer par https:// (ou http://).".into(),
                        );
                        continue;
                    }
                    Value::String(raw)
                }
                Cell::Choice(options) | Cell::MaybeChoice(options) => {
                    let nullable = matches!(c.cell, Cell::MaybeChoice(_));
                    if raw.is_empty() && nullable {
                        Value::Null
                    } else if options.iter().any(|(v, _)| *v == raw) {
                        Value::String(raw)
                    } else {
                        errors.insert(at, "Choisissez une valeur de la liste.".into());
                        continue;
                    }
                }
            };
            set_nested(&mut row, c.key, value);
        }
        let order = cell("ordre")
            .parse::<i64>()
            .unwrap_or(i64::try_from(i).unwrap_or(0) + 1);
        rows.push((order, i, Value::Object(row)));
    }
    rows.sort_by_key(|(order, i, _)| (*order, *i));
    rows.into_iter().map(|(_, _, v)| v).collect()
}

/// The label of a body key, for diffs ("objectives" → "Objectifs").
pub(crate) fn label_of(fields: &[Field], key: &str) -> String {
    fields
        .iter()
        .find(|f| f.key == key)
        .map_or_else(|| key.to_owned(), |f| f.label.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use passerelle_domain::{Catalogue, EntityKind};

    fn roubaix() -> Catalogue {
        passerelle_livret::bundled::roubaix()
            .map(|(_, imported)| imported.catalogue)
            .unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn every_stored_entity_reads_back_unchanged_through_its_form() {
        let cat = roubaix();
        for e in cat.to_entities() {
            let fields = fields(e.kind, &cat, false);
            if fields.is_empty() {
                continue;
            }
            let form = values_of(
                &fields,
                &crate::admin::entities::to_form_body(e.kind, &e.body),
            );
            let base = e.body.as_object().cloned().unwrap_or_default();
            let read = read(&fields, &form, base)
                .unwrap_or_else(|errors| panic!("{} {}: {errors:?}", e.kind, e.key));
            let read = crate::admin::entities::from_form_body(e.kind, read);
            let read = crate::shared::entities::canonical(e.kind, Value::Object(read))
                .unwrap_or_else(|err| panic!("{} {}: {err}", e.kind, e.key));
            assert_eq!(read, e.body, "{} {}", e.kind, e.key);
        }
    }

    #[test]
    fn a_refused_form_names_each_field_in_french() {
        let cat = roubaix();
        let fields = fields(EntityKind::Action, &cat, false);
        let form = Submitted::new(vec![
            ("title".into(), "  ".into()),
            ("axis".into(), "7".into()),
            ("audiences.0.label".into(), "Enfants".into()),
            ("audiences.0.kind".into(), "enfants".into()),
            ("audiences.0.ages".into(), "11-6".into()),
            ("contacts.0.name".into(), "X".into()),
            ("contacts.0.person".into(), "personne-inconnue".into()),
            ("contacts.0.email".into(), "pas-une-adresse".into()),
            ("resources.0.title".into(), "Site".into()),
            ("resources.0.url".into(), "javascript:alert(1)".into()),
        ]);
        let errors = read(&fields, &form, Map::new()).unwrap_err();
        let keys: Vec<&str> = errors.keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            [
                "audiences.0.ages",
                "axis",
                "contacts.0.email",
                "contacts.0.person",
                "resources.0.url",
                "title"
            ]
        );
        assert_eq!(errors["title"], "Ce champ est obligatoire.");
        assert!(errors["audiences.0.ages"].contains("le plus jeune d'abord"));
        let organisation = super::fields(EntityKind::Organisation, &cat, false);
        let form = Submitted::new(vec![
            ("name".into(), "X".into()),
            ("kind".into(), "association".into()),
            ("website".into(), "javascript:alert(1)".into()),
        ]);
        let errors = read(&organisation, &form, Map::new()).unwrap_err();
        assert_eq!(errors.keys().collect::<Vec<_>>(), ["website"]);
    }

    #[test]
    fn rows_follow_their_position_and_removed_or_blank_rows_go() {
        let cat = roubaix();
        let fields: Vec<Field> = fields(EntityKind::Action, &cat, false)
            .into_iter()
            .filter(|f| f.key == "resources")
            .collect();
        let form = Submitted::new(vec![
            ("resources.0.title".into(), "A".into()),
            ("resources.0.url".into(), "https://a.fr".into()),
            ("resources.0.ordre".into(), "3".into()),
            ("resources.1.title".into(), "B".into()),
            ("resources.1.url".into(), "https://b.fr".into()),
            ("resources.1.ordre".into(), "1".into()),
            ("resources.2.title".into(), "C".into()),
            ("resources.2.url".into(), "https://c.fr".into()),
            ("resources.2.retirer".into(), "1".into()),
            ("resources.3.title".into(), "".into()),
        ]);
        let body = read(&fields, &form, Map::new()).unwrap_or_default();
        assert_eq!(
            body["resources"],
            json!([{"title": "B", "url": "https://b.fr"}, {"title": "A", "url": "https://a.fr"}])
        );
    }
}
