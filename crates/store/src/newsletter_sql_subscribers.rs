//! The newsletter's SQL for subscribers (see `newsletter_sql.rs`): the
//! helpers both halves use, and the subscriber methods, as an inherent
//! `impl` the trait's implementation calls.

/// Expanded by [`crate::newsletter_store!`]: the subscriber half.
#[macro_export]
#[doc(hidden)]
#[allow(
    clippy::crate_in_macro_def,
    reason = "`crate` is the store crate expanding it: its pool, `db`, `begin_write` and `now`"
)]
macro_rules! newsletter_subscribers {
    ($store:ty, $row:ty, $conn:ty) => {
        mod newsletter_subscribers {
            use passerelle_domain::newsletter::{Subscribed, Subscriber, SubscriberEvent, SubscriberStatus};
            use passerelle_store::{Imported, StoreError, Subscription};
            use sqlx::Row;

            use crate::dialect::{begin_write, db, now};

            pub(crate) const SUBSCRIBER: &str = "SELECT id, cite, email, status, consent_source, consent_at,
                confirmed_at, bounces, created_at, token FROM subscribers";

            pub(crate) fn subscriber(r: &$row, lists: Vec<i64>) -> Result<Subscriber, StoreError> {
                let status: String = r.get(3);
                let bounces: i64 = r.get(7);
                Ok(Subscriber {
                    id: r.get(0),
                    cite: r.get(1),
                    email: r.get(2),
                    status: SubscriberStatus::from_key(&status).ok_or_else(|| {
                        StoreError::Corrupt(format!("subscribers.status: `{status}`"))
                    })?,
                    lists,
                    consent_source: r.get(4),
                    consent_at: r.get(5),
                    confirmed_at: r.get(6),
                    bounces: u32::try_from(bounces).unwrap_or(0),
                    created_at: r.get(8),
                    token: r.get(9),
                })
            }

            pub(crate) async fn event(
                tx: &mut $conn,
                subscriber: i64,
                event: &str,
                detail: &str,
            ) -> Result<(), StoreError> {
                sqlx::query(
                    "INSERT INTO subscriber_events (subscriber, at, event, detail) VALUES ($1, $2, $3, $4)",
                )
                .bind(subscriber)
                .bind(now())
                .bind(event)
                .bind(detail)
                .execute(&mut *tx)
                .await
                .map_err(db)?;
                Ok(())
            }

            /// The confirmed lists of each subscriber of a cité (or of one).
            pub(crate) async fn confirmed_lists(
                tx: &mut $conn,
                cite: &str,
                one: Option<i64>,
            ) -> Result<std::collections::HashMap<i64, Vec<i64>>, StoreError> {
                let rows = sqlx::query(
                    "SELECT l.subscriber, l.list FROM subscriptions l JOIN subscribers s ON s.id = l.subscriber
                     WHERE s.cite = $1 AND l.confirmed = TRUE AND ($2 IS NULL OR s.id = $2) ORDER BY l.list",
                )
                .bind(cite)
                .bind(one)
                .fetch_all(&mut *tx)
                .await
                .map_err(db)?;
                let mut out: std::collections::HashMap<i64, Vec<i64>> = Default::default();
                for r in rows {
                    out.entry(r.get(0)).or_default().push(r.get(1));
                }
                Ok(out)
            }

            /// Cancels the deliveries still waiting for a subscriber (of the
            /// issues of one list, or of all).
            pub(crate) async fn cancel_waiting(
                tx: &mut $conn,
                subscriber: i64,
                list: Option<i64>,
            ) -> Result<(), StoreError> {
                sqlx::query(
                    "UPDATE deliveries SET status = 'cancelled', updated_at = $1
                     WHERE subscriber = $2 AND status = 'waiting'
                       AND ($3 IS NULL OR issue IN (SELECT id FROM newsletter_issues WHERE list = $3))",
                )
                .bind(now())
                .bind(subscriber)
                .bind(list)
                .execute(&mut *tx)
                .await
                .map_err(db)?;
                Ok(())
            }

            /// The ids among `wanted` of the cité's lists (public ones only,
            /// unless `any`).
            pub(crate) async fn lists_of(
                tx: &mut $conn,
                cite: &str,
                wanted: &[i64],
                any: bool,
            ) -> Result<Vec<i64>, StoreError> {
                let mut out = Vec::new();
                for id in wanted {
                    let found: Option<i64> = sqlx::query_scalar(
                        "SELECT id FROM newsletter_lists WHERE cite = $1 AND id = $2 AND (public = TRUE OR $3)",
                    )
                    .bind(cite)
                    .bind(id)
                    .bind(any)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(db)?;
                    if let Some(id) = found {
                        if !out.contains(&id) {
                            out.push(id);
                        }
                    }
                }
                Ok(out)
            }

            impl $store {
                pub(crate) async fn nl_subscribe(&self, s: &Subscription<'_>) -> Result<Subscribed, StoreError> {
                    let mut tx = begin_write(&self.pool).await?;
                    let lists = lists_of(&mut tx, s.cite, s.lists, false).await?;
                    if lists.is_empty() {
                        return Ok(Subscribed::Nothing);
                    }
                    let at = now();
                    let existing: Option<i64> = sqlx::query_scalar(
                        "UPDATE subscribers SET confirm_hash = $1, confirm_expires = $2,
                            status = CASE WHEN status IN ('unsubscribed', 'suspended') THEN 'pending' ELSE status END
                         WHERE cite = $3 AND email = $4 RETURNING id",
                    )
                    .bind(s.confirm_hash)
                    .bind(s.confirm_expires)
                    .bind(s.cite)
                    .bind(s.email)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(db)?;
                    let id = match existing {
                        Some(id) => id,
                        None => sqlx::query_scalar(
                            "INSERT INTO subscribers (cite, email, status, token, consent_source, consent_at,
                                confirm_hash, confirm_expires, created_at)
                             VALUES ($1, $2, 'pending', $3, 'formulaire', $4, $5, $6, $4) RETURNING id",
                        )
                        .bind(s.cite)
                        .bind(s.email)
                        .bind(s.token)
                        .bind(&at)
                        .bind(s.confirm_hash)
                        .bind(s.confirm_expires)
                        .fetch_one(&mut *tx)
                        .await
                        .map_err(db)?,
                    };
                    for l in &lists {
                        sqlx::query(
                            "INSERT INTO subscriptions (subscriber, list, since, confirmed) VALUES ($1, $2, $3, FALSE)
                             ON CONFLICT DO NOTHING",
                        )
                        .bind(id)
                        .bind(l)
                        .bind(&at)
                        .execute(&mut *tx)
                        .await
                        .map_err(db)?;
                    }
                    let names: Vec<String> = lists.iter().map(i64::to_string).collect();
                    event(&mut tx, id, "subscribed", &format!("listes {}", names.join(", "))).await?;
                    tx.commit().await.map_err(db)?;
                    Ok(Subscribed::Confirm)
                }

                pub(crate) async fn nl_confirm(&self, hash: &str, now_unix: i64) -> Result<Option<Subscriber>, StoreError> {
                    let mut tx = begin_write(&self.pool).await?;
                    let at = now();
                    let id: Option<i64> = sqlx::query_scalar(
                        "UPDATE subscribers SET status = 'confirmed', confirmed_at = $1, consent_at = $1,
                            consent_source = 'formulaire', confirm_hash = NULL, confirm_expires = NULL, bounces = 0
                         WHERE confirm_hash = $2 AND confirm_expires > $3 RETURNING id",
                    )
                    .bind(&at)
                    .bind(hash)
                    .bind(now_unix)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(db)?;
                    let Some(id) = id else {
                        return Ok(None);
                    };
                    sqlx::query("UPDATE subscriptions SET confirmed = TRUE WHERE subscriber = $1")
                        .bind(id)
                        .execute(&mut *tx)
                        .await
                        .map_err(db)?;
                    event(&mut tx, id, "confirmed", "").await?;
                    let row = sqlx::query(sqlx::AssertSqlSafe(format!("{SUBSCRIBER} WHERE id = $1")))
                        .bind(id)
                        .fetch_one(&mut *tx)
                        .await
                        .map_err(db)?;
                    let cite: String = row.get(1);
                    let lists = confirmed_lists(&mut tx, &cite, Some(id)).await?;
                    let found = subscriber(&row, lists.get(&id).cloned().unwrap_or_default())?;
                    tx.commit().await.map_err(db)?;
                    Ok(Some(found))
                }

                pub(crate) async fn nl_subscriber_by_token(&self, token: &str) -> Result<Option<Subscriber>, StoreError> {
                    let mut conn = self.pool.acquire().await.map_err(db)?;
                    let row = sqlx::query(sqlx::AssertSqlSafe(format!("{SUBSCRIBER} WHERE token = $1")))
                        .bind(token)
                        .fetch_optional(&mut *conn)
                        .await
                        .map_err(db)?;
                    let Some(row) = row else {
                        return Ok(None);
                    };
                    let (id, cite): (i64, String) = (row.get(0), row.get(1));
                    let lists = confirmed_lists(&mut conn, &cite, Some(id)).await?;
                    subscriber(&row, lists.get(&id).cloned().unwrap_or_default()).map(Some)
                }

                pub(crate) async fn nl_set_lists(&self, token: &str, wanted: &[i64]) -> Result<bool, StoreError> {
                    let mut tx = begin_write(&self.pool).await?;
                    let found: Option<(i64, String)> = sqlx::query_as(
                        "SELECT id, cite FROM subscribers WHERE token = $1",
                    )
                    .bind(token)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(db)?;
                    let Some((id, cite)) = found else {
                        return Ok(false);
                    };
                    // A list they receive stays offered even when it is not public.
                    let held: Vec<i64> = sqlx::query_scalar(
                        "SELECT list FROM subscriptions WHERE subscriber = $1",
                    )
                    .bind(id)
                    .fetch_all(&mut *tx)
                    .await
                    .map_err(db)?;
                    let mut lists = lists_of(&mut tx, &cite, wanted, false).await?;
                    let kept: Vec<i64> = wanted
                        .iter()
                        .copied()
                        .filter(|w| held.contains(w) && !lists.contains(w))
                        .collect();
                    lists.extend(kept);
                    let at = now();
                    for old in held.iter().filter(|h| !lists.contains(h)) {
                        sqlx::query("DELETE FROM subscriptions WHERE subscriber = $1 AND list = $2")
                            .bind(id)
                            .bind(old)
                            .execute(&mut *tx)
                            .await
                            .map_err(db)?;
                        cancel_waiting(&mut tx, id, Some(*old)).await?;
                    }
                    for l in &lists {
                        sqlx::query(
                            "INSERT INTO subscriptions (subscriber, list, since, confirmed) VALUES ($1, $2, $3, TRUE)
                             ON CONFLICT (subscriber, list) DO UPDATE SET confirmed = TRUE",
                        )
                        .bind(id)
                        .bind(l)
                        .bind(&at)
                        .execute(&mut *tx)
                        .await
                        .map_err(db)?;
                    }
                    let status = if lists.is_empty() { "unsubscribed" } else { "confirmed" };
                    sqlx::query(
                        "UPDATE subscribers SET status = $1, bounces = CASE WHEN $1 = 'confirmed' THEN 0 ELSE bounces END,
                            confirmed_at = COALESCE(confirmed_at, $2) WHERE id = $3",
                    )
                    .bind(status)
                    .bind(&at)
                    .bind(id)
                    .execute(&mut *tx)
                    .await
                    .map_err(db)?;
                    let names: Vec<String> = lists.iter().map(i64::to_string).collect();
                    if lists.is_empty() {
                        event(&mut tx, id, "unsubscribed", "page des préférences").await?;
                    } else {
                        event(&mut tx, id, "lists", &format!("listes {}", names.join(", "))).await?;
                    }
                    tx.commit().await.map_err(db)?;
                    Ok(true)
                }

                pub(crate) async fn nl_unsubscribe(&self, token: &str) -> Result<bool, StoreError> {
                    let mut tx = begin_write(&self.pool).await?;
                    let id: Option<i64> = sqlx::query_scalar(
                        "UPDATE subscribers SET status = 'unsubscribed', confirm_hash = NULL, confirm_expires = NULL
                         WHERE token = $1 RETURNING id",
                    )
                    .bind(token)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(db)?;
                    let Some(id) = id else {
                        return Ok(false);
                    };
                    sqlx::query("DELETE FROM subscriptions WHERE subscriber = $1")
                        .bind(id)
                        .execute(&mut *tx)
                        .await
                        .map_err(db)?;
                    cancel_waiting(&mut tx, id, None).await?;
                    event(&mut tx, id, "unsubscribed", "lien de désinscription").await?;
                    tx.commit().await.map_err(db)?;
                    Ok(true)
                }

                pub(crate) async fn nl_import_subscribers(
                    &self,
                    cite: &str,
                    emails: &[(String, String)],
                    wanted: &[i64],
                    basis: &str,
                    actor: &str,
                ) -> Result<Imported, StoreError> {
                    let mut tx = begin_write(&self.pool).await?;
                    let lists = lists_of(&mut tx, cite, wanted, true).await?;
                    let at = now();
                    let source = format!("import : {basis}");
                    let mut out = Imported::default();
                    for (email, token) in emails {
                        let found: Option<(i64, String)> = sqlx::query_as(
                            "SELECT id, status FROM subscribers WHERE cite = $1 AND email = $2",
                        )
                        .bind(cite)
                        .bind(email)
                        .fetch_optional(&mut *tx)
                        .await
                        .map_err(db)?;
                        let id = match found {
                            Some((_, status)) if status == "unsubscribed" || status == "suspended" => {
                                out.refused.push(email.clone());
                                continue;
                            }
                            Some((id, status)) => {
                                out.known += 1;
                                if status == "pending" {
                                    sqlx::query(
                                        "UPDATE subscribers SET status = 'confirmed', consent_source = $1, consent_at = $2,
                                            confirmed_at = $2 WHERE id = $3",
                                    )
                                    .bind(&source)
                                    .bind(&at)
                                    .bind(id)
                                    .execute(&mut *tx)
                                    .await
                                    .map_err(db)?;
                                }
                                id
                            }
                            None => {
                                out.added += 1;
                                sqlx::query_scalar(
                                    "INSERT INTO subscribers (cite, email, status, token, consent_source, consent_at,
                                        confirmed_at, created_at)
                                     VALUES ($1, $2, 'confirmed', $3, $4, $5, $5, $5) RETURNING id",
                                )
                                .bind(cite)
                                .bind(email)
                                .bind(token)
                                .bind(&source)
                                .bind(&at)
                                .fetch_one(&mut *tx)
                                .await
                                .map_err(db)?
                            }
                        };
                        for l in &lists {
                            sqlx::query(
                                "INSERT INTO subscriptions (subscriber, list, since, confirmed) VALUES ($1, $2, $3, TRUE)
                                 ON CONFLICT (subscriber, list) DO UPDATE SET confirmed = TRUE",
                            )
                            .bind(id)
                            .bind(l)
                            .bind(&at)
                            .execute(&mut *tx)
                            .await
                            .map_err(db)?;
                        }
                        event(&mut tx, id, "imported", &format!("{source} (par {actor})")).await?;
                    }
                    tx.commit().await.map_err(db)?;
                    Ok(out)
                }

                pub(crate) async fn nl_subscribers(&self, cite: &str) -> Result<Vec<Subscriber>, StoreError> {
                    let mut conn = self.pool.acquire().await.map_err(db)?;
                    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
                        "{SUBSCRIBER} WHERE cite = $1 ORDER BY email, id"
                    )))
                    .bind(cite)
                    .fetch_all(&mut *conn)
                    .await
                    .map_err(db)?;
                    let mut lists = confirmed_lists(&mut conn, cite, None).await?;
                    rows.iter()
                        .map(|r| {
                            let id: i64 = r.get(0);
                            subscriber(r, lists.remove(&id).unwrap_or_default())
                        })
                        .collect()
                }

                pub(crate) async fn nl_subscriber(
                    &self,
                    cite: &str,
                    id: i64,
                ) -> Result<Option<(Subscriber, Vec<SubscriberEvent>)>, StoreError> {
                    let mut conn = self.pool.acquire().await.map_err(db)?;
                    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
                        "{SUBSCRIBER} WHERE cite = $1 AND id = $2"
                    )))
                    .bind(cite)
                    .bind(id)
                    .fetch_optional(&mut *conn)
                    .await
                    .map_err(db)?;
                    let Some(row) = row else {
                        return Ok(None);
                    };
                    let lists = confirmed_lists(&mut conn, cite, Some(id)).await?;
                    let found = subscriber(&row, lists.get(&id).cloned().unwrap_or_default())?;
                    let events = sqlx::query_as::<_, (String, String, String)>(
                        "SELECT at, event, detail FROM subscriber_events WHERE subscriber = $1 ORDER BY id",
                    )
                    .bind(id)
                    .fetch_all(&mut *conn)
                    .await
                    .map_err(db)?
                    .into_iter()
                    .map(|(at, event, detail)| SubscriberEvent { at, event, detail })
                    .collect();
                    Ok(Some((found, events)))
                }

                pub(crate) async fn nl_erase_subscriber(&self, cite: &str, id: i64) -> Result<bool, StoreError> {
                    let done = sqlx::query("DELETE FROM subscribers WHERE cite = $1 AND id = $2")
                        .bind(cite)
                        .bind(id)
                        .execute(&self.pool)
                        .await
                        .map_err(db)?;
                    Ok(done.rows_affected() == 1)
                }

                pub(crate) async fn nl_erase_unconfirmed(&self, now_unix: i64) -> Result<u64, StoreError> {
                    let mut tx = begin_write(&self.pool).await?;
                    let erased = sqlx::query(
                        "DELETE FROM subscribers WHERE status = 'pending' AND confirmed_at IS NULL
                            AND confirm_expires IS NOT NULL AND confirm_expires <= $1",
                    )
                    .bind(now_unix)
                    .execute(&mut *tx)
                    .await
                    .map_err(db)?
                    .rows_affected();
                    // Those who had confirmed before keep what they had
                    // confirmed, and lose the lists asked for since.
                    sqlx::query(
                        "DELETE FROM subscriptions WHERE confirmed = FALSE AND subscriber IN
                            (SELECT id FROM subscribers WHERE confirm_expires IS NOT NULL AND confirm_expires <= $1)",
                    )
                    .bind(now_unix)
                    .execute(&mut *tx)
                    .await
                    .map_err(db)?;
                    sqlx::query(
                        "UPDATE subscribers SET confirm_hash = NULL, confirm_expires = NULL,
                            status = CASE WHEN status = 'pending' THEN 'unsubscribed' ELSE status END
                         WHERE confirm_expires IS NOT NULL AND confirm_expires <= $1",
                    )
                    .bind(now_unix)
                    .execute(&mut *tx)
                    .await
                    .map_err(db)?;
                    tx.commit().await.map_err(db)?;
                    Ok(erased)
                }
            }
        }
    };
}
