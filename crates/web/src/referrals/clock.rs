//! The clock's work on referrals, which every server runs (each step is a
//! conditional write, so two servers never remind or expire twice): the
//! reminder to the operator at day 7 (with a new link), the expiry at day
//! 30, the erasure of the personal fields once closed for the retention
//! delay.

use passerelle_domain::referral::{Due, Event};

use super::{apply, new_link, operator_mails, send_all, store_error};
use crate::shared::error::AppError;
use crate::shared::state::AppState;

/// What the clock did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Swept {
    pub reminded: u32,
    pub expired: u32,
    pub erased: u32,
}

/// Does what the clock owes every referral at `now` (unix seconds).
pub async fn sweep(state: &AppState, now: i64) -> Result<Swept, AppError> {
    let Some(editing) = state.editing() else {
        return Ok(Swept::default());
    };
    let mut done = Swept::default();
    let due = editing
        .referrals
        .due_referrals(now, editing.referral_retention_days)
        .await
        .map_err(store_error)?;
    for (cite, id, what) in due {
        let Some(r) = editing
            .referrals
            .referral(&cite, id)
            .await
            .map_err(store_error)?
        else {
            continue;
        };
        match what {
            Due::Remind => {
                let Some(tenant) = state.tenant(&cite) else {
                    continue;
                };
                let snapshot = tenant.snapshot();
                let Some((_, action)) = snapshot.action(r.fiche) else {
                    continue;
                };
                let (token, hash, expires) = new_link(now);
                if editing
                    .referrals
                    .renew_link(&cite, id, &hash, expires, true, now)
                    .await
                    .map_err(store_error)?
                {
                    let absolute = state.absolute_link(editing, &cite);
                    let mails = operator_mails(
                        &absolute,
                        &snapshot.catalogue.cite.name,
                        action,
                        &token,
                        true,
                    );
                    send_all(editing, mails).await;
                    done.reminded += 1;
                }
            }
            Due::Expire => {
                if apply(state, editing, &r, &Event::Expire, "horloge", now)
                    .await?
                    .is_some()
                {
                    done.expired += 1;
                }
            }
            Due::Erase => {
                if editing
                    .referrals
                    .erase_referral(&cite, id, now)
                    .await
                    .map_err(store_error)?
                {
                    done.erased += 1;
                }
            }
        }
    }
    Ok(done)
}

/// Runs [`sweep`] now and every minute after.
pub async fn sweep_every_minute(state: AppState) {
    loop {
        match sweep(&state, crate::shared::ctx::unix_now()).await {
            Ok(s) if s == Swept::default() => {}
            Ok(s) => {
                crate::shared::metrics::referral_jobs(s.reminded, s.expired, s.erased);
                tracing::info!(
                    reminded = s.reminded,
                    expired = s.expired,
                    erased = s.erased,
                    "referrals swept"
                );
            }
            Err(e) => {
                metrics::counter!(crate::shared::metrics::REFERRAL_CLOCK_ERRORS).increment(1);
                tracing::error!(error = ?e, "sweeping referrals failed");
            }
        }
        tokio::time::sleep(std::time::Duration::from_secs(60)).await;
    }
}
