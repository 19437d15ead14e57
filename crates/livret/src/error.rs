//! Errors of this crate.
//!
//! Policy: a booklet that cannot be read at all (empty, not text, too large,
//! no fiche) is a [`ParseError`], located where possible. Anything the
//! importer can read past — a missing heading, a malformed email, a cut
//! document — is not an error but an [`crate::Irregularity`] with its line,
//! and the data it concerns is kept. Reference files that do not parse are a
//! [`ReferenceError`] naming the file and line.

/// The largest booklet accepted: a real one is under 100 KB.
pub const MAX_BOOKLET_BYTES: usize = 10 * 1024 * 1024;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    #[error("le livret est vide")]
    Empty,
    #[error(
        "ligne {line} : le livret n'est pas du texte UTF-8 (octet {byte:#04x} à la position {offset})"
    )]
    NotUtf8 {
        line: usize,
        offset: usize,
        byte: u8,
    },
    #[error(
        "ligne {line} : le livret contient un octet nul ; ce doit être un fichier binaire, pas du texte"
    )]
    Binary { line: usize },
    #[error("le livret fait {size} octets ; au plus {max} octets sont acceptés")]
    TooLarge { size: usize, max: usize },
    #[error(
        "aucune fiche trouvée : un livret a des titres comme `## Fiche n°1 – Intitulé`, un tableur une ligne par action"
    )]
    NoFiche,
    #[error(
        "aucune ligne d'en-tête trouvée : la première ligne du tableau nomme ses colonnes (Programme, Axe, Fiche, Intitulé, Description…)"
    )]
    NoHeaderRow,
}

impl ParseError {
    pub fn line(&self) -> Option<usize> {
        match self {
            ParseError::NotUtf8 { line, .. } | ParseError::Binary { line } => Some(*line),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReferenceError {
    #[error("{file}{} : {message}", line.map(|l| format!(", ligne {l}")).unwrap_or_default())]
    Toml {
        file: String,
        line: Option<usize>,
        message: String,
    },
    #[error("{file} : {message}")]
    Invalid { file: String, message: String },
}
