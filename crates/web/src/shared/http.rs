//! HTTP hygiene: validators and conditional requests, cache policy and
//! security headers. Compression and tracing are tower-http layers (see `app`).

use std::hash::{DefaultHasher, Hash, Hasher};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::shared::cites::Here;
use crate::shared::state::AppState;

/// Pages and API bodies larger than this are sent without an ETag.
const ETAG_MAX_BYTES: usize = 2 * 1024 * 1024;

pub(crate) const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; \
     object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// How long a browser keeps to HTTPS once told (a year), when the instance
/// is served over HTTPS.
const STRICT_TRANSPORT_SECURITY: &str = "max-age=31536000";

/// Adds the security headers every response carries; served over HTTPS
/// (`secure_cookies`), `Strict-Transport-Security` too.
pub(crate) async fn security_headers(
    State(state): State<AppState>,
    req: Request,
    next: Next,
) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    let set = |h: &mut HeaderMap, name: header::HeaderName, value: &'static str| {
        h.entry(name).or_insert(HeaderValue::from_static(value));
    };
    if state.secure_cookies {
        set(
            h,
            header::STRICT_TRANSPORT_SECURITY,
            STRICT_TRANSPORT_SECURITY,
        );
    }
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

/// Rendered answers, by snapshot and URL, for every cité of the instance
/// under one memory budget: when it is spent, the least recently used
/// answers go first. A page is a pure function of its snapshot and its URL,
/// so an answer is keyed by its snapshot's generation and a new snapshot
/// never sees an older one's answers (they age out).
#[derive(Debug)]
pub(crate) struct ResponseCache {
    entries: std::sync::Mutex<Lru>,
    budget: usize,
}

#[derive(Debug)]
struct Lru {
    map: lru::LruCache<String, std::sync::Arc<Cached>>,
    bytes: usize,
}

/// The most the cache holds by default, counting each answer's body, key,
/// headers and bookkeeping.
pub(crate) const CACHE_BUDGET: usize = 32 * 1024 * 1024;

/// What one kept answer costs besides its body and key: the map's node,
/// the `Arc`, the header map's table.
const ENTRY_OVERHEAD: usize = 256;

impl Cached {
    /// The bytes this answer holds in memory, its key's included.
    fn footprint(&self, key: &str) -> usize {
        let headers: usize = self
            .headers
            .iter()
            .map(|(name, value)| name.as_str().len() + value.len() + 32)
            .sum();
        self.body.len() + key.len() + self.etag.len() + headers + ENTRY_OVERHEAD
    }
}

impl Default for ResponseCache {
    fn default() -> ResponseCache {
        ResponseCache::with_budget(CACHE_BUDGET)
    }
}

impl ResponseCache {
    pub(crate) fn with_budget(budget: usize) -> ResponseCache {
        ResponseCache {
            entries: std::sync::Mutex::new(Lru {
                map: lru::LruCache::unbounded(),
                bytes: 0,
            }),
            budget,
        }
    }

    fn get(&self, key: &str) -> Option<std::sync::Arc<Cached>> {
        let found = self.entries.lock().ok()?.map.get(key).cloned();
        let counter = if found.is_some() {
            crate::shared::metrics::CACHE_HITS
        } else {
            crate::shared::metrics::CACHE_MISSES
        };
        metrics::counter!(counter).increment(1);
        found
    }

    fn put(&self, key: String, entry: Cached) -> std::sync::Arc<Cached> {
        let entry = std::sync::Arc::new(entry);
        let size = entry.footprint(&key);
        if size > self.budget {
            return entry;
        }
        let Ok(mut lru) = self.entries.lock() else {
            return entry;
        };
        if let Some(old) = lru.map.put(key.clone(), std::sync::Arc::clone(&entry)) {
            lru.bytes -= old.footprint(&key);
        }
        lru.bytes += size;
        let mut evicted = 0;
        while lru.bytes > self.budget {
            match lru.map.pop_lru() {
                Some((k, old)) => {
                    lru.bytes -= old.footprint(&k);
                    evicted += 1;
                }
                None => break,
            }
        }
        if evicted > 0 {
            metrics::counter!(crate::shared::metrics::CACHE_EVICTIONS).increment(evicted);
        }
        entry
    }

    /// How many answers and bytes the cache holds.
    pub(crate) fn usage(&self) -> (usize, usize) {
        self.entries
            .lock()
            .map(|l| (l.map.len(), l.bytes))
            .unwrap_or_default()
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
    // The national pages read every cité: they are keyed by the instance's
    // generation, which changes with any cité's snapshot.
    let (generation, loaded_at, root) = match req.extensions().get::<Here>() {
        Some(here) => {
            let s = here.snapshot();
            (s.generation, s.loaded_at, here.root().to_owned())
        }
        None => (
            state.cites.generation(),
            state.cites.loaded_at(),
            String::new(),
        ),
    };
    let request_headers = req.headers().clone();
    let cacheable = !request_headers.contains_key(header::COOKIE)
        && !request_headers.contains_key(header::AUTHORIZATION);
    let host = request_headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    // A page may depend on the day (an event past or to come).
    let today = crate::shared::text::paris_today();
    // The language came off the path (`shared::i18n::strip`): it is put
    // back in the key, for `/ar/…` and `/…` not to share an answer.
    let lang = req
        .extensions()
        .get::<crate::shared::i18n::Lang>()
        .copied()
        .unwrap_or_default()
        .prefix();
    // The home page offers the family pages in the language the browser
    // prefers: the one page whose answer varies with `Accept-Language`.
    let accepted = if req.uri().path() == "/" {
        crate::shared::i18n::preferred(
            request_headers
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok()),
        )
        .code()
    } else {
        ""
    };
    let key = format!(
        "{accepted} {generation} {} {host} {root}{lang}{}",
        today.iso(),
        req.uri().path_and_query().map_or("", |p| p.as_str())
    );
    let cached = if cacheable {
        state.cache.get(&key)
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
                return finish(&request_headers, &entry, loaded_at);
            }
            state.cache.put(key, entry)
        }
    };
    finish(&request_headers, &entry, loaded_at)
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

#[cfg(test)]
mod tests {
    use super::{Cached, ENTRY_OVERHEAD, ResponseCache};

    fn answer(bytes: usize) -> Cached {
        Cached {
            headers: axum::http::HeaderMap::new(),
            body: vec![b'x'; bytes].into(),
            etag: String::new(),
        }
    }

    #[test]
    fn the_least_recently_used_answers_go_first_when_the_budget_is_spent() {
        let cache = ResponseCache::with_budget(3 * (1_000 + ENTRY_OVERHEAD));
        cache.put("a".into(), answer(999));
        cache.put("b".into(), answer(999));
        cache.put("c".into(), answer(999));
        // `a` is read, so `b` is now the least recently used.
        assert!(cache.get("a").is_some());
        cache.put("d".into(), answer(999));
        assert!(cache.get("b").is_none());
        assert!(cache.get("a").is_some() && cache.get("c").is_some() && cache.get("d").is_some());
        assert_eq!(cache.usage(), (3, 3 * (1_000 + ENTRY_OVERHEAD)));
    }

    #[test]
    fn an_answer_larger_than_the_budget_is_served_but_not_kept() {
        let cache = ResponseCache::with_budget(1_000);
        cache.put("small".into(), answer(10));
        cache.put("big".into(), answer(900));
        assert!(cache.get("big").is_none());
        assert!(cache.get("small").is_some());
    }

    #[test]
    fn an_answer_counts_its_headers() {
        let cache = ResponseCache::with_budget(100_000);
        let mut with_headers = answer(100);
        with_headers.headers.insert(
            axum::http::header::CONTENT_TYPE,
            axum::http::HeaderValue::from_static("text/html; charset=utf-8"),
        );
        cache.put("a".into(), with_headers);
        let (_, bytes) = cache.usage();
        assert_eq!(bytes, 101 + ENTRY_OVERHEAD + "content-type".len() + 24 + 32);
    }

    #[test]
    fn replacing_an_answer_counts_its_bytes_once() {
        let cache = ResponseCache::with_budget(10_000);
        cache.put("a".into(), answer(100));
        cache.put("a".into(), answer(200));
        assert_eq!(cache.usage(), (1, 201 + ENTRY_OVERHEAD));
    }
}
