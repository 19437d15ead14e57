//! Conventions of the web crate's layout, checked the rust-analyzer `tidy`
//! way: by reading the sources.
//!
//! - An area (`src/<area>/`) uses `shared` and the domain, never another
//!   area: no `crate::<other area>` in its files, and no `super::` out of
//!   the area from its `mod.rs`.
//! - `shared` knows no area.
//! - An area's templates are in `templates/<area>/` (or `templates/shared/`),
//!   and a template includes or extends only its own area's or `shared`'s.
//! - No source file of the workspace is over 800 lines.

use std::fs;
use std::path::{Path, PathBuf};

const AREAS: [&str; 12] = [
    "calls",
    "funding",
    "accounts",
    "admin",
    "catalogue",
    "national",
    "newsletter",
    "opendata",
    "referrals",
    "review",
    "seminar",
    "site",
];
const MAX_LINES: usize = 800;

fn files(dir: &Path, ext: &str, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files(&path, ext, out);
        } else if path.extension().is_some_and(|e| e == ext) {
            out.push(path);
        }
    }
}

fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The area a path under `base` belongs to (`None` for the crate root).
fn area_of(base: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(base).unwrap();
    let mut parts = rel.components();
    let first = parts.next()?.as_os_str().to_str()?.to_owned();
    parts.next().map(|_| first)
}

/// The crate's modules a source file names: `x` for each `crate::x` (and
/// each name of a `crate::{x, y}` group).
fn crate_paths(text: &str) -> Vec<String> {
    let name = |s: &str| -> String {
        s.trim()
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect()
    };
    let mut out = Vec::new();
    for (i, _) in text.match_indices("crate::") {
        let rest = &text[i + "crate::".len()..];
        match rest.strip_prefix('{') {
            Some(group) => {
                let end = group.find('}').unwrap_or(group.len());
                out.extend(group[..end].split(',').map(name));
            }
            None => out.push(name(rest)),
        }
    }
    out
}

#[test]
fn no_area_imports_another_area_and_shared_imports_none() {
    let src = crate_dir().join("src");
    let mut sources = Vec::new();
    files(&src, "rs", &mut sources);
    let mut faults = Vec::new();
    for path in &sources {
        let Some(area) = area_of(&src, path) else {
            continue; // lib.rs and openapi.rs wire the areas together.
        };
        let text = fs::read_to_string(path).unwrap();
        for used in crate_paths(&text) {
            let foreign = AREAS.contains(&used.as_str()) && used != area;
            let into_wiring = used == "openapi";
            if foreign || into_wiring {
                faults.push(format!("{}: uses crate::{used}", path.display()));
            }
        }
        if path.file_name().is_some_and(|n| n == "mod.rs")
            && path.parent() == Some(&src.join(&area))
            && text.contains("super::")
        {
            faults.push(format!(
                "{}: reaches out of its area with super::",
                path.display()
            ));
        }
    }
    assert!(sources.len() > 30, "the sources were not found");
    assert!(faults.is_empty(), "{}", faults.join("\n"));
}

#[test]
fn an_area_renders_only_its_own_and_the_shared_templates() {
    let root = crate_dir();
    let src = root.join("src");
    let mut sources = Vec::new();
    files(&src, "rs", &mut sources);
    let mut faults = Vec::new();
    let mut seen = 0;
    for path in &sources {
        let Some(area) = area_of(&src, path) else {
            continue;
        };
        let text = fs::read_to_string(path).unwrap();
        for (i, _) in text.match_indices("#[template(path = \"") {
            seen += 1;
            let rest = &text[i + "#[template(path = \"".len()..];
            let template = &rest[..rest.find('"').unwrap()];
            let folder = template.split('/').next().unwrap();
            if folder != area && folder != "shared" {
                faults.push(format!("{}: renders {template}", path.display()));
            }
            if !root.join("templates").join(template).is_file() {
                faults.push(format!("{}: {template} does not exist", path.display()));
            }
        }
    }
    let templates_dir = root.join("templates");
    let mut templates = Vec::new();
    files(&templates_dir, "html", &mut templates);
    for path in &templates {
        let area = area_of(&templates_dir, path).unwrap_or_default();
        let text = fs::read_to_string(path).unwrap();
        for keyword in ["{% extends \"", "{% include \""] {
            for (i, _) in text.match_indices(keyword) {
                let rest = &text[i + keyword.len()..];
                let used = &rest[..rest.find('"').unwrap()];
                let folder = used.split('/').next().unwrap();
                if folder != area && folder != "shared" {
                    faults.push(format!("{}: uses {used}", path.display()));
                }
            }
        }
    }
    assert!(
        seen > 30 && templates.len() > 30,
        "the templates were not found"
    );
    assert!(faults.is_empty(), "{}", faults.join("\n"));
}

#[test]
fn no_source_file_is_over_800_lines() {
    let crates = crate_dir().join("..");
    let mut sources = Vec::new();
    files(&crates, "rs", &mut sources);
    let long: Vec<String> = sources
        .iter()
        .filter(|p| !p.components().any(|c| c.as_os_str() == "target"))
        .filter_map(|p| {
            let n = fs::read_to_string(p).unwrap().lines().count();
            (n > MAX_LINES).then(|| format!("{}: {n} lines", p.display()))
        })
        .collect();
    assert!(sources.len() > 60, "the sources were not found");
    assert!(long.is_empty(), "split these files:\n{}", long.join("\n"));
}

/// The keys of a Fluent catalogue: its messages' identifiers.
fn catalogue_keys(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|l| l.split_once(" = ").map(|(k, _)| k))
        .filter(|k| {
            k.chars().next().is_some_and(|c| c.is_ascii_lowercase())
                && k.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        })
        .map(str::to_owned)
        .collect()
}

/// Every `.t("…")` and `.t_with("…"` (`meta.t`, `lang.t`) of the templates and
/// sources names a key of the French catalogue, and every catalogue has
/// every French key: a page never shows a key.
#[test]
fn every_message_used_is_in_every_catalogue() {
    let dir = crate_dir();
    let french = catalogue_keys(&fs::read_to_string(dir.join("locales/fr.ftl")).unwrap());
    assert!(french.len() > 50, "the French catalogue was not read");
    for lang in ["ar", "tr", "pt", "en"] {
        let theirs =
            catalogue_keys(&fs::read_to_string(dir.join(format!("locales/{lang}.ftl"))).unwrap());
        let missing: Vec<&String> = french.iter().filter(|k| !theirs.contains(k)).collect();
        assert!(missing.is_empty(), "{lang}.ftl misses {missing:?}");
    }
    let mut sources = Vec::new();
    files(&dir.join("templates"), "html", &mut sources);
    files(&dir.join("src"), "rs", &mut sources);
    let mut used = 0;
    let mut unknown = Vec::new();
    for path in &sources {
        let text = fs::read_to_string(path).unwrap();
        for call in [".t(\"", ".t_with(\""] {
            for (i, _) in text.match_indices(call) {
                let rest = &text[i + call.len()..];
                let key = &rest[..rest.find('"').unwrap_or(0)];
                if key.is_empty() || key.contains(' ') {
                    continue;
                }
                used += 1;
                if !french.iter().any(|k| k == key) {
                    unknown.push(format!("{}: {key}", path.display()));
                }
            }
        }
    }
    assert!(used > 40, "only {used} messages found in use");
    assert!(
        unknown.is_empty(),
        "keys missing from fr.ftl:\n{}",
        unknown.join("\n")
    );
}

/// The stylesheet is written in logical properties only, so that the
/// Arabic pages mirror: no physical left or right.
#[test]
fn the_stylesheet_has_no_physical_left_or_right() {
    let css = fs::read_to_string(crate_dir().join("static/style.css")).unwrap();
    let physical: Vec<String> = css
        .lines()
        .enumerate()
        .filter(|(_, l)| l.contains("left") || l.contains("right"))
        .map(|(i, l)| format!("style.css:{}: {l}", i + 1))
        .collect();
    assert!(css.len() > 1000, "the stylesheet was not read");
    assert!(physical.is_empty(), "{}", physical.join("\n"));
}

/// The string literals of a Rust source that are SQL statements,
/// normalised: white space folded, case ignored, placeholders (`?`, `?1`,
/// `$1`) alike.
fn sql_statements(source: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = source.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '/' && chars.peek() == Some(&'/') {
            // A comment, to the end of its line.
            for c in chars.by_ref() {
                if c == '\n' {
                    break;
                }
            }
            continue;
        }
        if c != '"' {
            continue;
        }
        let mut literal = String::new();
        while let Some(c) = chars.next() {
            match c {
                '\\' => {
                    if let Some(escaped) = chars.next() {
                        literal.push(if escaped == 'n' { ' ' } else { escaped });
                    }
                }
                '"' => break,
                c => literal.push(c),
            }
        }
        let folded = literal
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase();
        let sql = [
            "select ", "insert ", "update ", "delete ", "create ", "drop ", "alter ", "with ",
        ]
        .iter()
        .any(|k| folded.starts_with(k));
        if sql {
            let mut normal = String::new();
            let mut rest = folded.chars().peekable();
            while let Some(c) = rest.next() {
                if c == '?' || c == '$' {
                    while rest.peek().is_some_and(char::is_ascii_digit) {
                        rest.next();
                    }
                    normal.push('?');
                } else {
                    normal.push(c);
                }
            }
            out.push(normal);
        }
    }
    out
}

#[test]
fn no_sql_statement_is_written_in_both_store_crates() {
    let statements = |name: &str| {
        let mut sources = Vec::new();
        files(
            &crate_dir().join("..").join(name).join("src"),
            "rs",
            &mut sources,
        );
        let mut all: Vec<String> = sources
            .iter()
            .flat_map(|p| sql_statements(&fs::read_to_string(p).unwrap()))
            .collect();
        all.sort();
        all.dedup();
        all
    };
    let sqlite = statements("store-sqlite");
    let postgres = statements("store-postgres");
    assert!(!sqlite.is_empty() && !postgres.is_empty(), "no SQL found");
    let both: Vec<&String> = sqlite.iter().filter(|s| postgres.contains(s)).collect();
    assert!(
        both.is_empty(),
        "written in both store crates (write it once in passerelle-store):\n{}",
        both.iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    );
    // The scanner finds statements where they are.
    let shared = statements("store");
    assert!(
        shared.len() > 100,
        "{} statements in passerelle-store",
        shared.len()
    );
}
