//! What publishing needs: when each entity last changed (from the store's
//! history), and typesetting PDFs one at a time, off the async workers,
//! the last few kept, keyed by the snapshot they were made from (a
//! professional's download bypasses the response cache, so without this a
//! click would typeset the whole booklet again).

use std::collections::VecDeque;
use std::sync::Mutex;

use axum::body::Bytes;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use passerelle_domain::{Date, EntityDates};
use tokio::sync::Semaphore;

use crate::shared::cites::Here;
use crate::shared::error::AppError;
use crate::shared::state::{AppState, Snapshot};

/// How many PDFs are kept.
const KEPT: usize = 6;

#[derive(Debug)]
pub(crate) struct Typesetter {
    /// Typst uses every core for one document: two at once would only
    /// share them, and hold twice the memory.
    one_at_a_time: Semaphore,
    recent: Mutex<VecDeque<(String, Bytes)>>,
}

impl Default for Typesetter {
    fn default() -> Self {
        Typesetter {
            one_at_a_time: Semaphore::new(1),
            recent: Mutex::new(VecDeque::new()),
        }
    }
}

impl Typesetter {
    fn kept(&self, key: &str) -> Option<Bytes> {
        let recent = self.recent.lock().unwrap_or_else(|e| e.into_inner());
        recent
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, b)| b.clone())
    }

    fn keep(&self, key: String, bytes: Bytes) {
        let mut recent = self.recent.lock().unwrap_or_else(|e| e.into_inner());
        recent.retain(|(k, _)| *k != key);
        recent.push_front((key, bytes));
        recent.truncate(KEPT);
    }

    /// The PDF `key` names (which must say the snapshot's generation and
    /// everything else the PDF depends on), made by `make` if not kept.
    pub(crate) async fn pdf(
        &self,
        key: String,
        make: impl FnOnce() -> Result<Vec<u8>, passerelle_typeset::TypesetError> + Send + 'static,
    ) -> Result<Bytes, AppError> {
        if let Some(bytes) = self.kept(&key) {
            return Ok(bytes);
        }
        let _permit = self
            .one_at_a_time
            .acquire()
            .await
            .map_err(|_| AppError::Unavailable("La composition des PDF est arrêtée.".into()))?;
        // Made by the request that held the permit before this one?
        if let Some(bytes) = self.kept(&key) {
            return Ok(bytes);
        }
        let bytes = tokio::task::spawn_blocking(make)
            .await
            .map_err(|e| AppError::Internal(format!("typesetting stopped: {e}")))?
            .map_err(|e| AppError::Internal(format!("typesetting failed: {e}")))?;
        let bytes = Bytes::from(bytes);
        self.keep(key, bytes.clone());
        Ok(bytes)
    }
}

/// When each entity of the cité last changed; none known on a server that
/// does not edit (its data come from the booklet alone).
pub(crate) async fn dates(state: &AppState, here: &Here) -> Result<Vec<EntityDates>, AppError> {
    match state.editing() {
        Some(editing) => editing
            .store
            .entity_dates(here.slug())
            .await
            .map_err(|e| AppError::store("publication", e)),
        None => Ok(Vec::new()),
    }
}

/// A cité's voted funding lines, for the open data of subsidies (none on a
/// server without a store).
pub(crate) async fn voted_lines(
    state: &AppState,
    cite: &str,
) -> Result<Vec<passerelle_domain::funding::FundingLine>, AppError> {
    match state.editing() {
        Some(editing) => Ok(editing
            .funding
            .funding_lines(cite, None)
            .await
            .map_err(|e| AppError::store("publication", e))?
            .into_iter()
            .map(|s| s.line)
            .filter(|l| l.voted.0 > 0)
            .collect()),
        None => Ok(Vec::new()),
    }
}

/// The day an edition is dated: the day its data last changed (Paris), so
/// that the same data give the same file; the day they were loaded when no
/// history says.
pub(crate) fn edition_date(dates: &[EntityDates], s: &Snapshot) -> Date {
    dates
        .iter()
        .map(|d| d.updated.as_str())
        .max()
        .and_then(Date::paris_day_of)
        .unwrap_or_else(|| crate::shared::text::paris_date(s.loaded_at.into()))
}

/// A PDF answer, opened in the browser, saved under `filename`; private
/// when it holds details kept for professionals.
pub(crate) fn response(bytes: Bytes, filename: &str, private: bool) -> Response {
    let mut res = bytes.into_response();
    let headers = res.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/pdf"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("inline; filename=\"{filename}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    if private {
        headers.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, no-store"),
        );
    }
    res
}

/// The public address links in files and feeds start with: the configured
/// one, or `http://localhost` on a server that has none (tests).
pub(crate) fn base_url(state: &AppState) -> String {
    state
        .editing()
        .map_or_else(|| "http://localhost".to_owned(), |e| e.base_url.clone())
}
