//! A catalogue as a flat set of keyed entities, and the changes between two
//! such sets: what an import would add, update or remove.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::catalogue::{Action, Axis, Catalogue, Cite, Organisation, Person, Programme, Territory};
use crate::seminar::Seminar;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EntityKind {
    Cite,
    Programme,
    Axis,
    Action,
    Organisation,
    Person,
    Territory,
    Seminar,
}

impl EntityKind {
    pub const ALL: [EntityKind; 8] = [
        EntityKind::Cite,
        EntityKind::Programme,
        EntityKind::Axis,
        EntityKind::Action,
        EntityKind::Organisation,
        EntityKind::Person,
        EntityKind::Territory,
        EntityKind::Seminar,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::Cite => "cite",
            EntityKind::Programme => "programme",
            EntityKind::Axis => "axis",
            EntityKind::Action => "action",
            EntityKind::Organisation => "organisation",
            EntityKind::Person => "person",
            EntityKind::Territory => "territory",
            EntityKind::Seminar => "seminar",
        }
    }

    pub fn parse(s: &str) -> Option<EntityKind> {
        EntityKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

impl fmt::Display for EntityKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One stored thing: its kind, a key unique within the kind and the cité, and
/// its body. Actions and axes are keyed under their programme
/// (`programmation-2020-2022/fiche-17`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entity {
    pub kind: EntityKind,
    pub key: String,
    pub body: Value,
}

/// When an entity was first stored and last changed, read from its history
/// (RFC 3339, UTC): what feeds and open data give as publication and update
/// dates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntityDates {
    pub kind: EntityKind,
    pub key: String,
    pub created: String,
    pub updated: String,
}

#[derive(Debug, thiserror::Error)]
pub enum EntityError {
    #[error("l'élément enregistré {kind} « {key} » est illisible : {source}")]
    Body {
        kind: EntityKind,
        key: String,
        source: serde_json::Error,
    },
    #[error("aucune cité parmi les éléments enregistrés")]
    NoCite,
    #[error("{kind} « {key} » appartient au programme « {programme} », qui n'est pas enregistré")]
    Orphan {
        kind: EntityKind,
        key: String,
        programme: String,
    },
}

#[derive(Serialize, Deserialize)]
struct ProgrammeHead {
    slug: crate::values::Slug,
    title: String,
    start_year: i32,
    end_year: i32,
}

fn to_value<T: Serialize>(t: &T) -> Value {
    // Serialising our own plain data types to a Value cannot fail: they have
    // string keys and no custom serialisers that error.
    serde_json::to_value(t).unwrap_or(Value::Null)
}

impl Catalogue {
    /// The catalogue as entities, in a stable order.
    pub fn to_entities(&self) -> Vec<Entity> {
        let mut out = vec![Entity {
            kind: EntityKind::Cite,
            key: self.cite.slug.to_string(),
            body: to_value(&self.cite),
        }];
        for p in &self.programmes {
            let head = ProgrammeHead {
                slug: p.slug.clone(),
                title: p.title.clone(),
                start_year: p.start_year,
                end_year: p.end_year,
            };
            out.push(Entity {
                kind: EntityKind::Programme,
                key: p.slug.to_string(),
                body: to_value(&head),
            });
            for a in &p.axes {
                out.push(Entity {
                    kind: EntityKind::Axis,
                    key: format!("{}/axe-{}", p.slug, a.number),
                    body: to_value(a),
                });
            }
            for a in &p.actions {
                out.push(Entity {
                    kind: EntityKind::Action,
                    key: format!("{}/{}", p.slug, a.slug()),
                    body: to_value(a),
                });
            }
        }
        for o in &self.organisations {
            out.push(Entity {
                kind: EntityKind::Organisation,
                key: o.slug.to_string(),
                body: to_value(o),
            });
        }
        for p in &self.people {
            out.push(Entity {
                kind: EntityKind::Person,
                key: p.slug.to_string(),
                body: to_value(p),
            });
        }
        for t in &self.territories {
            out.push(Entity {
                kind: EntityKind::Territory,
                key: t.slug.to_string(),
                body: to_value(t),
            });
        }
        for s in &self.seminars {
            out.push(Entity {
                kind: EntityKind::Seminar,
                key: s.slug.to_string(),
                body: to_value(s),
            });
        }
        out
    }

    /// Rebuilds a catalogue from stored entities. Order within each kind is
    /// restored (fiches by number, the rest by slug), so any storage order works.
    pub fn from_entities(entities: Vec<Entity>) -> Result<Catalogue, EntityError> {
        fn body<T: for<'de> Deserialize<'de>>(e: Entity) -> Result<T, EntityError> {
            serde_json::from_value(e.body).map_err(|source| EntityError::Body {
                kind: e.kind,
                key: e.key,
                source,
            })
        }
        let mut cite: Option<Cite> = None;
        let mut programmes: BTreeMap<String, Programme> = BTreeMap::new();
        let mut axes: Vec<(String, Axis)> = Vec::new();
        let mut actions: Vec<(String, Action)> = Vec::new();
        let mut organisations: Vec<Organisation> = Vec::new();
        let mut people: Vec<Person> = Vec::new();
        let mut territories: Vec<Territory> = Vec::new();
        let mut seminars: Vec<Seminar> = Vec::new();
        for e in entities {
            let programme_of = |key: &str| {
                key.split_once('/')
                    .map(|(p, _)| p.to_owned())
                    .unwrap_or_default()
            };
            match e.kind {
                EntityKind::Cite => cite = Some(body(e)?),
                EntityKind::Programme => {
                    let head: ProgrammeHead = body(e)?;
                    programmes.insert(
                        head.slug.to_string(),
                        Programme {
                            slug: head.slug,
                            title: head.title,
                            start_year: head.start_year,
                            end_year: head.end_year,
                            axes: Vec::new(),
                            actions: Vec::new(),
                        },
                    );
                }
                EntityKind::Axis => {
                    let p = programme_of(&e.key);
                    axes.push((p, body(e)?));
                }
                EntityKind::Action => {
                    let p = programme_of(&e.key);
                    actions.push((p, body(e)?));
                }
                EntityKind::Organisation => organisations.push(body(e)?),
                EntityKind::Person => people.push(body(e)?),
                EntityKind::Territory => territories.push(body(e)?),
                EntityKind::Seminar => seminars.push(body(e)?),
            }
        }
        for (p, axis) in axes {
            let key = format!("{p}/axe-{}", axis.number);
            programmes
                .get_mut(&p)
                .ok_or(EntityError::Orphan {
                    kind: EntityKind::Axis,
                    key,
                    programme: p.clone(),
                })?
                .axes
                .push(axis);
        }
        for (p, action) in actions {
            let key = format!("{p}/{}", action.slug());
            programmes
                .get_mut(&p)
                .ok_or(EntityError::Orphan {
                    kind: EntityKind::Action,
                    key,
                    programme: p.clone(),
                })?
                .actions
                .push(action);
        }
        let mut programmes: Vec<Programme> = programmes.into_values().collect();
        for p in &mut programmes {
            p.axes.sort_by_key(|a| a.number);
            p.actions.sort_by_key(|a| a.fiche);
        }
        programmes.sort_by_key(|p| (p.start_year, p.end_year));
        organisations.sort_by(|a, b| a.slug.cmp(&b.slug));
        people.sort_by(|a, b| a.slug.cmp(&b.slug));
        territories.sort_by(|a, b| a.slug.cmp(&b.slug));
        seminars.sort_by_key(|s| s.date);
        Ok(Catalogue {
            cite: cite.ok_or(EntityError::NoCite)?,
            programmes,
            organisations,
            people,
            territories,
            seminars,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "kebab-case")]
pub enum ChangeOp {
    Added,
    /// The top-level fields whose value differs.
    Updated {
        fields: Vec<String>,
    },
    Removed,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    pub kind: EntityKind,
    pub key: String,
    #[serde(flatten)]
    pub op: ChangeOp,
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.op {
            ChangeOp::Added => write!(f, "+ {} {}", self.kind, self.key),
            ChangeOp::Removed => write!(f, "- {} {}", self.kind, self.key),
            ChangeOp::Updated { fields } => {
                write!(f, "~ {} {} ({})", self.kind, self.key, fields.join(", "))
            }
        }
    }
}

/// What turns `old` into `new`: additions and updates in `new`'s order, then
/// removals in `old`'s order. Equal inputs give no change.
pub fn diff(old: &[Entity], new: &[Entity]) -> Vec<Change> {
    let old_by_key: BTreeMap<(EntityKind, &str), &Entity> =
        old.iter().map(|e| ((e.kind, e.key.as_str()), e)).collect();
    let new_keys: std::collections::BTreeSet<(EntityKind, &str)> =
        new.iter().map(|e| (e.kind, e.key.as_str())).collect();
    let mut out = Vec::new();
    for e in new {
        match old_by_key.get(&(e.kind, e.key.as_str())) {
            None => out.push(Change {
                kind: e.kind,
                key: e.key.clone(),
                op: ChangeOp::Added,
            }),
            Some(before) if before.body != e.body => out.push(Change {
                kind: e.kind,
                key: e.key.clone(),
                op: ChangeOp::Updated {
                    fields: changed_fields(&before.body, &e.body),
                },
            }),
            Some(_) => {}
        }
    }
    for e in old {
        if !new_keys.contains(&(e.kind, e.key.as_str())) {
            out.push(Change {
                kind: e.kind,
                key: e.key.clone(),
                op: ChangeOp::Removed,
            });
        }
    }
    out
}

fn changed_fields(before: &Value, after: &Value) -> Vec<String> {
    match (before, after) {
        (Value::Object(a), Value::Object(b)) => {
            let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
            keys.sort();
            keys.dedup();
            keys.into_iter()
                .filter(|k| a.get(*k) != b.get(*k))
                .cloned()
                .collect()
        }
        _ => vec!["(value)".to_owned()],
    }
}
