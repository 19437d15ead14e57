//! The programme as five tables (actions, organisations, public contacts,
//! territories, events), each with a Table Schema of its columns. The same
//! tables give the CSV files, the JSON files and the data package.

use passerelle_domain::{
    AgeRange, Catalogue, EntityDates, EntityKind, OperatorRole, TerritoryKind,
};

/// A cité's data to publish, read from the public view of its catalogue.
#[derive(Debug, Clone, Copy)]
pub struct Published<'a> {
    /// The whole catalogue: what is kept for professionals is taken out here.
    pub catalogue: &'a Catalogue,
    /// The absolute address of the cité's pages, without a final `/`
    /// (`https://passerelle.example/roubaix`).
    pub base_url: &'a str,
    /// When each entity was created and last changed.
    pub dates: &'a [EntityDates],
    /// The cité's funding lines (only the voted ones are published, in
    /// the columns of the SCDL *Subventions* schema).
    pub subsidies: &'a [passerelle_domain::funding::FundingLine],
}

impl Published<'_> {
    fn dates(&self, kind: EntityKind, key: &str) -> Option<&EntityDates> {
        self.dates.iter().find(|d| d.kind == kind && d.key == key)
    }

    /// The day (`YYYY-MM-DD`) an entity last changed, if known.
    pub(crate) fn updated(&self, kind: EntityKind, key: &str) -> Option<String> {
        self.dates(kind, key).map(|d| day(&d.updated))
    }

    pub(crate) fn created(&self, kind: EntityKind, key: &str) -> Option<String> {
        self.dates(kind, key).map(|d| day(&d.created))
    }

    /// The day the cité's data last changed, if known.
    pub fn last_update(&self) -> Option<String> {
        self.dates.iter().map(|d| d.updated.as_str()).max().map(day)
    }
}

/// The day (Europe/Paris) of an instant of the history.
fn day(rfc3339: &str) -> String {
    passerelle_domain::Date::paris_day_of(rfc3339).map_or_else(
        || rfc3339.chars().take(10).collect(),
        passerelle_domain::Date::iso,
    )
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldType {
    String,
    Integer,
    /// A decimal number, written with a `.` (amounts in euros, exact).
    Number,
    Date,
    Boolean,
}

impl FieldType {
    pub fn key(self) -> &'static str {
        match self {
            FieldType::String => "string",
            FieldType::Integer => "integer",
            FieldType::Number => "number",
            FieldType::Date => "date",
            FieldType::Boolean => "boolean",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Field {
    pub name: &'static str,
    pub kind: FieldType,
    pub description: &'static str,
    pub required: bool,
    /// Several values, written `a | b` in a CSV cell and as an array in JSON.
    pub list: bool,
    pub constraints: Constraints,
}

/// What a field's values must be, beyond its type (Table Schema's
/// constraints), and how a yes/no is written.
#[derive(Debug, Clone, Copy)]
pub struct Constraints {
    pub pattern: Option<&'static str>,
    pub max_length: Option<u32>,
    /// The values allowed, if listed.
    pub values: &'static [&'static str],
    /// Bounds of a number, as written in the schema.
    pub minimum: Option<&'static str>,
    pub maximum: Option<&'static str>,
    /// How yes and no are written (`true`/`false` unless said).
    pub booleans: (&'static str, &'static str),
}

impl Constraints {
    pub const NONE: Constraints = Constraints {
        pattern: None,
        max_length: None,
        values: &[],
        minimum: None,
        maximum: None,
        booleans: ("true", "false"),
    };
}

const fn field(name: &'static str, kind: FieldType, description: &'static str) -> Field {
    Field {
        name,
        kind,
        description,
        required: false,
        list: false,
        constraints: Constraints::NONE,
    }
}

const fn required(name: &'static str, kind: FieldType, description: &'static str) -> Field {
    Field {
        required: true,
        ..field(name, kind, description)
    }
}

const fn list(name: &'static str, description: &'static str) -> Field {
    Field {
        list: true,
        ..field(name, FieldType::String, description)
    }
}

/// The columns every table starts with.
const CITE: Field = required(
    "cite",
    FieldType::String,
    "Identifiant de la Cité éducative",
);
const PROGRAMME: Field = required("programme", FieldType::String, "Identifiant du programme");
const FICHE: Field = required("fiche", FieldType::Integer, "Numéro de la fiche action");
const UPDATED: Field = field("date_maj", FieldType::Date, "Date de dernière modification");

/// One cell: empty, a text, a number, a yes/no, or several texts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    Empty,
    Text(String),
    Integer(i64),
    /// A decimal as written (`25000.50`): exact, never a float.
    Decimal(String),
    Boolean(bool),
    List(Vec<String>),
}

impl Cell {
    pub(crate) fn text(s: impl Into<String>) -> Cell {
        let s = s.into();
        if s.is_empty() {
            Cell::Empty
        } else {
            Cell::Text(s)
        }
    }

    pub(crate) fn opt(s: Option<impl Into<String>>) -> Cell {
        s.map_or(Cell::Empty, Cell::text)
    }
}

#[derive(Debug, Clone)]
pub struct Table {
    /// Its file name without extension (`actions`).
    pub name: &'static str,
    pub title: &'static str,
    pub description: &'static str,
    pub fields: Vec<Field>,
    pub primary_key: &'static [&'static str],
    pub rows: Vec<Vec<Cell>>,
    /// The day its newest row last changed, if known.
    pub updated: Option<String>,
}

/// The tables, in the order the data page lists them.
pub const NAMES: [&str; 6] = [
    "actions",
    "organisations",
    "contacts",
    "territoires",
    "evenements",
    "subventions",
];

/// Every table of one or several cités (the national export: every row
/// names its cité).
pub fn tables(cites: &[Published<'_>]) -> Vec<Table> {
    let publics: Vec<Catalogue> = cites.iter().map(|c| c.catalogue.public_view()).collect();
    let cites: Vec<Published<'_>> = cites
        .iter()
        .zip(&publics)
        .map(|(c, catalogue)| Published { catalogue, ..*c })
        .collect();
    let updated = |kinds: &[EntityKind]| {
        cites
            .iter()
            .flat_map(|c| c.dates.iter())
            .filter(|d| kinds.contains(&d.kind))
            .map(|d| d.updated.as_str())
            .max()
            .map(day)
    };
    vec![
        Table {
            name: "actions",
            title: "Actions",
            description: "Les actions de chaque programme : fiche, axe, description, publics, âges, périmètre, opérateurs et partenaires.",
            fields: vec![
                CITE,
                PROGRAMME,
                FICHE,
                required("axe", FieldType::Integer, "Numéro de l'axe"),
                required("titre", FieldType::String, "Titre de l'action"),
                field("description", FieldType::String, "Description (Markdown)"),
                list("objectifs", "Objectifs, séparés par « | »"),
                list(
                    "publics",
                    "Publics visés, tels qu'imprimés, séparés par « | »",
                ),
                field(
                    "age_min",
                    FieldType::Integer,
                    "Âge le plus bas des publics (ans)",
                ),
                field(
                    "age_max",
                    FieldType::Integer,
                    "Âge le plus haut des publics (ans)",
                ),
                list("thematiques", "Thèmes (identifiants), séparés par « | »"),
                list(
                    "perimetre",
                    "Territoires où l'action a lieu, séparés par « | »",
                ),
                list(
                    "operateurs",
                    "Opérateurs et prestataires, séparés par « | »",
                ),
                list("partenaires", "Partenaires, séparés par « | »"),
                field(
                    "url",
                    FieldType::String,
                    "Page de l'action (programme en cours)",
                ),
                field(
                    "date_creation",
                    FieldType::Date,
                    "Date d'enregistrement dans Passerelle",
                ),
                UPDATED,
            ],
            primary_key: &["cite", "programme", "fiche"],
            rows: cites.iter().flat_map(action_rows).collect(),
            updated: updated(&[EntityKind::Action, EntityKind::Programme, EntityKind::Axis]),
        },
        Table {
            name: "organisations",
            title: "Organisations",
            description: "Les organisations nommées par les fiches : opérateurs, partenaires, écoles, services.",
            fields: vec![
                CITE,
                required("id", FieldType::String, "Identifiant de l'organisation"),
                required("nom", FieldType::String, "Nom"),
                field("sigle", FieldType::String, "Sigle"),
                required("type", FieldType::String, "Type d'organisation"),
                field("site_web", FieldType::String, "Site web"),
                field(
                    "territoire",
                    FieldType::String,
                    "Identifiant du territoire où elle se trouve",
                ),
                required(
                    "url",
                    FieldType::String,
                    "Page de l'organisation dans l'annuaire",
                ),
                UPDATED,
            ],
            primary_key: &["cite", "id"],
            rows: cites.iter().flat_map(organisation_rows).collect(),
            updated: updated(&[EntityKind::Organisation]),
        },
        Table {
            name: "contacts",
            title: "Contacts publics",
            description: "Les personnes à contacter pour chaque action, avec les seules coordonnées publiques (celles que des personnes réservent aux professionnels n'y sont pas).",
            fields: vec![
                CITE,
                PROGRAMME,
                FICHE,
                required(
                    "groupe",
                    FieldType::String,
                    "Rôle du contact (« Troïka », « Structure »…)",
                ),
                required("nom", FieldType::String, "Nom, tel qu'imprimé"),
                field("courriel", FieldType::String, "Courriel public"),
                field("telephone", FieldType::String, "Téléphone public"),
            ],
            primary_key: &[],
            rows: cites.iter().flat_map(contact_rows).collect(),
            updated: updated(&[EntityKind::Action, EntityKind::Person]),
        },
        Table {
            name: "territoires",
            title: "Territoires",
            description: "La ville, ses secteurs, réseaux REP+, quartiers, écoles, collèges et centres sociaux.",
            fields: vec![
                CITE,
                required("id", FieldType::String, "Identifiant du territoire"),
                required("nom", FieldType::String, "Nom"),
                required("type", FieldType::String, "Type de territoire"),
                field(
                    "parent",
                    FieldType::String,
                    "Identifiant du territoire qui le contient",
                ),
                required(
                    "url",
                    FieldType::String,
                    "Page du territoire dans l'annuaire",
                ),
            ],
            primary_key: &["cite", "id"],
            rows: cites.iter().flat_map(territory_rows).collect(),
            updated: updated(&[EntityKind::Territory]),
        },
        Table {
            name: "evenements",
            title: "Événements",
            description: "Les séminaires et rencontres de la Cité éducative.",
            fields: vec![
                CITE,
                required("id", FieldType::String, "Identifiant de l'événement"),
                required("titre", FieldType::String, "Titre"),
                field("sous_titre", FieldType::String, "Sous-titre"),
                required("date", FieldType::Date, "Date"),
                field("lieu", FieldType::String, "Lieu"),
                field("places", FieldType::Integer, "Nombre de places"),
                required(
                    "inscriptions_ouvertes",
                    FieldType::Boolean,
                    "Inscriptions ouvertes en ligne",
                ),
                required("url", FieldType::String, "Page de l'événement"),
            ],
            primary_key: &["cite", "id"],
            rows: cites.iter().flat_map(event_rows).collect(),
            updated: updated(&[EntityKind::Seminar]),
        },
        crate::subventions::table(&cites),
    ]
}

fn action_rows(c: &Published<'_>) -> Vec<Vec<Cell>> {
    let cat = c.catalogue;
    let cite = cat.cite.slug.as_str();
    cat.actions()
        .map(|(p, a)| {
            let key = format!("{}/{}", p.slug, a.slug());
            let ages: Vec<_> = a.age_ranges().collect();
            let operators = a.operators.iter().map(|o| {
                let label = match o.count {
                    Some(n) => format!("{n} {}", o.label),
                    None => o.label.clone(),
                };
                match o.role {
                    OperatorRole::Operateur => label,
                    OperatorRole::Prestataire => format!("{label} (prestataire)"),
                }
            });
            let perimeter = a.perimeter.iter().map(|e| {
                cat.territory(&e.territory)
                    .map_or_else(|| e.territory.to_string(), |t| t.name.clone())
            });
            vec![
                Cell::text(cite),
                Cell::text(p.slug.as_str()),
                Cell::Integer(a.fiche.get().into()),
                Cell::Integer(a.axis.into()),
                Cell::text(&a.title),
                Cell::text(&a.description),
                Cell::List(a.objectives.clone()),
                Cell::List(a.audiences.iter().map(|au| au.label.clone()).collect()),
                ages.iter()
                    .map(|r| AgeRange::min(*r))
                    .min()
                    .map_or(Cell::Empty, |n| Cell::Integer(n.into())),
                ages.iter()
                    .map(|r| AgeRange::max(*r))
                    .max()
                    .map_or(Cell::Empty, |n| Cell::Integer(n.into())),
                Cell::List(a.themes.iter().map(|t| t.key().to_owned()).collect()),
                Cell::List(perimeter.collect()),
                Cell::List(operators.collect()),
                Cell::List(a.partners.iter().map(|x| x.label.clone()).collect()),
                Cell::opt(action_url(c.base_url, cat, p, a)),
                Cell::opt(c.created(EntityKind::Action, &key)),
                Cell::opt(c.updated(EntityKind::Action, &key)),
            ]
        })
        .collect()
}

/// The address of an action's page: the pages show the current programme
/// (the one that ends last); the actions of the others have none.
pub(crate) fn action_url(
    base: &str,
    catalogue: &Catalogue,
    programme: &passerelle_domain::Programme,
    a: &passerelle_domain::Action,
) -> Option<String> {
    let current = catalogue.current_programme()?;
    (current.slug == programme.slug).then(|| format!("{base}/actions/{}", a.fiche))
}

fn organisation_rows(c: &Published<'_>) -> Vec<Vec<Cell>> {
    let cat = c.catalogue;
    cat.organisations
        .iter()
        .map(|o| {
            vec![
                Cell::text(cat.cite.slug.as_str()),
                Cell::text(o.slug.as_str()),
                Cell::text(&o.name),
                Cell::opt(o.acronym.clone()),
                Cell::text(o.kind.label()),
                Cell::opt(o.website.clone()),
                Cell::opt(o.territory.as_ref().map(|t| t.to_string())),
                Cell::text(format!("{}/annuaire/organisations/{}", c.base_url, o.slug)),
                Cell::opt(c.updated(EntityKind::Organisation, o.slug.as_str())),
            ]
        })
        .collect()
}

fn contact_rows(c: &Published<'_>) -> Vec<Vec<Cell>> {
    let cat = c.catalogue;
    cat.actions()
        .flat_map(|(p, a)| {
            a.contacts.iter().map(move |k| {
                vec![
                    Cell::text(cat.cite.slug.as_str()),
                    Cell::text(p.slug.as_str()),
                    Cell::Integer(a.fiche.get().into()),
                    Cell::text(&k.group),
                    Cell::text(&k.name),
                    Cell::opt(k.email.clone()),
                    Cell::opt(k.phone.clone()),
                ]
            })
        })
        .collect()
}

fn territory_rows(c: &Published<'_>) -> Vec<Vec<Cell>> {
    let cat = c.catalogue;
    cat.territories
        .iter()
        .map(|t| {
            vec![
                Cell::text(cat.cite.slug.as_str()),
                Cell::text(t.slug.as_str()),
                Cell::text(&t.name),
                Cell::text(match t.kind {
                    TerritoryKind::Cite => "Ville",
                    other => other.label(),
                }),
                Cell::opt(t.parent.as_ref().map(|p| p.to_string())),
                Cell::text(format!("{}/annuaire/territoires/{}", c.base_url, t.slug)),
            ]
        })
        .collect()
}

fn event_rows(c: &Published<'_>) -> Vec<Vec<Cell>> {
    let cat = c.catalogue;
    cat.seminars
        .iter()
        .map(|s| {
            vec![
                Cell::text(cat.cite.slug.as_str()),
                Cell::text(s.slug.as_str()),
                Cell::text(&s.title),
                Cell::text(&s.subtitle),
                Cell::text(s.date.iso()),
                Cell::text(&s.place),
                s.capacity.map_or(Cell::Empty, |n| Cell::Integer(n.into())),
                Cell::Boolean(s.registration_open),
                Cell::text(format!("{}/seminaire/{}", c.base_url, s.slug)),
            ]
        })
        .collect()
}
