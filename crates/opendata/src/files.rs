//! Tables written as files: CSV in two flavours, JSON, and the Frictionless
//! data package that describes the open-data CSV files.

use serde_json::{Map, Value, json};

use crate::tables::{Cell, FieldType, Table};

/// How a CSV file is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavour {
    /// For programs and open-data portals (Table Schema, OpenDataFrance):
    /// UTF-8 without BOM, `,`, LF.
    OpenData,
    /// For a French spreadsheet: UTF-8 with its BOM (so accents open
    /// right), `;`, CRLF, and cells that would start a formula defused.
    Spreadsheet,
}

/// What separates several values in one CSV cell.
pub const LIST_SEPARATOR: &str = " | ";

fn cell_text(field: &crate::tables::Field, cell: &Cell) -> String {
    match cell {
        Cell::Empty => String::new(),
        Cell::Text(s) | Cell::Decimal(s) => s.clone(),
        Cell::Integer(n) => n.to_string(),
        Cell::Boolean(b) => {
            let (yes, no) = field.constraints.booleans;
            if *b { yes } else { no }.to_owned()
        }
        Cell::List(items) => items.join(LIST_SEPARATOR),
    }
}

pub fn csv(table: &Table, flavour: Flavour) -> Vec<u8> {
    let (mut out, delimiter, terminator) = match flavour {
        Flavour::OpenData => (Vec::new(), b',', csv::Terminator::Any(b'\n')),
        Flavour::Spreadsheet => (b"\xEF\xBB\xBF".to_vec(), b';', csv::Terminator::CRLF),
    };
    let mut writer = csv::WriterBuilder::new()
        .delimiter(delimiter)
        .terminator(terminator)
        .from_writer(&mut out);
    // Writing to a Vec cannot fail; every row has the header's length.
    let _ = writer.write_record(table.fields.iter().map(|f| f.name));
    for row in &table.rows {
        let cells = row.iter().zip(&table.fields).map(|(c, f)| {
            let text = cell_text(f, c);
            match (flavour, c) {
                (Flavour::Spreadsheet, Cell::Text(_) | Cell::List(_)) => {
                    passerelle_domain::text::defuse(&text).into_owned()
                }
                _ => text,
            }
        });
        let _ = writer.write_record(cells);
    }
    let _ = writer.flush();
    drop(writer);
    out
}

/// The table as a JSON array of objects: numbers as numbers, lists as
/// arrays, an empty cell as `null`.
pub fn json(table: &Table) -> Vec<u8> {
    let rows: Vec<Value> = table
        .rows
        .iter()
        .map(|row| {
            let mut object = Map::new();
            for (field, cell) in table.fields.iter().zip(row) {
                let value = match cell {
                    Cell::Empty if field.list => json!([]),
                    Cell::Empty => Value::Null,
                    Cell::Text(s) => json!(s),
                    Cell::Integer(n) => json!(n),
                    // Exact: as written, never through a float.
                    Cell::Decimal(s) => json!(s),
                    Cell::Boolean(b) => json!(b),
                    Cell::List(items) => json!(items),
                };
                object.insert(field.name.to_owned(), value);
            }
            Value::Object(object)
        })
        .collect();
    let mut out = serde_json::to_vec_pretty(&rows).unwrap_or_default();
    out.push(b'\n');
    out
}

/// The licence of everything published.
pub const LICENCE: Licence = Licence {
    name: "etalab-2.0",
    title: "Licence Ouverte / Open Licence version 2.0",
    path: "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
};

#[derive(Debug, Clone, Copy)]
pub struct Licence {
    pub name: &'static str,
    pub title: &'static str,
    pub path: &'static str,
}

/// Who publishes: a cité, or the instance for the national export.
#[derive(Debug, Clone)]
pub struct Publisher {
    /// The package's name: lowercase, digits, `-` (`passerelle-roubaix`).
    pub name: String,
    pub title: String,
    pub homepage: String,
}

/// The `datapackage.json` (Frictionless Data, Tabular Data Package) of the
/// open-data CSV files, which sit beside it as `{table}.csv`.
pub fn datapackage(tables: &[Table], publisher: &Publisher) -> Vec<u8> {
    let resources: Vec<Value> = tables
        .iter()
        .map(|t| {
            let fields: Vec<Value> = t
                .fields
                .iter()
                .map(|f| {
                    let mut field = json!({
                        "name": f.name,
                        "type": f.kind.key(),
                        "description": f.description,
                    });
                    let c = &f.constraints;
                    let mut constraints = serde_json::Map::new();
                    if f.required {
                        constraints.insert("required".into(), json!(true));
                    }
                    if let Some(p) = c.pattern {
                        constraints.insert("pattern".into(), json!(p));
                    }
                    if let Some(n) = c.max_length {
                        constraints.insert("maxLength".into(), json!(n));
                    }
                    if !c.values.is_empty() {
                        constraints.insert("enum".into(), json!(c.values));
                    }
                    for (name, bound) in [("minimum", c.minimum), ("maximum", c.maximum)] {
                        if let Some(b) = bound.and_then(|b| serde_json::from_str::<Value>(b).ok()) {
                            constraints.insert(name.into(), b);
                        }
                    }
                    if !constraints.is_empty() {
                        field["constraints"] = Value::Object(constraints);
                    }
                    if f.kind == FieldType::Boolean {
                        field["trueValues"] = json!([c.booleans.0]);
                        field["falseValues"] = json!([c.booleans.1]);
                    }
                    field
                })
                .collect();
            let mut schema = json!({ "fields": fields, "missingValues": [""] });
            if !t.primary_key.is_empty() {
                schema["primaryKey"] = json!(t.primary_key);
            }
            json!({
                "name": t.name,
                "title": t.title,
                "description": t.description,
                "path": format!("{}.csv", t.name),
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "dialect": { "delimiter": ",", "lineTerminator": "\n", "header": true },
                "licenses": [licence()],
                "schema": schema,
            })
        })
        .collect();
    let updated = tables.iter().filter_map(|t| t.updated.as_deref()).max();
    let mut package = json!({
        "profile": "tabular-data-package",
        "name": publisher.name,
        "title": publisher.title,
        "homepage": publisher.homepage,
        "licenses": [licence()],
        "resources": resources,
    });
    if let Some(day) = updated {
        package["created"] = json!(format!("{day}T00:00:00Z"));
    }
    let mut out = serde_json::to_vec_pretty(&package).unwrap_or_default();
    out.push(b'\n');
    out
}

fn licence() -> Value {
    json!({ "name": LICENCE.name, "title": LICENCE.title, "path": LICENCE.path })
}
