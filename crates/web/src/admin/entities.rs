//! The kinds edited on the web, their URLs and names, and the bodies as
//! forms show them (an event's half-days as one table of sessions) and as a
//! new entity's key is made.

use passerelle_domain::{Catalogue, Entity, EntityKind, Slug};
use serde_json::{Map, Value, json};

use super::form;
use crate::shared::error::AppError;

/// The kinds edited on the web, with their URL segment and French names.
pub(crate) const KINDS: [(EntityKind, &str, &str, &str); 8] = [
    (EntityKind::Action, "actions", "Actions", "une action"),
    (EntityKind::Axis, "axes", "Axes", "un axe"),
    (
        EntityKind::Programme,
        "programmes",
        "Programmes",
        "un programme",
    ),
    (
        EntityKind::Organisation,
        "organisations",
        "Organisations",
        "une organisation",
    ),
    (EntityKind::Person, "personnes", "Personnes", "une personne"),
    (
        EntityKind::Territory,
        "territoires",
        "Territoires",
        "un territoire",
    ),
    (
        EntityKind::Seminar,
        "evenements",
        "Événements (séminaires, commissions)",
        "un événement",
    ),
    (EntityKind::Cite, "cite", "Cité éducative", "une cité"),
];

pub(crate) fn kind_of(segment: &str) -> Result<EntityKind, AppError> {
    KINDS
        .iter()
        .find(|k| k.1 == segment)
        .map(|k| k.0)
        .ok_or_else(|| AppError::NotFound("Ce type de fiche n'existe pas.".into()))
}

pub(crate) fn segment_of(kind: EntityKind) -> &'static str {
    KINDS.iter().find(|k| k.0 == kind).map_or("", |k| k.1)
}

pub(crate) fn plural_of(kind: EntityKind) -> &'static str {
    KINDS.iter().find(|k| k.0 == kind).map_or("", |k| k.2)
}

/// Keys hold `/` (`programmation-2020-2022/fiche-5`); in URLs it is `~`.
pub(crate) fn key_to_url(key: &str) -> String {
    key.replace('/', "~")
}

pub(crate) fn key_from_url(segment: &str) -> String {
    segment.replace('~', "/")
}

pub(crate) fn edit_url(kind: EntityKind, key: &str) -> String {
    format!("/admin/{}/{}", segment_of(kind), key_to_url(key))
}

/// Where the public sees an entity, if anywhere.
pub(crate) fn public_url(kind: EntityKind, body: &Value) -> Option<String> {
    let s = |k: &str| {
        body.get(k)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    let n = |k: &str| body.get(k).and_then(Value::as_u64).unwrap_or_default();
    match kind {
        EntityKind::Action => Some(format!("/actions/{}", n("fiche"))),
        EntityKind::Axis => Some(format!("/axes/{}", n("number"))),
        EntityKind::Organisation => Some(format!("/annuaire/organisations/{}", s("slug"))),
        EntityKind::Person => Some(format!("/annuaire/personnes/{}", s("slug"))),
        EntityKind::Territory => Some(format!("/annuaire/territoires/{}", s("slug"))),
        EntityKind::Cite | EntityKind::Programme => Some("/".into()),
        EntityKind::Seminar => Some(format!("/seminaire/{}", s("slug"))),
    }
}

/// A readable name for an entity.
pub(crate) fn title_of(kind: EntityKind, body: &Value) -> String {
    let s = |k: &str| {
        body.get(k)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    match kind {
        EntityKind::Action => format!(
            "Fiche {} — {}",
            body.get("fiche")
                .and_then(Value::as_u64)
                .unwrap_or_default(),
            s("title")
        ),
        EntityKind::Axis => format!(
            "Axe {} — {}",
            body.get("number")
                .and_then(Value::as_u64)
                .unwrap_or_default(),
            s("title")
        ),
        EntityKind::Organisation
        | EntityKind::Person
        | EntityKind::Territory
        | EntityKind::Cite => s("name"),
        EntityKind::Programme => s("title"),
        EntityKind::Seminar => {
            let date = body.get("date");
            let n = |k: &str| {
                date.and_then(|d| d.get(k))
                    .and_then(Value::as_u64)
                    .unwrap_or_default()
            };
            format!(
                "{} ({:02}/{:02}/{})",
                s("title"),
                n("day"),
                n("month"),
                n("year")
            )
        }
    }
}

/// What a form shows of a body: for an event, its timed programme
/// (`half_days`) as one table of sessions, each with its half-day's label.
pub(crate) fn to_form_body(kind: EntityKind, body: &Value) -> Value {
    if kind != EntityKind::Seminar {
        return body.clone();
    }
    let mut out = body.clone();
    let rows: Vec<Value> = body
        .get("half_days")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .flat_map(|h| {
            let label = h.get("label").cloned().unwrap_or(Value::Null);
            h.get("sessions")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .map(move |s| {
                    let mut row = s.clone();
                    if let Value::Object(m) = &mut row {
                        m.insert("half".into(), label.clone());
                    }
                    row
                })
        })
        .collect();
    if let Value::Object(m) = &mut out {
        m.insert("sessions".into(), Value::Array(rows));
    }
    out
}

fn minutes(t: Option<&Value>) -> Option<u64> {
    let t = t?;
    Some(t.get("hour")?.as_u64()? * 60 + t.get("minute")?.as_u64()?)
}

/// Back from a form: the sessions grouped into half-days by label, in order
/// of first appearance. A half-day keeps its stored title, and its times
/// widened to its sessions'; a session keeps the parts (interventions and
/// speakers) of the stored session with the same title.
/// The keys of a kind's body that [`from_form_body`] makes again from the
/// form's fields (a seminar's half-days, from its sessions).
pub(crate) fn derived_keys(kind: EntityKind) -> &'static [&'static str] {
    match kind {
        EntityKind::Seminar => &["half_days"],
        _ => &[],
    }
}

pub(crate) fn from_form_body(kind: EntityKind, mut body: Map<String, Value>) -> Map<String, Value> {
    if kind != EntityKind::Seminar {
        return body;
    }
    let Some(Value::Array(rows)) = body.remove("sessions") else {
        return body;
    };
    let stored_halves: Vec<Value> = body
        .get("half_days")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let stored_sessions: Vec<&Value> = stored_halves
        .iter()
        .flat_map(|h| {
            h.get("sessions")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
        })
        .collect();
    let mut used = vec![false; stored_sessions.len()];
    let mut halves: Vec<(Value, Vec<Value>)> = Vec::new();
    for row in rows {
        let Value::Object(mut session) = row else {
            continue;
        };
        let label = session.remove("half").unwrap_or(Value::Null);
        let parts = stored_sessions
            .iter()
            .enumerate()
            .find(|(i, s)| !used[*i] && s.get("title") == session.get("title"))
            .map(|(i, s)| {
                used[i] = true;
                s.get("parts").cloned().unwrap_or_else(|| json!([]))
            })
            .unwrap_or_else(|| json!([]));
        session.insert("parts".into(), parts);
        match halves.iter_mut().find(|(l, _)| *l == label) {
            Some((_, sessions)) => sessions.push(Value::Object(session)),
            None => halves.push((label, vec![Value::Object(session)])),
        }
    }
    let time = |m: u64| json!({"hour": m / 60, "minute": m % 60});
    let half_days: Vec<Value> = halves
        .into_iter()
        .map(|(label, sessions)| {
            let stored = stored_halves
                .iter()
                .find(|h| h.get("label") == Some(&label));
            let starts = sessions.iter().filter_map(|s| minutes(s.get("start")));
            let ends = sessions
                .iter()
                .filter_map(|s| minutes(s.get("end")).or_else(|| minutes(s.get("start"))));
            let start = starts
                .chain(stored.and_then(|h| minutes(h.get("start"))))
                .min()
                .unwrap_or(0);
            let end = ends
                .chain(stored.and_then(|h| minutes(h.get("end"))))
                .max()
                .unwrap_or(start);
            json!({
                "label": label,
                "start": time(start),
                "end": time(end),
                "title": stored.and_then(|h| h.get("title").cloned()).unwrap_or_else(|| json!("")),
                "sessions": sessions,
            })
        })
        .collect();
    body.insert("half_days".into(), Value::Array(half_days));
    body
}

/// For a new entity: its key, and the body completed with what the form does
/// not ask (slug, inferred parts). Errors name the field at fault.
pub(crate) fn new_key(
    kind: EntityKind,
    cat: &Catalogue,
    mut body: Map<String, Value>,
) -> Result<(String, Map<String, Value>), form::Errors> {
    let mut errors = form::Errors::new();
    let programme = cat
        .current_programme()
        .map(|p| p.slug.to_string())
        .unwrap_or_default();
    let text = |k: &str| {
        body.get(k)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    let key = match kind {
        EntityKind::Action => {
            body.insert("inferred".into(), json!({"number": false, "title": false}));
            let n = body
                .get("fiche")
                .and_then(Value::as_u64)
                .unwrap_or_default();
            format!("{programme}/fiche-{n}")
        }
        EntityKind::Axis => {
            let n = body
                .get("number")
                .and_then(Value::as_u64)
                .unwrap_or_default();
            format!("{programme}/axe-{n}")
        }
        EntityKind::Programme
        | EntityKind::Organisation
        | EntityKind::Person
        | EntityKind::Territory => {
            let from = if kind == EntityKind::Programme {
                "title"
            } else {
                "name"
            };
            let slug = Slug::from_text(&text(from));
            if slug.as_str().is_empty() {
                errors.insert(
                    from.into(),
                    "Le nom doit contenir des lettres ou des chiffres.".into(),
                );
            }
            body.insert("slug".into(), Value::String(slug.to_string()));
            slug.to_string()
        }
        EntityKind::Seminar => {
            let date = body.get("date").cloned().unwrap_or(Value::Null);
            let n = |k: &str| date.get(k).and_then(Value::as_u64).unwrap_or_default();
            let slug = Slug::from_text(&format!(
                "{} {}-{:02}-{:02}",
                text("title"),
                n("year"),
                n("month"),
                n("day")
            ));
            body.insert("slug".into(), Value::String(slug.to_string()));
            body.entry("half_days").or_insert_with(|| json!([]));
            slug.to_string()
        }
        EntityKind::Cite => {
            errors.insert(
                "title".into(),
                "Ce type de fiche ne se crée pas ici.".into(),
            );
            String::new()
        }
    };
    if errors.is_empty() {
        Ok((key, body))
    } else {
        Err(errors)
    }
}

/// The field that makes a new entity's key, for the "exists already" message.
pub(crate) fn key_field(kind: EntityKind) -> &'static str {
    match kind {
        EntityKind::Action => "fiche",
        EntityKind::Axis => "number",
        EntityKind::Programme => "title",
        _ => "name",
    }
}

pub(crate) fn entity(kind: EntityKind, key: String, body: Value) -> Entity {
    Entity { kind, key, body }
}
