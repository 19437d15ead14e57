//! Reading and writing files with errors in French: the path, what was
//! attempted, and why in words a user reads (the system's own message, in
//! English, is left out).

use std::io::ErrorKind;
use std::path::Path;

/// Why an operation on a file failed, in French.
pub(crate) fn why(e: &std::io::Error) -> String {
    match e.kind() {
        ErrorKind::NotFound => "ce fichier ou ce dossier n'existe pas".to_owned(),
        ErrorKind::PermissionDenied => "accès refusé".to_owned(),
        ErrorKind::AlreadyExists => "il existe déjà".to_owned(),
        ErrorKind::IsADirectory => "c'est un dossier, pas un fichier".to_owned(),
        ErrorKind::NotADirectory => "un élément du chemin n'est pas un dossier".to_owned(),
        ErrorKind::StorageFull => "le disque est plein".to_owned(),
        ErrorKind::ReadOnlyFilesystem => "le disque est en lecture seule".to_owned(),
        ErrorKind::InvalidData => "le contenu n'est pas du texte UTF-8".to_owned(),
        ErrorKind::AddrInUse => "l'adresse est déjà utilisée par un autre programme".to_owned(),
        ErrorKind::AddrNotAvailable => "cette adresse n'est pas celle de la machine".to_owned(),
        _ => match e.raw_os_error() {
            Some(code) => format!("erreur du système n° {code}"),
            None => "erreur du système".to_owned(),
        },
    }
}

fn failed(what: &str, path: &Path, e: &std::io::Error) -> anyhow::Error {
    anyhow::anyhow!("{} : {what} impossible ({})", path.display(), why(e))
}

pub(crate) fn read(path: &Path) -> anyhow::Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| failed("lecture", path, &e))
}

pub(crate) fn read_to_string(path: &Path) -> anyhow::Result<String> {
    std::fs::read_to_string(path).map_err(|e| failed("lecture", path, &e))
}

pub(crate) fn write(path: &Path, bytes: impl AsRef<[u8]>) -> anyhow::Result<()> {
    std::fs::write(path, bytes).map_err(|e| failed("écriture", path, &e))
}

pub(crate) fn create_dir_all(path: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(path).map_err(|e| failed("création du dossier", path, &e))
}
