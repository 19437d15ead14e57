//! The clock's work on applications, which every server runs (each
//! erasure is conditional, so two servers never erase twice): the
//! personal data of an application refused or *sans suite* are erased
//! [`RETENTION_DAYS`] after the decision.

use passerelle_domain::call::application::RETENTION_DAYS;

use super::store_error;
use crate::shared::error::AppError;
use crate::shared::state::AppState;

/// Erases what is due at `now` (unix seconds); how many applications.
pub async fn erase_due_applications(state: &AppState, now: i64) -> Result<u32, AppError> {
    let Some(editing) = state.editing() else {
        return Ok(0);
    };
    let due = editing
        .calls
        .due_erasures(now - RETENTION_DAYS * 86_400)
        .await
        .map_err(store_error)?;
    let mut erased = 0;
    for (cite, id) in due {
        if editing
            .calls
            .erase_application(&cite, id, now)
            .await
            .map_err(store_error)?
        {
            erased += 1;
        }
    }
    Ok(erased)
}

/// [`erase_due_applications`] every hour, for as long as the server runs.
pub async fn erase_applications_every_hour(state: AppState) {
    loop {
        match erase_due_applications(&state, crate::shared::ctx::unix_now()).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(erased = n, "applications' personal data erased"),
            Err(e) => tracing::error!(error = ?e, "erasing applications failed"),
        }
        tokio::time::sleep(std::time::Duration::from_secs(3600)).await;
    }
}
