//! The spreadsheet template a coordination team fills to bring its
//! programme in (`passerelle import FICHIER.xlsx --cite …`): the files of
//! `data/templates/`, generated from `passerelle_livret::sheet::template_rows`
//! and checked current by the sheet crate's tests.

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

const XLSX: &[u8] = include_bytes!("../../../../data/templates/programme-modele.xlsx");
const CSV: &[u8] = include_bytes!("../../../../data/templates/programme-modele.csv");

fn file(bytes: &'static [u8], content_type: &'static str, name: &'static str) -> Response {
    let mut res = bytes.into_response();
    let headers = res.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::CONTENT_DISPOSITION, HeaderValue::from_static(name));
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=86400"),
    );
    res
}

/// `GET /admin/modele-programme.xlsx`.
pub(crate) async fn xlsx() -> Response {
    file(
        XLSX,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "attachment; filename=\"programme-modele.xlsx\"",
    )
}

/// `GET /admin/modele-programme.csv`.
pub(crate) async fn csv() -> Response {
    file(
        CSV,
        "text/csv; charset=utf-8",
        "attachment; filename=\"programme-modele.csv\"",
    )
}
