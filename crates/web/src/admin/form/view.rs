//! What the edit template shows of a form: each field with its value as
//! typed, its message, its choices, and for tables their rows (with blank
//! rows to fill) — built from the fields described in `schema.rs`.

use super::{Cell, Column, Errors, Field, Input, Submitted};
use crate::shared::form::OptionView;

/// One field as the template shows it.
#[derive(Debug)]
pub(crate) struct FieldView {
    pub(crate) name: String,
    /// The element's id (`f-contacts-2-email`), for labels and error links.
    pub(crate) id: String,
    pub(crate) label: String,
    pub(crate) hint: String,
    /// `text`, `markdown`, `lines`, `number`, `choice`, `checks`, `table`.
    pub(crate) widget: &'static str,
    pub(crate) value: String,
    pub(crate) required: bool,
    pub(crate) error: Option<String>,
    pub(crate) options: Vec<OptionView>,
    pub(crate) rows: Vec<RowView>,
    /// The sanitised HTML preview of a Markdown field, when asked for.
    pub(crate) preview: Option<String>,
    /// The readability of the text previewed.
    pub(crate) readability: Option<crate::shared::readability::Readability>,
}

#[derive(Debug)]
pub(crate) struct RowView {
    pub(crate) legend: String,
    pub(crate) prefix: String,
    /// `f-contacts-2`.
    pub(crate) id: String,
    pub(crate) order: String,
    pub(crate) cells: Vec<FieldView>,
    pub(crate) has_error: bool,
}

fn option_views(options: &[(String, String)], selected: &[String]) -> Vec<OptionView> {
    options
        .iter()
        .map(|(v, l)| OptionView {
            value: v.clone(),
            label: l.clone(),
            selected: selected.contains(v),
        })
        .collect()
}

/// What the template shows: each field with its value (as typed), its
/// message, and for tables `blank` empty rows more.
pub(crate) fn views(
    fields: &[Field],
    form: &Submitted,
    errors: &Errors,
    blank: usize,
    preview: bool,
) -> Vec<FieldView> {
    fields
        .iter()
        .map(|f| {
            let value = form.get(f.key).to_owned();
            let mut view = FieldView {
                id: format!("f-{}", f.key),
                name: f.key.to_owned(),
                label: f.label.to_owned(),
                hint: f.hint.to_owned(),
                widget: "text",
                value: value.clone(),
                required: f.required,
                error: errors.get(f.key).cloned(),
                options: Vec::new(),
                rows: Vec::new(),
                preview: None,
                readability: None,
            };
            match &f.input {
                Input::Text | Input::Url | Input::Siret => {}
                Input::Markdown => {
                    view.widget = "markdown";
                    if preview {
                        view.preview = Some(crate::shared::text::markdown(&value));
                        view.readability = crate::shared::readability::Readability::of(&value);
                    }
                }
                Input::Lines | Input::Emails | Input::Phones => view.widget = "lines",
                Input::Number { .. } => view.widget = "number",
                Input::Date => view.widget = "date",
                Input::Check => view.widget = "check",
                Input::Choice { options, .. } => {
                    view.widget = "choice";
                    view.options = option_views(options, &[value]);
                }
                Input::Checks(options) => {
                    view.widget = "checks";
                    view.options = option_views(options, form.all(f.key));
                }
                Input::Table(columns) => {
                    view.widget = "table";
                    let n = form.rows(f.key);
                    view.rows = (0..n + blank)
                        .map(|i| {
                            let prefix = format!("{}.{i}", f.key);
                            let cells: Vec<FieldView> = columns
                                .iter()
                                .map(|c| cell_view(c, &prefix, form, errors))
                                .collect();
                            RowView {
                                legend: format!("{} — ligne {}", f.label, i + 1),
                                order: {
                                    let o = form.get(&format!("{prefix}.ordre"));
                                    if o.is_empty() {
                                        (i + 1).to_string()
                                    } else {
                                        o.to_owned()
                                    }
                                },
                                has_error: cells.iter().any(|c| c.error.is_some()),
                                id: format!("f-{}", prefix.replace('.', "-")),
                                prefix,
                                cells,
                            }
                        })
                        .collect();
                }
            }
            view
        })
        .collect()
}

fn cell_view(c: &Column, prefix: &str, form: &Submitted, errors: &Errors) -> FieldView {
    let name = format!("{prefix}.{}", c.key);
    let value = form.get(&name).to_owned();
    let (widget, options) = match &c.cell {
        Cell::Choice(o) => ("choice", option_views(o, std::slice::from_ref(&value))),
        Cell::MaybeChoice(o) => {
            let mut all = vec![(String::new(), "— aucune —".to_owned())];
            all.extend(o.iter().cloned());
            ("choice", option_views(&all, std::slice::from_ref(&value)))
        }
        Cell::MaybeNumber => ("number", Vec::new()),
        _ => ("text", Vec::new()),
    };
    FieldView {
        error: errors.get(&name).cloned(),
        id: format!("f-{}", name.replace('.', "-")),
        name,
        label: c.label.to_owned(),
        hint: String::new(),
        widget,
        value,
        required: c.required,
        options,
        rows: Vec::new(),
        preview: None,
        readability: None,
    }
}
