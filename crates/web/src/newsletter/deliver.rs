//! Delivery: queuing an issue (composed from the cité's data, frozen, one
//! row per recipient) and the worker every server runs, which takes rows
//! from the queue, sends them through SMTP at the configured rate and
//! records each answer in the transaction that changes the row's state.
//!
//! Once per recipient: a row is `sending` while a worker holds it; a worker
//! killed holding rows leaves them `sending`, and they are taken again
//! when their lease ends, by this server restarted or another. The one
//! letter that may then go twice is the one whose SMTP answer came in the
//! instant before the kill, before its state was written; it carries the
//! same `Message-ID`, so a mailbox can tell it is the same letter.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use passerelle_domain::newsletter::{Claimed, Issue, NewsletterList, Progress};

use super::compose::{Envelope, Source, body, letter};
use crate::shared::cites::Tenant;
use crate::shared::ctx::unix_now;
use crate::shared::error::AppError;
use crate::shared::state::{AppState, Editing};

fn store_error(e: passerelle_store::StoreError) -> AppError {
    AppError::store("lettre d'infos", e)
}

/// The body of an issue as it would be mailed now, from the cité's public
/// data: (HTML, text).
pub(crate) async fn compose(
    state: &AppState,
    editing: &Editing,
    tenant: &Tenant,
    issue_list: i64,
    title: &str,
    intro: &str,
    blocks: &passerelle_domain::newsletter::Blocks,
) -> Result<(String, String), AppError> {
    let slug = tenant.slug();
    let since = editing
        .newsletter
        .last_issue_at(slug, issue_list)
        .await
        .map_err(store_error)?;
    let dates = editing
        .store
        .entity_dates(slug)
        .await
        .map_err(store_error)?;
    let snapshot = tenant.snapshot();
    let catalogue = snapshot.public_catalogue();
    let link = state.absolute_link(editing, slug);
    let src = Source {
        catalogue,
        dates: &dates,
        since: since.as_deref(),
        absolute: &link,
    };
    body(title, intro, blocks, &src).map_err(|e| AppError::Internal(format!("lettre : {e}")))
}

/// Queues an issue: composed now, frozen, one delivery per confirmed
/// subscriber. `None` if it was queued already.
pub(crate) async fn queue(
    state: &AppState,
    editing: &Editing,
    tenant: &Tenant,
    id: i64,
) -> Result<Option<u64>, AppError> {
    let slug = tenant.slug();
    let Some(issue) = editing
        .newsletter
        .issue(slug, id)
        .await
        .map_err(store_error)?
    else {
        return Err(AppError::NotFound("Aucune lettre à cette adresse.".into()));
    };
    if !issue.status.editable() {
        return Ok(None);
    }
    let (html, text) = compose(
        state,
        editing,
        tenant,
        issue.list,
        &issue.title,
        &issue.intro,
        &issue.blocks,
    )
    .await?;
    let queued = editing
        .newsletter
        .enqueue(slug, id, &html, &text)
        .await
        .map_err(store_error)?;
    if let Some(n) = queued {
        tracing::info!(cite = slug, issue = id, recipients = n, "issue queued");
        editing.queued.notify_waiters();
    }
    Ok(queued)
}

/// What the worker keeps of the issues it sends (frozen once queued).
#[derive(Default)]
struct Issues(HashMap<i64, (Issue, NewsletterList)>);

impl Issues {
    async fn get(
        &mut self,
        editing: &Editing,
        d: &Claimed,
    ) -> Result<Option<&(Issue, NewsletterList)>, passerelle_store::StoreError> {
        if !self.0.contains_key(&d.issue) {
            let Some(issue) = editing.newsletter.issue(&d.cite, d.issue).await? else {
                return Ok(None);
            };
            let lists = editing.newsletter.lists(&d.cite).await?;
            let Some(list) = lists.into_iter().find(|l| l.id == issue.list) else {
                return Ok(None);
            };
            if self.0.len() > 64 {
                self.0.clear();
            }
            self.0.insert(d.issue, (issue, list));
        }
        Ok(self.0.get(&d.issue))
    }
}

/// Sends one claimed delivery and records its answer.
async fn send_one(
    state: &AppState,
    editing: &Editing,
    issues: &mut Issues,
    d: &Claimed,
) -> Result<(), passerelle_store::StoreError> {
    use passerelle_domain::newsletter::Outcome;
    let outcome = match issues.get(editing, d).await? {
        None => Outcome::Permanent("lettre introuvable".into()),
        Some((issue, list)) => {
            let name = state
                .tenant(&d.cite)
                .map(|t| t.snapshot().catalogue.cite.name.clone())
                .unwrap_or_else(|| d.cite.clone());
            let link = state.absolute_link(editing, &d.cite);
            let domain = editing.mailer.newsletter_domain();
            let mailto = editing.mailer.newsletter_address();
            let env = Envelope {
                list,
                cite: &name,
                absolute: &link,
                domain: &domain,
                mailto: &mailto,
            };
            match letter(issue, d, &env) {
                Ok(l) => editing.mailer.send_letter(&l).await,
                Err(e) => Outcome::Temporary(format!("composition : {e}")),
            }
        }
    };
    if matches!(outcome, Outcome::Sent(_)) {
        metrics::counter!(crate::shared::metrics::LETTERS_SENT).increment(1);
    }
    // The answer is in: write it, trying again if the database is busy
    // (an answer not written means a second letter after the lease).
    let mut tries = 0;
    loop {
        match editing
            .newsletter
            .record(d, &outcome, unix_now(), editing.delivery.max_bounces)
            .await
        {
            Ok(()) => return Ok(()),
            Err(e) if tries < 5 => {
                tries += 1;
                tracing::warn!(error = %e, tries, "recording a delivery failed, trying again");
                tokio::time::sleep(Duration::from_millis(200 * tries)).await;
            }
            Err(e) => return Err(e),
        }
    }
}

/// How many rows a worker takes at once: what it sends well within a lease.
fn batch(rate: f64) -> u32 {
    if rate <= 0.0 {
        20
    } else {
        // At most a third of a lease's worth.
        let n = rate * (passerelle_domain::newsletter::LEASE_SECS as f64) / 3.0;
        n.clamp(1.0, 20.0) as u32
    }
}

/// Takes and sends what is due, once; returns how many were taken.
async fn round(
    state: &AppState,
    editing: &Editing,
    issues: &mut Issues,
    next_send: &mut Instant,
) -> Result<usize, passerelle_store::StoreError> {
    let claimed = editing
        .newsletter
        .claim(unix_now(), batch(editing.delivery.rate))
        .await?;
    let interval =
        (editing.delivery.rate > 0.0).then(|| Duration::from_secs_f64(1.0 / editing.delivery.rate));
    for d in &claimed {
        if let Some(interval) = interval {
            let now = Instant::now();
            if *next_send > now {
                tokio::time::sleep(*next_send - now).await;
            }
            *next_send = Instant::now().max(*next_send) + interval;
        }
        send_one(state, editing, issues, d).await?;
    }
    Ok(claimed.len())
}

/// Queues the scheduled issues that are due.
async fn queue_due(state: &AppState, editing: &Editing) {
    let due = match editing
        .newsletter
        .due_issues(&passerelle_store::rows::now())
        .await
    {
        Ok(d) => d,
        Err(e) => {
            tracing::error!(error = %e, "reading the scheduled issues failed");
            return;
        }
    };
    for (cite, id) in due {
        let Some(tenant) = state.tenant(&cite) else {
            continue;
        };
        if let Err(e) = queue(state, editing, &tenant, id).await {
            tracing::error!(cite, issue = id, error = ?e, "queuing a scheduled issue failed");
        }
    }
}

/// The delivery worker: runs as long as the server, queuing the scheduled
/// issues when due, sending what waits, erasing each hour the
/// subscriptions never confirmed. Several servers may run it on one
/// database: the queue gives each row to one of them.
pub async fn deliver(state: AppState) {
    let Ok(editing) = state.editing_open().map(Arc::clone) else {
        return;
    };
    let mut issues = Issues::default();
    let mut next_send = Instant::now();
    let mut last_sweep: Option<Instant> = None;
    loop {
        if last_sweep.is_none_or(|t| t.elapsed() > Duration::from_secs(3600)) {
            match editing.newsletter.erase_unconfirmed(unix_now()).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(count = n, "unconfirmed subscriptions erased"),
                Err(e) => tracing::error!(error = %e, "erasing unconfirmed subscriptions failed"),
            }
            last_sweep = Some(Instant::now());
        }
        queue_due(&state, &editing).await;
        match round(&state, &editing, &mut issues, &mut next_send).await {
            Ok(0) => {
                // Nothing due: wait for an issue queued here, or poll (an
                // issue queued by another server, a retry coming due).
                let _ =
                    tokio::time::timeout(Duration::from_secs(1), editing.queued.notified()).await;
            }
            Ok(_) => {}
            Err(e) => {
                tracing::error!(error = %e, "newsletter delivery failed, trying again in 5 s");
                tokio::time::sleep(Duration::from_secs(5)).await;
            }
        }
    }
}

/// Queues an issue if it is not yet, and works the queue until nothing of
/// it remains to send (what `passerelle newsletter send` does). Another
/// server working the same queue meanwhile takes its share.
pub async fn send_issue(
    state: &AppState,
    cite: &str,
    id: i64,
    mut progress: impl FnMut(&Progress),
) -> Result<Progress, AppError> {
    let editing = Arc::clone(state.editing_open()?);
    let tenant = state
        .tenant(cite)
        .ok_or_else(|| AppError::NotFound(format!("Aucune cité « {cite} ».")))?;
    queue(state, &editing, &tenant, id).await?;
    let mut issues = Issues::default();
    let mut next_send = Instant::now();
    loop {
        let p = editing
            .newsletter
            .progress(cite, id)
            .await
            .map_err(store_error)?;
        progress(&p);
        if p.done() {
            return Ok(p);
        }
        let taken = round(state, &editing, &mut issues, &mut next_send)
            .await
            .map_err(store_error)?;
        if taken == 0 {
            // Retries waiting for their time, or rows another worker holds.
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
    }
}
