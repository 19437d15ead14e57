//! Metrics for the town's IT team, in Prometheus' text format: off unless
//! the configuration turns them on (`/metrics` behind a bearer token, or on
//! a listener of its own).
//!
//! Labels are bounded and say nothing of anyone: a request counts under its
//! route's template (`/{cite}/actions/{fiche}`), never its path; a cité's
//! slug is the only other value (rebuilds), and the instance knows its
//! cités. The process has one recorder (the `metrics` crate's rule), so
//! everything recorded anywhere in the process lands in it, and nothing is
//! recorded while none is installed.

use std::sync::OnceLock;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use metrics::{counter, describe_counter, describe_gauge, describe_histogram, gauge, histogram};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

use crate::shared::cites::Here;
use crate::shared::state::AppState;

pub(crate) const REQUESTS: &str = "passerelle_http_requests_total";
pub(crate) const REQUEST_SECONDS: &str = "passerelle_http_request_duration_seconds";
pub(crate) const CACHE_HITS: &str = "passerelle_response_cache_hits_total";
pub(crate) const CACHE_MISSES: &str = "passerelle_response_cache_misses_total";
pub(crate) const CACHE_EVICTIONS: &str = "passerelle_response_cache_evictions_total";
const CACHE_BYTES: &str = "passerelle_response_cache_bytes";
const CACHE_ENTRIES: &str = "passerelle_response_cache_entries";
pub(crate) const SNAPSHOT_SECONDS: &str = "passerelle_snapshot_build_duration_seconds";
const FEED_LAG: &str = "passerelle_change_feed_lag_versions";
pub(crate) const FEED_RECONNECTS: &str = "passerelle_change_feed_reconnects_total";
const NEWSLETTER_QUEUE: &str = "passerelle_newsletter_queue";
pub(crate) const LETTERS_SENT: &str = "passerelle_newsletter_letters_sent_total";
pub(crate) const REFERRAL_JOBS: &str = "passerelle_referrals_clock_jobs_total";
pub(crate) const REFERRAL_CLOCK_ERRORS: &str = "passerelle_referrals_clock_errors_total";
const POOL: &str = "passerelle_db_pool_connections";
const POOL_MAX: &str = "passerelle_db_pool_max_connections";
const RESIDENT: &str = "process_resident_memory_bytes";

/// The latency buckets, in seconds: a page from the cache is well under a
/// millisecond, a PDF typeset a few seconds.
const BUCKETS: [f64; 12] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0,
];

/// The route of a request that matched none (a 404 before routing).
const UNMATCHED: &str = "unmatched";

static RECORDER: OnceLock<Option<PrometheusHandle>> = OnceLock::new();

/// The process's recorder, installed on first call; `None` if another
/// recorder was installed first (then nothing can be served).
pub(crate) fn recorder() -> Option<PrometheusHandle> {
    RECORDER
        .get_or_init(|| {
            let handle = PrometheusBuilder::new()
                .set_buckets_for_metric(Matcher::Suffix("_seconds".into()), &BUCKETS)
                .ok()?
                .install_recorder()
                .ok()?;
            describe();
            Some(handle)
        })
        .clone()
}

/// Whether anything is recorded: a request need not build its labels
/// otherwise.
fn recording() -> bool {
    RECORDER.get().is_some_and(Option::is_some)
}

/// Says what each series is, and starts at zero those whose labels are
/// known in advance, so that every family is there from the first scrape.
fn describe() {
    describe_counter!(
        REQUESTS,
        "Requests answered, by method, route template and status."
    );
    describe_histogram!(
        REQUEST_SECONDS,
        "Time to answer a request, by method and route template."
    );
    describe_counter!(CACHE_HITS, "Answers served from the response cache.");
    describe_counter!(CACHE_MISSES, "Cacheable requests the cache did not hold.");
    describe_counter!(
        CACHE_EVICTIONS,
        "Answers dropped from the cache to stay within its budget."
    );
    describe_gauge!(CACHE_BYTES, "Memory the cached answers take, in bytes.");
    describe_gauge!(CACHE_ENTRIES, "Answers the cache holds.");
    describe_histogram!(
        SNAPSHOT_SECONDS,
        "Time to build a cité's snapshot (catalogue and search indexes), at start-up and after each write, by cité."
    );
    describe_gauge!(
        FEED_LAG,
        "Versions this server's snapshots are behind the database, summed over the cités."
    );
    describe_counter!(
        FEED_RECONNECTS,
        "Times the change feed was lost and opened again."
    );
    describe_gauge!(
        NEWSLETTER_QUEUE,
        "Newsletter deliveries by state (waiting, sending, failed)."
    );
    describe_counter!(
        LETTERS_SENT,
        "Newsletter letters handed to the SMTP server by this process."
    );
    describe_counter!(
        REFERRAL_JOBS,
        "What the referrals' clock did, by job (reminded, expired, erased)."
    );
    describe_counter!(
        REFERRAL_CLOCK_ERRORS,
        "Rounds of the referrals' clock that failed."
    );
    describe_gauge!(POOL, "Database connections by state (in_use, idle).");
    describe_gauge!(POOL_MAX, "The most database connections the pool opens.");
    describe_gauge!(RESIDENT, "Resident memory of the process, in bytes.");
    for name in [
        CACHE_HITS,
        CACHE_MISSES,
        CACHE_EVICTIONS,
        FEED_RECONNECTS,
        LETTERS_SENT,
        REFERRAL_CLOCK_ERRORS,
    ] {
        counter!(name).absolute(0);
    }
    for job in ["reminded", "expired", "erased"] {
        counter!(REFERRAL_JOBS, "job" => job).absolute(0);
    }
}

/// Counts what the referrals' clock did.
pub(crate) fn referral_jobs(reminded: u32, expired: u32, erased: u32) {
    for (job, n) in [
        ("reminded", reminded),
        ("expired", expired),
        ("erased", erased),
    ] {
        if n > 0 {
            counter!(REFERRAL_JOBS, "job" => job).increment(u64::from(n));
        }
    }
}

/// Times a cité's snapshot build.
pub fn snapshot_built(cite: &str, started: Instant) {
    if recording() {
        histogram!(SNAPSHOT_SECONDS, "cite" => cite.to_owned())
            .record(started.elapsed().as_secs_f64());
    }
}

/// A request's route template, put on its answer by [`label`] and read by
/// [`record`].
#[derive(Debug, Clone)]
struct Route(String);

/// Puts the route's template on the answer (the innermost layer, where the
/// router has matched it), with the cité's prefix put back as `{cite}`.
pub(crate) async fn label(req: Request, next: Next) -> Response {
    let route = recording()
        .then(|| {
            let matched = req.extensions().get::<MatchedPath>()?.as_str();
            Some(match req.extensions().get::<Here>() {
                Some(here) if here.via_api() => format!(
                    "/api/v1/cites/{{cite}}{}",
                    matched.strip_prefix("/api/v1").unwrap_or(matched)
                ),
                Some(here) if !here.root().is_empty() => format!("/{{cite}}{matched}"),
                _ => matched.to_owned(),
            })
        })
        .flatten();
    let mut res = next.run(req).await;
    if let Some(route) = route {
        res.extensions_mut().insert(Route(route));
    }
    res
}

/// Counts and times every request (the outermost layer).
pub(crate) async fn record(req: Request, next: Next) -> Response {
    if !recording() {
        return next.run(req).await;
    }
    let method = match *req.method() {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    };
    let started = Instant::now();
    let res = next.run(req).await;
    let route = res
        .extensions()
        .get::<Route>()
        .map_or_else(|| UNMATCHED.to_owned(), |r| r.0.clone());
    counter!(REQUESTS, "method" => method, "route" => route.clone(), "status" => res.status().as_str().to_owned())
        .increment(1);
    histogram!(REQUEST_SECONDS, "method" => method, "route" => route)
        .record(started.elapsed().as_secs_f64());
    res
}

/// Who may read the metrics.
#[derive(Debug, Clone)]
pub struct MetricsAccess {
    handle: PrometheusHandle,
    /// Required as `Authorization: Bearer …`, when set; without it,
    /// `/metrics` is served only on the metrics' own listener.
    token: Option<String>,
}

impl MetricsAccess {
    /// The metrics, behind `token` when given; `None` if the process's
    /// recorder could not be installed.
    pub fn new(token: Option<String>) -> Option<MetricsAccess> {
        Some(MetricsAccess {
            handle: recorder()?,
            token,
        })
    }

    /// Runs the recorder's upkeep (drains the histograms' samples) now and
    /// then, for as long as the server runs.
    pub fn keep_up(&self) {
        let handle = self.handle.clone();
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(std::time::Duration::from_secs(5)).await;
                handle.run_upkeep();
            }
        });
    }

    fn allows(&self, headers: &HeaderMap) -> bool {
        let Some(token) = &self.token else {
            return true;
        };
        headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .is_some_and(|given| passerelle_auth::same_secret(given.trim(), token))
    }
}

/// `GET /metrics` on the main listener: only with a token configured, and
/// only at the instance's root (the metrics are the instance's, not a
/// cité's: `/{cite}/metrics` does not exist).
pub(crate) async fn scrape(
    State(state): State<AppState>,
    here: Option<Here>,
    headers: HeaderMap,
) -> Response {
    let at_root = here.is_none_or(|h| h.root().is_empty() && !h.via_api());
    match &state.metrics {
        Some(access) if access.token.is_some() && at_root => answer(&state, access, &headers).await,
        _ => {
            crate::shared::error::AppError::NotFound("Pas de métriques ici.".into()).into_response()
        }
    }
}

/// `GET /metrics` on the metrics' own listener.
async fn scrape_own(State(state): State<AppState>, headers: HeaderMap) -> Response {
    match &state.metrics {
        Some(access) => answer(&state, access, &headers).await,
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

/// The metrics' own listener: `/metrics` and nothing else.
pub fn metrics_app(state: AppState) -> axum::Router {
    axum::Router::new()
        .route("/metrics", axum::routing::get(scrape_own))
        .with_state(state)
}

async fn answer(state: &AppState, access: &MetricsAccess, headers: &HeaderMap) -> Response {
    if !access.allows(headers) {
        return (
            StatusCode::UNAUTHORIZED,
            [(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"))],
            "jeton absent ou erroné\n",
        )
            .into_response();
    }
    sample(state).await;
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        access.handle.render(),
    )
        .into_response()
}

/// Reads what is measured at scrape time: the cache's size, the pool, the
/// newsletter's queue, how far the snapshots are behind, the memory.
async fn sample(state: &AppState) {
    let (entries, bytes) = state.cache.usage();
    gauge!(CACHE_ENTRIES).set(entries as f64);
    gauge!(CACHE_BYTES).set(bytes as f64);
    if let Some(rss) = resident_bytes() {
        gauge!(RESIDENT).set(rss as f64);
    }
    let Some(editing) = state.editing() else {
        return;
    };
    let pool = editing.whole.pool();
    gauge!(POOL, "state" => "in_use").set(f64::from(pool.open.saturating_sub(pool.idle)));
    gauge!(POOL, "state" => "idle").set(f64::from(pool.idle));
    gauge!(POOL_MAX).set(f64::from(pool.max));
    match editing.newsletter.queue().await {
        Ok(q) => {
            for (s, n) in [
                ("waiting", q.waiting),
                ("sending", q.sending),
                ("failed", q.failed),
            ] {
                gauge!(NEWSLETTER_QUEUE, "state" => s).set(n as f64);
            }
        }
        Err(e) => tracing::warn!(error = %e, "metrics: the newsletter's queue could not be read"),
    }
    match state.steps().await {
        Ok(steps) => {
            let behind: u64 = steps.iter().map(|s| s.stored.saturating_sub(s.built)).sum();
            gauge!(FEED_LAG).set(behind as f64);
        }
        Err(_) => tracing::warn!("metrics: the stored versions could not be read"),
    }
}

/// The process's resident memory, from `/proc` (Linux); `None` elsewhere.
fn resident_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}
