//! What forms share across areas: the values a form sent (names repeat for
//! check boxes and table cells), and one choice of a list as a template
//! shows it.

use std::collections::HashMap;

/// The most rows a table of a form takes.
pub(crate) const MAX_ROWS: usize = 200;

/// Form values as submitted: name → values (check boxes repeat a name).
#[derive(Debug, Default, Clone, serde::Deserialize)]
#[serde(from = "Vec<(String, String)>")]
pub(crate) struct Submitted(HashMap<String, Vec<String>>);

impl From<Vec<(String, String)>> for Submitted {
    fn from(pairs: Vec<(String, String)>) -> Submitted {
        Submitted::new(pairs)
    }
}

impl Submitted {
    pub(crate) fn new(pairs: Vec<(String, String)>) -> Submitted {
        let mut map: HashMap<String, Vec<String>> = HashMap::new();
        for (k, v) in pairs {
            map.entry(k).or_default().push(v);
        }
        Submitted(map)
    }

    pub(crate) fn get(&self, name: &str) -> &str {
        self.0
            .get(name)
            .and_then(|v| v.first())
            .map_or("", String::as_str)
    }

    pub(crate) fn all(&self, name: &str) -> &[String] {
        self.0.get(name).map_or(&[], Vec::as_slice)
    }

    pub(crate) fn set(&mut self, name: String, value: String) {
        self.0.insert(name, vec![value]);
    }

    pub(crate) fn set_all(&mut self, name: String, values: Vec<String>) {
        self.0.insert(name, values);
    }

    /// Rows present for a table: one past the highest index submitted.
    pub(crate) fn rows(&self, table: &str) -> usize {
        let prefix = format!("{table}.");
        self.0
            .keys()
            .filter_map(|k| k.strip_prefix(&prefix))
            .filter_map(|rest| rest.split_once('.'))
            .filter_map(|(i, _)| i.parse::<usize>().ok())
            .filter(|i| *i < MAX_ROWS)
            .map(|i| i + 1)
            .max()
            .unwrap_or(0)
    }
}

/// One choice of a list or a set of check boxes.
#[derive(Debug)]
pub(crate) struct OptionView {
    pub(crate) value: String,
    pub(crate) label: String,
    pub(crate) selected: bool,
}
