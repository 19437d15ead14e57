//! The clock's work on the money, which every server runs (each reminder
//! is claimed in the store first, so two servers never send it twice):
//! the operator of a voted line is mailed about its financial report 30
//! days before it is due (31 May of the next year) and on the due day
//! (30 June), unless it was submitted. A line is late from 1 July: the
//! pages say so, from the same calendar.

use passerelle_domain::funding::report::{Reminder, ReportState, reminders_due};
use passerelle_domain::{Date, Role};

use super::{action_title, line_href_at, store_error};
use crate::shared::error::AppError;
use crate::shared::mail::{Mail, MailKind};
use crate::shared::state::AppState;

/// What a pass did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Reminded {
    pub sent: u32,
    /// Lines whose action has no referent with an account to mail.
    pub nobody: u32,
}

/// Sends the reminders due on `today` (a day in Paris), in every cité.
pub async fn remind_reports(state: &AppState, today: Date) -> Result<Reminded, AppError> {
    let mut done = Reminded::default();
    let Some(editing) = state.editing() else {
        return Ok(done);
    };
    let Ok(accounts) = state.account_store() else {
        return Ok(done);
    };
    let accounts = accounts
        .accounts()
        .await
        .map_err(|e| AppError::store("comptes", e))?;
    // A line of `year` is reminded in `year + 1`.
    let year = today.year - 1;
    for tenant in state.cites.all() {
        let cite = tenant.slug();
        let lines = editing
            .funding
            .funding_lines(cite, Some(year))
            .await
            .map_err(store_error)?;
        let states = editing
            .funding
            .funding_reports(cite, Some(year))
            .await
            .map_err(store_error)?;
        let snapshot = tenant.snapshot();
        let catalogue = &snapshot.catalogue;
        let absolute = state.absolute_link(editing, cite);
        for stored in lines.iter().filter(|l| l.line.voted.0 > 0) {
            let line = &stored.line;
            let key = line.key();
            let report: Option<ReportState> =
                states.iter().find(|(k, _)| *k == key).map(|(_, s)| *s);
            let due = reminders_due(line.year, report, today);
            if due.is_empty() {
                continue;
            }
            let operators: Vec<&passerelle_domain::Slug> = catalogue
                .programmes
                .iter()
                .flat_map(|p| &p.actions)
                .filter(|a| a.fiche.get() == line.fiche)
                .flat_map(|a| &a.operators)
                .filter_map(|o| o.organisation.as_ref())
                .collect();
            let to: Vec<String> = accounts
                .iter()
                .filter(|a| {
                    a.membership(cite).is_some_and(|m| {
                        m.role == Role::Referent
                            && m.organisation
                                .as_ref()
                                .is_some_and(|o| operators.contains(&o))
                    })
                })
                .map(|a| a.email.as_str().to_owned())
                .collect();
            if to.is_empty() {
                done.nobody += 1;
                continue;
            }
            // The due day's mail says all the reminder does: one mail a day.
            let Some(which) = due.last().copied() else {
                continue;
            };
            let mut claimed = Vec::new();
            for r in &due {
                if editing
                    .funding
                    .claim_reminder(cite, &key, r.key(), crate::shared::ctx::unix_now())
                    .await
                    .map_err(store_error)?
                {
                    claimed.push(*r);
                }
            }
            if !claimed.contains(&which) {
                continue;
            }
            let calendar = passerelle_domain::funding::report_calendar(line.year);
            let due_day = calendar.map(|c| c.due.french()).unwrap_or_default();
            let link = absolute(&line_href_at(line, "/compte-rendu"));
            let subject = match which {
                Reminder::Before => format!(
                    "Compte rendu financier {} à remettre avant le {due_day}",
                    line.year
                ),
                Reminder::DueDay => format!(
                    "Compte rendu financier {} : à remettre aujourd'hui",
                    line.year
                ),
            };
            let body = format!(
                "Bonjour,\n\nLa subvention « {} » de {} pour l'action « {} » (fiche {}) demande un compte rendu financier (CERFA n° 15059) : le réalisé par poste de dépense, les écarts de plus de 15 % expliqués, et quelques lignes sur l'année.\n\nIl est attendu au plus tard le {due_day}.\n\nLe remplir : {link}\n\n{}",
                line.funder.label(),
                line.year,
                action_title(catalogue, line.fiche),
                line.fiche,
                catalogue.cite.name
            );
            let mut failed = false;
            for address in &to {
                let mail = Mail {
                    kind: MailKind::Funding,
                    to: address.clone(),
                    subject: subject.clone(),
                    body: body.clone(),
                };
                if editing.mailer.send(mail).await.is_err() {
                    failed = true;
                } else {
                    done.sent += 1;
                }
            }
            if failed {
                // Tried again at the next pass.
                for r in &claimed {
                    editing
                        .funding
                        .release_reminder(cite, &key, r.key())
                        .await
                        .map_err(store_error)?;
                }
            }
        }
    }
    Ok(done)
}

/// [`remind_reports`] every hour, for as long as the server runs.
pub async fn remind_reports_every_hour(state: AppState) {
    loop {
        let today = crate::shared::text::paris_date(time::OffsetDateTime::now_utc());
        match remind_reports(&state, today).await {
            Ok(r) if r == Reminded::default() => {}
            Ok(r) => tracing::info!(
                sent = r.sent,
                without_referent = r.nobody,
                "financial reports reminded"
            ),
            Err(e) => tracing::error!(error = ?e, "reminding financial reports failed"),
        }
        tokio::time::sleep(std::time::Duration::from_secs(3600)).await;
    }
}
