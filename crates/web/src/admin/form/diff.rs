//! What changed between two versions of an entity, field by field, for the
//! history pages and the conflict page.

use serde_json::Value;

use super::{Field, label_of};

/// One changed line: the field's label and position, before and after.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DiffLine {
    pub(crate) field: String,
    pub(crate) before: String,
    pub(crate) after: String,
}

/// Flattens a body into (path, text) lines: `objectives 2`, `contacts 1 email`.
fn flatten(prefix: &str, v: &Value, out: &mut Vec<(String, String)>) {
    match v {
        Value::Object(map) => {
            for (k, v) in map {
                let p = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix} › {k}")
                };
                flatten(&p, v, out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                flatten(&format!("{prefix} › {}", i + 1), v, out);
            }
        }
        Value::Null => {}
        Value::String(s) => out.push((prefix.to_owned(), s.clone())),
        other => out.push((prefix.to_owned(), other.to_string())),
    }
}

/// The lines that differ between `before` and `after` (either may be absent).
pub(crate) fn diff(
    fields: &[Field],
    before: Option<&Value>,
    after: Option<&Value>,
) -> Vec<DiffLine> {
    let mut a = Vec::new();
    let mut b = Vec::new();
    if let Some(v) = before {
        flatten("", v, &mut a);
    }
    if let Some(v) = after {
        flatten("", v, &mut b);
    }
    let mut paths: Vec<&String> = a.iter().chain(b.iter()).map(|(p, _)| p).collect();
    let mut seen = std::collections::HashSet::new();
    paths.retain(|p| seen.insert(*p));
    let get = |lines: &[(String, String)], p: &str| {
        lines
            .iter()
            .find(|(q, _)| q == p)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    paths
        .into_iter()
        .filter_map(|p| {
            let (x, y) = (get(&a, p), get(&b, p));
            (x != y).then(|| {
                let (head, rest) = p.split_once(" › ").unwrap_or((p, ""));
                let label = label_of(fields, head);
                DiffLine {
                    field: if rest.is_empty() {
                        label
                    } else {
                        format!("{label} › {rest}")
                    },
                    before: x,
                    after: y,
                }
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn only_what_changed_is_listed_with_its_label() {
        let before = json!({"title": "Lire", "objectives": ["a", "b"], "slug": "x"});
        let after = json!({"title": "Lire et écrire", "objectives": ["a"], "slug": "x"});
        let lines = diff(&[], Some(&before), Some(&after));
        assert_eq!(
            lines,
            [
                DiffLine {
                    field: "objectives › 2".into(),
                    before: "b".into(),
                    after: String::new()
                },
                DiffLine {
                    field: "title".into(),
                    before: "Lire".into(),
                    after: "Lire et écrire".into()
                },
            ]
        );
        assert!(diff(&[], Some(&before), Some(&before)).is_empty());
    }
}
