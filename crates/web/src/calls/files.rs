//! What a file attached to an application is, read from its bytes, not
//! its name: a PDF, an office document (OOXML or OpenDocument; the old
//! binary formats of Word and Excel), and nothing else. A file whose name
//! says one type and whose bytes another is refused, as is an office
//! document carrying macros. Files are only ever served back as
//! downloads of the type sniffed here.

use std::io::Cursor;

/// The largest file taken, in bytes.
pub(crate) const MAX_BYTES: usize = 10 * 1024 * 1024;
/// The most files an application holds.
pub(crate) const MAX_FILES: usize = 20;

/// The types taken: (extension, media type).
const TYPES: [(&str, &str); 10] = [
    ("pdf", "application/pdf"),
    (
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    (
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    (
        "pptx",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ),
    ("odt", "application/vnd.oasis.opendocument.text"),
    ("ods", "application/vnd.oasis.opendocument.spreadsheet"),
    ("odp", "application/vnd.oasis.opendocument.presentation"),
    ("doc", "application/msword"),
    ("xls", "application/vnd.ms-excel"),
    ("ppt", "application/vnd.ms-powerpoint"),
];

/// The extension of a file's name, lower case.
fn extension(name: &str) -> String {
    name.rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default()
}

/// What the bytes of an OOXML or OpenDocument archive are, if they are
/// one and carry no macro.
fn archive_kind(bytes: &[u8]) -> Result<&'static str, String> {
    let unreadable = || "son contenu n'est pas un document lisible".to_owned();
    let archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| unreadable())?;
    let names: Vec<String> = archive
        .file_names()
        .filter_map(Result::ok)
        .map(std::borrow::Cow::into_owned)
        .collect();
    if names.iter().any(|n| {
        let n = n.to_ascii_lowercase();
        n.ends_with("vbaproject.bin") || n.starts_with("basic/") || n.contains("/basic/")
    }) {
        return Err("il contient des macros (programmes) : enregistrez-le sans macro".into());
    }
    // OpenDocument: a stored `mimetype` entry first (ISO/IEC 26300).
    if bytes.get(30..38) == Some(b"mimetype") {
        let rest = &bytes[38..bytes.len().min(38 + 80)];
        for (ext, mime) in &TYPES[4..7] {
            if rest.starts_with(mime.as_bytes()) {
                return Ok(ext);
            }
        }
    }
    let has = |entry: &str| names.iter().any(|n| n == entry);
    if has("[Content_Types].xml") {
        if has("word/document.xml") {
            return Ok("docx");
        }
        if has("xl/workbook.xml") {
            return Ok("xlsx");
        }
        if has("ppt/presentation.xml") {
            return Ok("pptx");
        }
    }
    Err(unreadable())
}

/// The kind of the bytes, as an extension of [`TYPES`].
fn sniff(bytes: &[u8]) -> Result<&'static str, String> {
    const OLE: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    if bytes.starts_with(b"%PDF-") {
        return Ok("pdf");
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return archive_kind(bytes);
    }
    if bytes.starts_with(&OLE) {
        return Ok("ole");
    }
    Err("son contenu n'est ni un PDF ni un document de bureautique".into())
}

/// The media type of an attached file, or why it is refused (in French,
/// naming the file).
pub(crate) fn accept(name: &str, bytes: &[u8]) -> Result<&'static str, String> {
    let refused = |why: String| format!("« {name} » est refusé : {why}.");
    if bytes.is_empty() {
        return Err(refused("il est vide".into()));
    }
    if bytes.len() > MAX_BYTES {
        return Err(refused(format!(
            "il dépasse {} Mo",
            MAX_BYTES / (1024 * 1024)
        )));
    }
    let ext = extension(name);
    let Some((_, mime)) = TYPES.iter().find(|(e, _)| *e == ext) else {
        return Err(refused(
            "seuls les PDF et les documents de bureautique (Word, Excel, PowerPoint, LibreOffice) sont acceptés".into(),
        ));
    };
    let kind = sniff(bytes).map_err(refused)?;
    let matches = kind == ext || (kind == "ole" && matches!(ext.as_str(), "doc" | "xls" | "ppt"));
    if matches {
        Ok(mime)
    } else {
        Err(refused(format!(
            "son nom dit « .{ext} » mais son contenu est d'un autre type"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shared::download::download_name;

    fn ooxml(entries: &[&str]) -> Vec<u8> {
        use std::io::Write;
        let mut out = Cursor::new(Vec::new());
        let mut zip = zip::ZipWriter::new(&mut out);
        for e in entries {
            zip.start_file(*e, zip::write::SimpleFileOptions::default())
                .unwrap();
            zip.write_all(b"<x/>").unwrap();
        }
        zip.finish().unwrap();
        out.into_inner()
    }

    #[test]
    fn a_file_is_taken_for_what_its_bytes_are_not_its_name() {
        assert_eq!(
            accept("statuts.pdf", b"%PDF-1.7\n..."),
            Ok("application/pdf")
        );
        let docx = ooxml(&["[Content_Types].xml", "word/document.xml"]);
        assert!(accept("projet.docx", &docx).is_ok());
        assert!(
            accept("projet.xlsx", &docx).is_err(),
            "a Word file named .xlsx"
        );
        // An executable, a page of HTML, a script renamed .pdf.
        for body in [
            &b"MZ\x90\x00\x03\x00\x00\x00"[..],
            b"\x7fELF\x02\x01\x01",
            b"<!doctype html><script>alert(1)</script>",
            b"#!/bin/sh\nrm -rf /",
        ] {
            let e = accept("budget.pdf", body).unwrap_err();
            assert!(e.contains("budget.pdf"), "{e}");
        }
        assert!(accept("page.html", b"<html>").is_err());
        let macros = ooxml(&[
            "[Content_Types].xml",
            "word/document.xml",
            "word/vbaProject.bin",
        ]);
        assert!(
            accept("projet.docx", &macros)
                .unwrap_err()
                .contains("macros")
        );
        assert!(accept("vide.pdf", b"").is_err());
        assert_eq!(download_name("../../etc/passwd"), ".._.._etc_passwd");
        assert_eq!(
            download_name("Statuts association.pdf"),
            "Statuts_association.pdf"
        );
    }
}
