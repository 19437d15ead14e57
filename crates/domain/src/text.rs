//! Text normalisation shared by matching, de-duplication and slugs.

/// Lowercase ASCII form of a text, accents and ligatures folded
/// (`Œuvre Belgaïd` → `oeuvre belgaid`).
pub fn fold(text: &str) -> String {
    deunicode::deunicode(text).to_ascii_lowercase()
}

/// Collapses runs of white space (including non-breaking spaces) into one space
/// and trims the ends.
pub fn squash_spaces(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split(|c: char| c.is_whitespace() || c == '\u{a0}' || c == '\u{202f}') {
        if word.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// What a spreadsheet reads as the start of a formula (`=`, `+`, `-`, `@`,
/// a tab or a carriage return), even behind apostrophes already added.
fn armed(cell: &str) -> bool {
    cell.trim_start_matches('\'')
        .starts_with(['=', '+', '-', '@', '\t', '\r'])
}

/// A cell written for a spreadsheet: one that would start a formula gets a
/// `'` in front, so that it stays text (OWASP's advice against CSV
/// injection). [`rearm`] undoes it when the file is read back, so nothing
/// typed is lost (`'=x` is written `''=x` and read back `'=x`).
pub fn defuse(cell: &str) -> std::borrow::Cow<'_, str> {
    if armed(cell) {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

/// A cell read from a CSV file that [`defuse`] wrote: the `'` it added
/// taken off.
pub fn rearm(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if armed(rest) => rest,
        _ => cell,
    }
}

/// The key under which two spellings of one name are the same person or
/// organisation: folded, with punctuation and spacing ignored
/// (`Anne-Sophie BELGAÏD` and `Anne-Sophie BELGAID` share a key).
pub fn name_key(name: &str) -> String {
    fold(name)
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Writes a person's name the way French prose does: `Anne-Sophie BELGAÏD`
/// becomes `Anne-Sophie Belgaïd`. Particles stay lowercase.
pub fn display_name(printed: &str) -> String {
    squash_spaces(printed)
        .split(' ')
        .map(|word| {
            if word.chars().any(char::is_lowercase) {
                return word.to_owned();
            }
            word.split('-')
                .map(|part| {
                    let lower = part.to_lowercase();
                    if ["de", "du", "des", "van", "der", "le", "la"].contains(&lower.as_str()) {
                        return lower;
                    }
                    let mut chars = lower.chars();
                    match chars.next() {
                        Some(first) => first.to_uppercase().chain(chars).collect(),
                        None => String::new(),
                    }
                })
                .collect::<Vec<_>>()
                .join("-")
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A message of serde (as the TOML and JSON readers give it) said in
/// French: unknown or missing fields, wrong types and values, the names
/// kept as they are. A message of another form is kept, marked as the
/// reader's own.
pub fn serde_message_fr(message: &str) -> String {
    let names = |list: &str| list.replace('`', "");
    let quoted = |rest: &str| rest.split('`').nth(1).unwrap_or_default().to_owned();
    if let Some(rest) = message.strip_prefix("unknown field ") {
        let field = quoted(rest);
        return match rest.split_once(", expected one of ") {
            Some((_, list)) => format!(
                "champ inconnu « {field} » ; champs possibles : {}",
                names(list)
            ),
            None => match rest.split_once(", expected ") {
                Some((_, one)) => format!(
                    "champ inconnu « {field} » ; champ possible : {}",
                    names(one)
                ),
                None => format!("champ inconnu « {field} »"),
            },
        };
    }
    if let Some(rest) = message.strip_prefix("unknown variant ") {
        let value = quoted(rest);
        return match rest
            .split_once(", expected one of ")
            .or_else(|| rest.split_once(", expected "))
        {
            Some((_, list)) => format!(
                "valeur inconnue « {value} » ; valeurs possibles : {}",
                names(list)
            ),
            None => format!("valeur inconnue « {value} »"),
        };
    }
    if let Some(rest) = message.strip_prefix("missing field ") {
        return format!("champ « {} » manquant", quoted(rest));
    }
    for (prefix, said) in [
        ("duplicate field ", "donné deux fois"),
        ("duplicate key ", "donné deux fois"),
    ] {
        if let Some(rest) = message.strip_prefix(prefix) {
            return format!("« {} » {said}", quoted(rest));
        }
    }
    for (prefix, said) in [
        ("invalid type: ", "type de valeur incorrect"),
        ("invalid value: ", "valeur incorrecte"),
        ("invalid length ", "nombre d'éléments incorrect"),
    ] {
        if let Some(rest) = message.strip_prefix(prefix) {
            return match rest.split_once(", expected ") {
                Some((got, want)) => format!("{said} ({got}) ; attendu : {want}"),
                None => format!("{said} ({rest})"),
            };
        }
    }
    format!("texte mal formé (message du lecteur : {})", message.trim())
}

/// The text with its first letter upper case (`le budget…` → `Le budget…`).
pub fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The lines of a text that hold something, trimmed (a list typed one
/// item per line).
pub fn lines(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_defused_cell_reads_back_as_typed() {
        for cell in [
            "=HYPERLINK(\"x\")",
            "+cmd|' /C calc'!A0",
            "-2+3",
            "@SUM(A1)",
            "\tx",
            "'=x",
            "''@y",
            "'apostrophe",
            "plain",
            "",
        ] {
            let written = defuse(cell);
            assert!(
                !written.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "{written}"
            );
            assert_eq!(rearm(&written), cell);
        }
        assert_eq!(defuse("-2+3"), "'-2+3");
        assert_eq!(defuse("Roubaix"), "Roubaix");
    }

    use super::*;

    #[test]
    fn fold_removes_accents_and_case() {
        assert_eq!(fold("Éducation Œuvre Troïka"), "education oeuvre troika");
    }

    #[test]
    fn name_key_joins_spellings_of_one_name() {
        assert_eq!(
            name_key("Anne-Sophie BELGAÏD"),
            name_key("Anne-Sophie  BELGAID")
        );
        assert_eq!(name_key("E.C.H.O"), "e c h o");
    }

    #[test]
    fn display_name_capitalises_family_names() {
        assert_eq!(display_name("Anne-Sophie BELGAÏD"), "Anne-Sophie Belgaïd");
        assert_eq!(
            display_name("Magali CARETTE-BERTIN"),
            "Magali Carette-Bertin"
        );
        assert_eq!(display_name("Isabelle LAVIÉVIELLE"), "Isabelle Laviévielle");
    }

    #[test]
    fn squash_spaces_handles_non_breaking_spaces() {
        assert_eq!(squash_spaces("  a\u{a0} b\n c "), "a b c");
    }

    #[test]
    fn serde_messages_read_in_french_with_their_names_kept() {
        assert_eq!(
            serde_message_fr("unknown field `port`, expected one of `data_dir`, `bind`"),
            "champ inconnu « port » ; champs possibles : data_dir, bind"
        );
        assert_eq!(
            serde_message_fr("missing field `slug`"),
            "champ « slug » manquant"
        );
        assert_eq!(
            serde_message_fr("invalid type: string \"dix\", expected u32"),
            "type de valeur incorrect (string \"dix\") ; attendu : u32"
        );
        assert_eq!(
            serde_message_fr("unknown variant `ecol`, expected one of `ecole`, `college`"),
            "valeur inconnue « ecol » ; valeurs possibles : ecole, college"
        );
        assert_eq!(
            serde_message_fr("expected `=`"),
            "texte mal formé (message du lecteur : expected `=`)"
        );
    }
}
