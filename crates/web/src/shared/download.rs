//! Files answered whole: a PDF, a spreadsheet, an attachment — typed,
//! named safely, never cached, never sniffed nor run.

/// A file answered as a download (`attachment`) or to open (`inline`),
/// never cached: its type, its name (made safe for the header), and no
/// sniffing nor script whatever its bytes.
pub(crate) fn file(
    bytes: Vec<u8>,
    media_type: &str,
    disposition: &str,
    name: &str,
) -> axum::response::Response {
    use axum::http::{HeaderValue, header};
    use axum::response::IntoResponse;
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(media_type)
            .unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    if let Ok(v) = HeaderValue::from_str(&format!(
        "{disposition}; filename=\"{}\"",
        download_name(name)
    )) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; sandbox"),
    );
    crate::shared::layout::no_store(res)
}

/// A name safe in a `Content-Disposition` header: its letters, digits and
/// `.-_` kept, the rest `_`.
pub(crate) fn download_name(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if cleaned.trim_matches(['.', '_']).is_empty() {
        "piece".to_owned()
    } else {
        cleaned
    }
}
