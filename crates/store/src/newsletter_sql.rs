//! The newsletter's SQL, written once for both databases: the statements
//! are the same in SQLite and PostgreSQL (numbered `$n` parameters,
//! `RETURNING`, `ON CONFLICT`, `TRUE`), so [`newsletter_store!`] expands
//! into each store crate's [`crate::NewsletterStore`] implementation, and
//! only the claim of deliveries differs (PostgreSQL skips the rows another
//! worker holds locked; SQLite has one writer at a time).

/// Implements [`crate::NewsletterStore`] for a store crate's type, which
/// has a `pool` field and the crate functions `db`, `begin_write` and `now`.
/// `$claim` is the statement that takes deliveries (`$1` now, `$2` the end
/// of the lease, `$3` the limit).
#[macro_export]
#[allow(
    clippy::crate_in_macro_def,
    reason = "`crate` is the store crate expanding it: its pool, `db`, `begin_write` and `now`"
)]
macro_rules! newsletter_store {
    ($store:ty, $row:ty, $conn:ty, $claim:expr) => {
        $crate::newsletter_subscribers!($store, $row, $conn);

        mod newsletter_impl {
            use async_trait::async_trait;
            use passerelle_domain::newsletter::{
                Blocks, Claimed, Issue, IssueDraft, IssueStatus, NewsletterList, Outcome,
                Progress, Subscribed, Subscriber, SubscriberEvent, SubscriberStatus, backoff,
                LEASE_SECS, MAX_ATTEMPTS,
            };
            use passerelle_store::newsletter::tally;
            use passerelle_store::{Imported, NewsletterStore, StoreError, Subscription};
            use sqlx::Row;

            use crate::dialect::{begin_write, db, now};

            use crate::newsletter_subscribers::{cancel_waiting, event};

            const ISSUE: &str = "SELECT id, cite, list, title, intro, blocks, status, scheduled_at,
                created_at, sent_at, html, text FROM newsletter_issues";

            fn issue(r: &$row) -> Result<Issue, StoreError> {
                let id: i64 = r.get(0);
                let status: String = r.get(6);
                let blocks: String = r.get(5);
                Ok(Issue {
                    id,
                    cite: r.get(1),
                    list: r.get(2),
                    title: r.get(3),
                    intro: r.get(4),
                    blocks: serde_json::from_str::<Blocks>(&blocks).map_err(|e| {
                        StoreError::Corrupt(format!("newsletter_issues.blocks of {id}: {e}"))
                    })?,
                    status: IssueStatus::from_key(&status).ok_or_else(|| {
                        StoreError::Corrupt(format!("newsletter_issues.status: `{status}`"))
                    })?,
                    scheduled_at: r.get(7),
                    created_at: r.get(8),
                    sent_at: r.get(9),
                    html: r.get(10),
                    text: r.get(11),
                })
            }

            fn list(r: &$row) -> NewsletterList {
                NewsletterList {
                    id: r.get(0),
                    cite: r.get(1),
                    slug: r.get(2),
                    name: r.get(3),
                    description: r.get(4),
                    public: r.get(5),
                }
            }

            fn blocks(draft: &IssueDraft) -> String {
                serde_json::to_string(&draft.blocks).unwrap_or_else(|_| "{}".to_owned())
            }

            #[async_trait]
            impl NewsletterStore for $store {
                async fn create_list(&self, l: &NewsletterList) -> Result<Option<i64>, StoreError> {
                    sqlx::query_scalar(
                        "INSERT INTO newsletter_lists (cite, slug, name, description, public, created_at)
                         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING id",
                    )
                    .bind(&l.cite)
                    .bind(&l.slug)
                    .bind(&l.name)
                    .bind(&l.description)
                    .bind(l.public)
                    .bind(now())
                    .fetch_optional(&self.pool)
                    .await
                    .map_err(db)
                }

                async fn update_list(&self, l: &NewsletterList) -> Result<bool, StoreError> {
                    let done = sqlx::query(
                        "UPDATE newsletter_lists SET name = $1, description = $2, public = $3 WHERE cite = $4 AND id = $5",
                    )
                    .bind(&l.name)
                    .bind(&l.description)
                    .bind(l.public)
                    .bind(&l.cite)
                    .bind(l.id)
                    .execute(&self.pool)
                    .await
                    .map_err(db)?;
                    Ok(done.rows_affected() == 1)
                }

                async fn lists(&self, cite: &str) -> Result<Vec<NewsletterList>, StoreError> {
                    let rows = sqlx::query(
                        "SELECT id, cite, slug, name, description, public FROM newsletter_lists
                         WHERE cite = $1 ORDER BY name, id",
                    )
                    .bind(cite)
                    .fetch_all(&self.pool)
                    .await
                    .map_err(db)?;
                    Ok(rows.iter().map(list).collect())
                }

                async fn subscribe(&self, s: &Subscription<'_>) -> Result<Subscribed, StoreError> {
                    self.nl_subscribe(s).await
                }

                async fn confirm(&self, hash: &str, now_unix: i64) -> Result<Option<Subscriber>, StoreError> {
                    self.nl_confirm(hash, now_unix).await
                }

                async fn subscriber_by_token(&self, token: &str) -> Result<Option<Subscriber>, StoreError> {
                    self.nl_subscriber_by_token(token).await
                }

                async fn set_lists(&self, token: &str, wanted: &[i64]) -> Result<bool, StoreError> {
                    self.nl_set_lists(token, wanted).await
                }

                async fn unsubscribe(&self, token: &str) -> Result<bool, StoreError> {
                    self.nl_unsubscribe(token).await
                }

                async fn import_subscribers(
                    &self,
                    cite: &str,
                    emails: &[(String, String)],
                    wanted: &[i64],
                    basis: &str,
                    actor: &str,
                ) -> Result<Imported, StoreError> {
                    self.nl_import_subscribers(cite, emails, wanted, basis, actor).await
                }

                async fn subscribers(&self, cite: &str) -> Result<Vec<Subscriber>, StoreError> {
                    self.nl_subscribers(cite).await
                }

                async fn subscriber(
                    &self,
                    cite: &str,
                    id: i64,
                ) -> Result<Option<(Subscriber, Vec<SubscriberEvent>)>, StoreError> {
                    self.nl_subscriber(cite, id).await
                }

                async fn erase_subscriber(&self, cite: &str, id: i64) -> Result<bool, StoreError> {
                    self.nl_erase_subscriber(cite, id).await
                }

                async fn erase_unconfirmed(&self, now_unix: i64) -> Result<u64, StoreError> {
                    self.nl_erase_unconfirmed(now_unix).await
                }

                async fn create_issue(&self, cite: &str, d: &IssueDraft) -> Result<i64, StoreError> {
                    sqlx::query_scalar(
                        "INSERT INTO newsletter_issues (cite, list, title, intro, blocks, status, created_at)
                         SELECT $1, id, $2, $3, $4, 'draft', $5 FROM newsletter_lists WHERE cite = $1 AND id = $6
                         RETURNING id",
                    )
                    .bind(cite)
                    .bind(&d.title)
                    .bind(&d.intro)
                    .bind(blocks(d))
                    .bind(now())
                    .bind(d.list)
                    .fetch_optional(&self.pool)
                    .await
                    .map_err(db)?
                    .ok_or_else(|| StoreError::Corrupt(format!("no list {} in {cite}", d.list)))
                }

                async fn update_issue(&self, cite: &str, id: i64, d: &IssueDraft) -> Result<bool, StoreError> {
                    let done = sqlx::query(
                        "UPDATE newsletter_issues SET title = $1, intro = $2, blocks = $3,
                            list = COALESCE((SELECT l.id FROM newsletter_lists l WHERE l.cite = $4 AND l.id = $5), list)
                         WHERE cite = $4 AND id = $6 AND status IN ('draft', 'scheduled')",
                    )
                    .bind(&d.title)
                    .bind(&d.intro)
                    .bind(blocks(d))
                    .bind(cite)
                    .bind(d.list)
                    .bind(id)
                    .execute(&self.pool)
                    .await
                    .map_err(db)?;
                    Ok(done.rows_affected() == 1)
                }

                async fn schedule_issue(&self, cite: &str, id: i64, at: Option<&str>) -> Result<bool, StoreError> {
                    let done = sqlx::query(
                        "UPDATE newsletter_issues SET scheduled_at = $1,
                            status = CASE WHEN $1 IS NULL THEN 'draft' ELSE 'scheduled' END
                         WHERE cite = $2 AND id = $3 AND status IN ('draft', 'scheduled')",
                    )
                    .bind(at)
                    .bind(cite)
                    .bind(id)
                    .execute(&self.pool)
                    .await
                    .map_err(db)?;
                    Ok(done.rows_affected() == 1)
                }

                async fn issues(&self, cite: &str) -> Result<Vec<Issue>, StoreError> {
                    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
                        "{ISSUE} WHERE cite = $1 ORDER BY id DESC"
                    )))
                    .bind(cite)
                    .fetch_all(&self.pool)
                    .await
                    .map_err(db)?;
                    rows.iter().map(issue).collect()
                }

                async fn issue(&self, cite: &str, id: i64) -> Result<Option<Issue>, StoreError> {
                    let row = sqlx::query(sqlx::AssertSqlSafe(format!("{ISSUE} WHERE cite = $1 AND id = $2")))
                        .bind(cite)
                        .bind(id)
                        .fetch_optional(&self.pool)
                        .await
                        .map_err(db)?;
                    row.as_ref().map(issue).transpose()
                }

                async fn last_issue_at(&self, cite: &str, list: i64) -> Result<Option<String>, StoreError> {
                    sqlx::query_scalar(
                        "SELECT MAX(queued_at) FROM newsletter_issues WHERE cite = $1 AND list = $2",
                    )
                    .bind(cite)
                    .bind(list)
                    .fetch_one(&self.pool)
                    .await
                    .map_err(db)
                }

                async fn due_issues(&self, at: &str) -> Result<Vec<(String, i64)>, StoreError> {
                    sqlx::query_as(
                        "SELECT cite, id FROM newsletter_issues WHERE status = 'scheduled' AND scheduled_at <= $1
                         ORDER BY scheduled_at, id",
                    )
                    .bind(at)
                    .fetch_all(&self.pool)
                    .await
                    .map_err(db)
                }

                async fn enqueue(&self, cite: &str, id: i64, html: &str, text: &str) -> Result<Option<u64>, StoreError> {
                    let mut tx = begin_write(&self.pool).await?;
                    let at = now();
                    let list: Option<i64> = sqlx::query_scalar(
                        "UPDATE newsletter_issues SET status = 'sending', html = $1, text = $2, queued_at = $3
                         WHERE cite = $4 AND id = $5 AND status IN ('draft', 'scheduled') RETURNING list",
                    )
                    .bind(html)
                    .bind(text)
                    .bind(&at)
                    .bind(cite)
                    .bind(id)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(db)?;
                    let Some(list) = list else {
                        return Ok(None);
                    };
                    let queued = sqlx::query(
                        "INSERT INTO deliveries (issue, subscriber, status, attempts, next_at, updated_at)
                         SELECT $1, s.id, 'waiting', 0, 0, $2 FROM subscribers s
                         JOIN subscriptions l ON l.subscriber = s.id
                         WHERE l.list = $3 AND l.confirmed = TRUE AND s.status = 'confirmed' AND s.cite = $4
                         ON CONFLICT DO NOTHING",
                    )
                    .bind(id)
                    .bind(&at)
                    .bind(list)
                    .bind(cite)
                    .execute(&mut *tx)
                    .await
                    .map_err(db)?
                    .rows_affected();
                    if queued == 0 {
                        sqlx::query("UPDATE newsletter_issues SET status = 'sent', sent_at = $1 WHERE id = $2")
                            .bind(&at)
                            .bind(id)
                            .execute(&mut *tx)
                            .await
                            .map_err(db)?;
                    }
                    tx.commit().await.map_err(db)?;
                    Ok(Some(queued))
                }

                async fn claim(&self, now_unix: i64, limit: u32) -> Result<Vec<Claimed>, StoreError> {
                    let mut tx = begin_write(&self.pool).await?;
                    let taken: Vec<(i64, i64, i64)> = sqlx::query_as($claim)
                        .bind(now_unix)
                        .bind(now_unix + LEASE_SECS)
                        .bind(i64::from(limit))
                        .fetch_all(&mut *tx)
                        .await
                        .map_err(db)?;
                    let mut out = Vec::with_capacity(taken.len());
                    for (issue, subscriber, attempts) in taken {
                        let (cite, email, token): (String, String, String) = sqlx::query_as(
                            "SELECT cite, email, token FROM subscribers WHERE id = $1",
                        )
                        .bind(subscriber)
                        .fetch_one(&mut *tx)
                        .await
                        .map_err(db)?;
                        out.push(Claimed {
                            issue,
                            subscriber,
                            cite,
                            email,
                            token,
                            attempts: u32::try_from(attempts).unwrap_or(0),
                        });
                    }
                    tx.commit().await.map_err(db)?;
                    out.sort_by_key(|c| (c.issue, c.subscriber));
                    Ok(out)
                }

                async fn record(
                    &self,
                    d: &Claimed,
                    outcome: &Outcome,
                    now_unix: i64,
                    max_bounces: u32,
                ) -> Result<(), StoreError> {
                    let mut tx = begin_write(&self.pool).await?;
                    let at = now();
                    let attempts = d.attempts + 1;
                    let (status, next_at) = match outcome {
                        Outcome::Sent(_) => ("sent", 0),
                        Outcome::Temporary(_) if attempts < MAX_ATTEMPTS => {
                            ("waiting", now_unix + backoff(attempts))
                        }
                        Outcome::Temporary(_) | Outcome::Permanent(_) => ("failed", 0),
                    };
                    let changed = sqlx::query(
                        "UPDATE deliveries SET status = $1, attempts = $2, next_at = $3, answer = $4, updated_at = $5
                         WHERE issue = $6 AND subscriber = $7 AND status = 'sending'",
                    )
                    .bind(status)
                    .bind(i64::from(attempts))
                    .bind(next_at)
                    .bind(outcome.answer())
                    .bind(&at)
                    .bind(d.issue)
                    .bind(d.subscriber)
                    .execute(&mut *tx)
                    .await
                    .map_err(db)?
                    .rows_affected();
                    if changed == 0 {
                        // Recorded already (the lease ran out and another
                        // worker took it), or erased meanwhile.
                        return Ok(());
                    }
                    match outcome {
                        Outcome::Sent(_) => {
                            sqlx::query("UPDATE subscribers SET bounces = 0 WHERE id = $1 AND bounces > 0")
                                .bind(d.subscriber)
                                .execute(&mut *tx)
                                .await
                                .map_err(db)?;
                        }
                        Outcome::Permanent(answer) => {
                            let bounces: i64 = sqlx::query_scalar(
                                "UPDATE subscribers SET bounces = bounces + 1 WHERE id = $1 RETURNING bounces",
                            )
                            .bind(d.subscriber)
                            .fetch_one(&mut *tx)
                            .await
                            .map_err(db)?;
                            event(&mut tx, d.subscriber, "bounced", answer).await?;
                            if bounces >= i64::from(max_bounces) {
                                sqlx::query("UPDATE subscribers SET status = 'suspended' WHERE id = $1 AND status = 'confirmed'")
                                    .bind(d.subscriber)
                                    .execute(&mut *tx)
                                    .await
                                    .map_err(db)?;
                                cancel_waiting(&mut tx, d.subscriber, None).await?;
                                event(&mut tx, d.subscriber, "suspended", &format!("{bounces} échecs définitifs")).await?;
                            }
                        }
                        Outcome::Temporary(_) => {}
                    }
                    // Two workers recording the issue's last two deliveries
                    // at once would each see the other's still `sending` and
                    // neither close the issue (write skew at READ COMMITTED).
                    // Taking the issue's row first puts them in turn: the
                    // second one's check, a statement of its own, then sees
                    // the first one's delivery committed. On SQLite the
                    // writer is alone already and this changes nothing.
                    sqlx::query("UPDATE newsletter_issues SET status = status WHERE id = $1")
                        .bind(d.issue)
                        .execute(&mut *tx)
                        .await
                        .map_err(db)?;
                    sqlx::query(
                        "UPDATE newsletter_issues SET status = 'sent', sent_at = $1
                         WHERE id = $2 AND status = 'sending'
                           AND NOT EXISTS (SELECT 1 FROM deliveries WHERE issue = $2 AND status IN ('waiting', 'sending'))",
                    )
                    .bind(&at)
                    .bind(d.issue)
                    .execute(&mut *tx)
                    .await
                    .map_err(db)?;
                    tx.commit().await.map_err(db)
                }

                async fn progress(&self, cite: &str, id: i64) -> Result<Progress, StoreError> {
                    let rows: Vec<(String, i64)> = sqlx::query_as(
                        "SELECT d.status, COUNT(*) FROM deliveries d JOIN newsletter_issues i ON i.id = d.issue
                         WHERE i.cite = $1 AND d.issue = $2 GROUP BY d.status",
                    )
                    .bind(cite)
                    .bind(id)
                    .fetch_all(&self.pool)
                    .await
                    .map_err(db)?;
                    Ok(tally(rows))
                }

                async fn queue(&self) -> Result<Progress, StoreError> {
                    let rows: Vec<(String, i64)> =
                        sqlx::query_as("SELECT status, COUNT(*) FROM deliveries GROUP BY status")
                            .fetch_all(&self.pool)
                            .await
                            .map_err(db)?;
                    Ok(tally(rows))
                }
            }
        }
    };
}
