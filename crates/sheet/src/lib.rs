//! Spreadsheets in and out. [`read`] gives the cells of an xlsx, ods or CSV
//! file as text (a [`Grid`], which `passerelle_livret::sheet` reads into the
//! domain); [`write_xlsx`] and [`write_csv`] write rows back. CSV files come
//! in UTF-8 or Windows-1252, separated by `;`, `,` or tabs: both are
//! detected. Errors name the file (and the sheet) in French.

use std::io::Cursor;

use calamine::{Data, Reader};

pub mod funding;
pub use passerelle_livret::sheet::{Grid, GridRow, GridSheet};

/// The largest file accepted: a programme's spreadsheet is well under 1 MB.
pub const MAX_SHEET_BYTES: usize = 20 * 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum SheetError {
    #[error("{file} : le fichier est vide")]
    Empty { file: String },
    #[error("{file} : {size} octets, au-delà des {max} acceptés")]
    TooLarge {
        file: String,
        size: usize,
        max: usize,
    },
    #[error(
        "{file} : format non reconnu (attendu : un classeur .xlsx ou .ods, ou un fichier .csv)"
    )]
    UnknownFormat { file: String },
    #[error("{file} : classeur illisible ({detail})")]
    Unreadable { file: String, detail: String },
    #[error("{file}, feuille « {sheet} » : illisible ({detail})")]
    Sheet {
        file: String,
        sheet: String,
        detail: String,
    },
    #[error("{file}, ligne {line} : {detail}")]
    Csv {
        file: String,
        line: u64,
        detail: String,
    },
    #[error("écriture du classeur : {0}")]
    Write(String),
}

/// The formats read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Xlsx,
    Ods,
    Csv,
}

impl Format {
    /// The format of a file, from its name's extension, else its first bytes.
    pub fn of(name: &str, bytes: &[u8]) -> Option<Format> {
        let extension = name
            .rsplit_once('.')
            .map(|(_, e)| e.to_ascii_lowercase())
            .unwrap_or_default();
        match extension.as_str() {
            "xlsx" | "xlsm" => return Some(Format::Xlsx),
            "ods" => return Some(Format::Ods),
            "csv" | "tsv" | "txt" => return Some(Format::Csv),
            _ => {}
        }
        if bytes.starts_with(b"PK\x03\x04") {
            let head = &bytes[..bytes.len().min(200)];
            let ods = head
                .windows(b"opendocument.spreadsheet".len())
                .any(|w| w == b"opendocument.spreadsheet");
            return Some(if ods { Format::Ods } else { Format::Xlsx });
        }
        None
    }

    /// Whether a name is one of a spreadsheet (rather than a booklet).
    pub fn is_sheet_name(name: &str) -> bool {
        let lower = name.to_ascii_lowercase();
        [".xlsx", ".xlsm", ".ods", ".csv", ".tsv"]
            .iter()
            .any(|e| lower.ends_with(e))
    }
}

/// Reads a spreadsheet file's cells as text. `file` is its name, for the
/// format and the messages.
pub fn read(file: &str, bytes: &[u8]) -> Result<Grid, SheetError> {
    if bytes.is_empty() {
        return Err(SheetError::Empty { file: file.into() });
    }
    if bytes.len() > MAX_SHEET_BYTES {
        return Err(SheetError::TooLarge {
            file: file.into(),
            size: bytes.len(),
            max: MAX_SHEET_BYTES,
        });
    }
    match Format::of(file, bytes) {
        Some(Format::Csv) => read_csv(file, bytes),
        Some(Format::Xlsx | Format::Ods) => read_workbook(file, bytes),
        None => Err(SheetError::UnknownFormat { file: file.into() }),
    }
}

fn read_workbook(file: &str, bytes: &[u8]) -> Result<Grid, SheetError> {
    let mut workbook = calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| {
        SheetError::Unreadable {
            file: file.into(),
            detail: format!(
                "ce n'est pas un classeur Excel (.xlsx) ni OpenDocument (.ods) valable ; message du lecteur : {e}"
            ),
        }
    })?;
    let mut grid = Grid::default();
    for name in workbook.sheet_names() {
        let range = workbook
            .worksheet_range(&name)
            .map_err(|e| SheetError::Sheet {
                file: file.into(),
                sheet: name.clone(),
                detail: e.to_string(),
            })?;
        let (first_row, first_column) = range.start().unwrap_or((0, 0));
        let rows = range
            .rows()
            .enumerate()
            .map(|(i, row)| GridRow {
                number: first_row as usize + i + 1,
                cells: std::iter::repeat_n(String::new(), first_column as usize)
                    .chain(row.iter().map(text_of))
                    .collect(),
            })
            .collect();
        grid.sheets.push(GridSheet {
            name: Some(name),
            rows,
        });
    }
    Ok(grid)
}

/// A cell as text: whole numbers without `.0`, line breaks as `\n`.
fn text_of(cell: &Data) -> String {
    match cell {
        Data::Empty | Data::Error(_) => String::new(),
        Data::String(s) => s.replace("\r\n", "\n").replace('\r', "\n"),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Bool(b) => if *b { "VRAI" } else { "FAUX" }.to_owned(),
        other => other.to_string(),
    }
}

/// Decodes a CSV file: UTF-8 (with or without its BOM), or Windows-1252 —
/// what a French spreadsheet saves as « CSV (séparateur : point-virgule) ».
fn decode(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_owned(),
        Err(_) => encoding_rs::WINDOWS_1252
            .decode_without_bom_handling(bytes)
            .0
            .into_owned(),
    }
}

/// The separator of a CSV text: of `;`, `,` and tab, the one a line of
/// the first twenty holds the most of, outside quotes (the header row has
/// one per column; a note above it may hold commas). `;` on a tie or none.
fn separator(text: &str) -> u8 {
    const SEPARATORS: [u8; 3] = [b';', b',', b'\t'];
    let mut best = [0usize; 3];
    let mut line = [0usize; 3];
    let mut quoted = false;
    let mut lines = 0;
    for c in text.bytes() {
        match c {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => {
                for i in 0..3 {
                    best[i] = best[i].max(line[i]);
                }
                line = [0; 3];
                lines += 1;
                if lines == 20 {
                    break;
                }
            }
            _ if !quoted => {
                if let Some(i) = SEPARATORS.iter().position(|s| *s == c) {
                    line[i] += 1;
                }
            }
            _ => {}
        }
    }
    for i in 0..3 {
        best[i] = best[i].max(line[i]);
    }
    let (i, n) = best
        .iter()
        .enumerate()
        .max_by_key(|(i, n)| (**n, *i == 0))
        .unwrap_or((0, &0));
    if *n == 0 { b';' } else { SEPARATORS[i] }
}

fn read_csv(file: &str, bytes: &[u8]) -> Result<Grid, SheetError> {
    if bytes.contains(&0) {
        return Err(SheetError::UnknownFormat { file: file.into() });
    }
    let text = decode(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(separator(&text))
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| SheetError::Csv {
            file: file.into(),
            line: e.position().map_or(0, csv::Position::line),
            detail: e.to_string(),
        })?;
        // Numbered as a spreadsheet opening the file shows them: by record,
        // a cell over several lines being one row.
        rows.push(GridRow {
            number: rows.len() + 1,
            cells: record
                .iter()
                .map(|c| {
                    passerelle_domain::text::rearm(c)
                        .replace("\r\n", "\n")
                        .replace('\r', "\n")
                })
                .collect(),
        });
    }
    Ok(Grid {
        sheets: vec![GridSheet { name: None, rows }],
    })
}

/// Rows as an xlsx workbook of one sheet: the first row bold and frozen,
/// text wrapped. `note`, if any, is written above (a row of its own).
pub fn write_xlsx(
    sheet: &str,
    rows: &[Vec<String>],
    note: Option<&str>,
) -> Result<Vec<u8>, SheetError> {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    add_sheet(&mut workbook, sheet, rows, note)?;
    workbook
        .save_to_buffer()
        .map_err(|e| SheetError::Write(e.to_string()))
}

/// Several sheets of rows as one xlsx workbook, each as [`write_xlsx`]
/// writes its one.
pub fn write_xlsx_sheets(sheets: &[(&str, &[Vec<String>])]) -> Result<Vec<u8>, SheetError> {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    for (name, rows) in sheets {
        add_sheet(&mut workbook, name, rows, None)?;
    }
    workbook
        .save_to_buffer()
        .map_err(|e| SheetError::Write(e.to_string()))
}

fn add_sheet(
    workbook: &mut rust_xlsxwriter::Workbook,
    sheet: &str,
    rows: &[Vec<String>],
    note: Option<&str>,
) -> Result<(), SheetError> {
    let err = |e: rust_xlsxwriter::XlsxError| SheetError::Write(e.to_string());
    let worksheet = workbook.add_worksheet();
    worksheet.set_name(sheet).map_err(err)?;
    let wrap = rust_xlsxwriter::Format::new()
        .set_text_wrap()
        .set_align(rust_xlsxwriter::FormatAlign::Top);
    let bold = rust_xlsxwriter::Format::new().set_bold();
    let mut at: u32 = 0;
    if let Some(note) = note {
        worksheet.write_string(0, 0, note).map_err(err)?;
        at = 1;
    }
    for (r, row) in rows.iter().enumerate() {
        let r = at + u32::try_from(r).map_err(|_| SheetError::Write("trop de lignes".into()))?;
        for (c, value) in row.iter().enumerate() {
            let c = u16::try_from(c).map_err(|_| SheetError::Write("trop de colonnes".into()))?;
            let format = if r == at { &bold } else { &wrap };
            worksheet
                .write_string_with_format(r, c, value, format)
                .map_err(err)?;
        }
    }
    let columns = rows.first().map_or(0, Vec::len);
    for c in 0..columns {
        let c = u16::try_from(c).unwrap_or(u16::MAX);
        worksheet.set_column_width(c, 28).map_err(err)?;
    }
    worksheet.set_freeze_panes(at + 1, 0).map_err(err)?;
    Ok(())
}

/// Rows as an OpenDocument spreadsheet (`.ods`, ISO/IEC 26300) of one
/// sheet, every cell text: the `mimetype` entry first and stored, then
/// the manifest and the content.
pub fn write_ods(sheet: &str, rows: &[Vec<String>]) -> Result<Vec<u8>, SheetError> {
    use std::io::Write;
    let err = |e: std::io::Error| SheetError::Write(e.to_string());
    let zerr = |e: zip::result::ZipError| SheetError::Write(e.to_string());
    let escape = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
    };
    let mut content = String::from(concat!(
        r#"<?xml version="1.0" encoding="UTF-8"?>"#,
        r#"<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" "#,
        r#"xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" "#,
        r#"xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.3">"#,
        "<office:body><office:spreadsheet>"
    ));
    content.push_str(&format!(r#"<table:table table:name="{}">"#, escape(sheet)));
    for row in rows {
        content.push_str("<table:table-row>");
        for cell in row {
            content.push_str(r#"<table:table-cell office:value-type="string">"#);
            for line in cell.split('\n') {
                content.push_str(&format!("<text:p>{}</text:p>", escape(line)));
            }
            content.push_str("</table:table-cell>");
        }
        content.push_str("</table:table-row>");
    }
    content.push_str("</table:table></office:spreadsheet></office:body></office:document-content>");
    let manifest = concat!(
        r#"<?xml version="1.0" encoding="UTF-8"?>"#,
        r#"<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">"#,
        r#"<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>"#,
        r#"<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>"#,
        "</manifest:manifest>"
    );
    let mut out = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut out);
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let deflated = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("mimetype", stored).map_err(zerr)?;
    zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
        .map_err(err)?;
    zip.start_file("META-INF/manifest.xml", deflated)
        .map_err(zerr)?;
    zip.write_all(manifest.as_bytes()).map_err(err)?;
    zip.start_file("content.xml", deflated).map_err(zerr)?;
    zip.write_all(content.as_bytes()).map_err(err)?;
    zip.finish().map_err(zerr)?;
    Ok(out.into_inner())
}

/// Rows as CSV the way a French spreadsheet opens it: UTF-8 with its BOM,
/// `;`, CRLF, quotes where a cell needs them, and no cell a formula
/// (`passerelle_domain::text::defuse`; reading the file back undoes it).
pub fn write_csv(rows: &[Vec<String>]) -> Vec<u8> {
    let mut out = b"\xEF\xBB\xBF".to_vec();
    let mut writer = csv::WriterBuilder::new()
        .delimiter(b';')
        .terminator(csv::Terminator::CRLF)
        .flexible(true)
        .from_writer(&mut out);
    for row in rows {
        // Writing to a Vec cannot fail.
        let _ = writer.write_record(
            row.iter()
                .map(|cell| passerelle_domain::text::defuse(cell).into_owned()),
        );
    }
    let _ = writer.flush();
    drop(writer);
    out
}
