//! HTTP hygiene: validators and conditional requests, cache policy and
//! security headers. Compression and tracing are tower-http layers (see `app`).

use std::hash::{DefaultHasher, Hash, Hasher};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::shared::state::AppState;

/// Pages and API bodies larger than this are sent without an ETag.
const ETAG_MAX_BYTES: usize = 2 * 1024 * 1024;

pub(crate) const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; \
     object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// Adds the security headers every response carries.
pub(crate) async fn security_headers(req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    let set = |h: &mut HeaderMap, name: header::HeaderName, value: &'static str| {
        h.entry(name).or_insert(HeaderValue::from_static(value));
    };
    set(h, header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY);
    set(h, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(
        h,
        header::REFERRER_POLICY,
        "strict-origin-when-cross-origin",
    );
    set(h, header::X_FRAME_OPTIONS, "DENY");
    set(
        h,
        header::HeaderName::from_static("permissions-policy"),
        "camera=(), microphone=(), geolocation=()",
    );
    res
}

fn if_none_match_hits(headers: &HeaderMap, etag: &str) -> bool {
    let weak = |t: &str| t.trim().trim_start_matches("W/").to_owned();
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|t| t.trim() == "*" || weak(t) == weak(etag))
}

/// A finished `200` answer to a GET, kept to be served again.
#[derive(Debug)]
pub(crate) struct Cached {
    headers: HeaderMap,
    body: axum::body::Bytes,
    etag: String,
}

/// Rendered answers by URL. A page is a pure function of the snapshot and
/// its URL, so the cache lives in the [`crate::Snapshot`] and dies with it.
/// Bounded: when an entry would exceed the byte budget, the cache is emptied.
#[derive(Debug, Default)]
pub(crate) struct ResponseCache {
    entries: std::sync::RwLock<std::collections::HashMap<String, std::sync::Arc<Cached>>>,
    bytes: std::sync::atomic::AtomicUsize,
}

/// The most the cache holds, in body bytes.
const CACHE_BUDGET: usize = 32 * 1024 * 1024;

impl ResponseCache {
    fn get(&self, key: &str) -> Option<std::sync::Arc<Cached>> {
        self.entries.read().ok()?.get(key).cloned()
    }

    fn put(&self, key: String, entry: Cached) -> std::sync::Arc<Cached> {
        use std::sync::atomic::Ordering;
        let entry = std::sync::Arc::new(entry);
        let Ok(mut entries) = self.entries.write() else {
            return entry;
        };
        let size = entry.body.len() + key.len();
        if self.bytes.load(Ordering::Relaxed) + size > CACHE_BUDGET {
            entries.clear();
            self.bytes.store(0, Ordering::Relaxed);
        }
        self.bytes.fetch_add(size, Ordering::Relaxed);
        entries.insert(key, std::sync::Arc::clone(&entry));
        entry
    }
}

/// Answers from the cache, or runs the handler and keeps a `200` answer.
/// Either way a GET answer gets a weak ETag (a hash of the body) and a
/// Last-Modified (when the data was loaded), and a request that already has
/// them is answered `304 Not Modified`.
///
/// Requests that carry credentials (a cookie or an `Authorization` header)
/// bypass the cache, so that no one is ever served a page made for someone else.
pub(crate) async fn conditional(
    State(state): State<AppState>,
    req: Request,
    next: Next,
) -> Response {
    if req.method() != Method::GET && req.method() != Method::HEAD {
        return next.run(req).await;
    }
    let snapshot = state.snapshot();
    let request_headers = req.headers().clone();
    let cacheable = !request_headers.contains_key(header::COOKIE)
        && !request_headers.contains_key(header::AUTHORIZATION);
    let key = req
        .uri()
        .path_and_query()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_default();
    let cached = if cacheable {
        snapshot.cache.get(&key)
    } else {
        None
    };
    let entry = match cached {
        Some(entry) => entry,
        None => {
            let res = next.run(req).await;
            // Answers that depend on more than the snapshot and the URL
            // (a private registration, the live board) say `no-store`:
            // they are never cached, nor given a validator.
            let private = res
                .headers()
                .get(header::CACHE_CONTROL)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.contains("no-store"));
            if res.status() != StatusCode::OK || res.headers().contains_key(header::ETAG) || private
            {
                return res;
            }
            let (parts, body) = res.into_parts();
            let Ok(bytes) = axum::body::to_bytes(body, ETAG_MAX_BYTES).await else {
                return (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "réponse trop volumineuse",
                )
                    .into_response();
            };
            let mut hasher = DefaultHasher::new();
            bytes.hash(&mut hasher);
            let entry = Cached {
                headers: parts.headers,
                body: bytes,
                etag: format!("W/\"{:016x}\"", hasher.finish()),
            };
            if !cacheable {
                return finish(&request_headers, &entry, snapshot.loaded_at);
            }
            snapshot.cache.put(key, entry)
        }
    };
    finish(&request_headers, &entry, snapshot.loaded_at)
}

fn finish(
    request_headers: &HeaderMap,
    entry: &Cached,
    loaded_at: std::time::SystemTime,
) -> Response {
    let mut headers = entry.headers.clone();
    if let Ok(v) = HeaderValue::from_str(&entry.etag) {
        headers.insert(header::ETAG, v);
    }
    if let Ok(v) = HeaderValue::from_str(&httpdate::fmt_http_date(loaded_at)) {
        headers.insert(header::LAST_MODIFIED, v);
    }
    headers
        .entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-cache"));
    let not_modified = if request_headers.contains_key(header::IF_NONE_MATCH) {
        if_none_match_hits(request_headers, &entry.etag)
    } else {
        request_headers
            .get(header::IF_MODIFIED_SINCE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| httpdate::parse_http_date(v).ok())
            // Not modified since: the data is no newer than the date given
            // (HTTP dates have a one-second resolution).
            .is_some_and(|since| {
                loaded_at
                    .duration_since(since)
                    .map_or(true, |d| d.as_secs() == 0)
            })
    };
    if not_modified {
        let mut res = Response::new(Body::empty());
        *res.status_mut() = StatusCode::NOT_MODIFIED;
        for name in [
            header::ETAG,
            header::LAST_MODIFIED,
            header::CACHE_CONTROL,
            header::VARY,
        ] {
            if let Some(v) = headers.get(&name) {
                res.headers_mut().insert(name, v.clone());
            }
        }
        return res;
    }
    let mut res = Response::new(Body::from(entry.body.clone()));
    *res.headers_mut() = headers;
    res
}
