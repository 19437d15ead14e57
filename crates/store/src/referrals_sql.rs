//! The referrals' SQL, written once for both databases (the statements are
//! the same in SQLite and PostgreSQL): [`referral_store!`] expands into each
//! store crate's [`crate::ReferralStore`] implementation.

/// Implements [`crate::ReferralStore`] for a store crate's type, which has
/// a `pool` field and the crate functions `db` and `begin_write`.
#[macro_export]
#[allow(
    clippy::crate_in_macro_def,
    reason = "`crate` is the store crate expanding it: its pool, `db` and `begin_write`"
)]
macro_rules! referral_store {
    ($store:ty, $row:ty) => {
        mod referral_impl {
            use async_trait::async_trait;
            use passerelle_domain::referral::{
                Details, Due, Event, HistoryLine, Referral, State, Stat, DAY, REMINDER_DAYS, due,
            };
            use passerelle_store::{NewReferral, ReferralStore, StoreError};
            use sqlx::Row;

            use crate::dialect::{begin_write, db};

            const REFERRAL: &str = "SELECT id, cite, fiche, sender, state, sent_at, since,
                answered_at, closed_at, reminded_at, erased_at, details FROM referrals";

            fn state(key: &str) -> Result<State, StoreError> {
                State::from_key(key)
                    .ok_or_else(|| StoreError::Corrupt(format!("referrals.state: `{key}`")))
            }

            fn referral(r: &$row) -> Result<Referral, StoreError> {
                let id: i64 = r.get(0);
                let fiche: i64 = r.get(2);
                let key: String = r.get(4);
                let details: Option<String> = r.get(11);
                Ok(Referral {
                    id,
                    cite: r.get(1),
                    fiche: u32::try_from(fiche).map_err(|_| {
                        StoreError::Corrupt(format!("referrals.fiche of {id}: {fiche}"))
                    })?,
                    sender: r.get(3),
                    state: state(&key)?,
                    sent_at: r.get(5),
                    since: r.get(6),
                    answered_at: r.get(7),
                    closed_at: r.get(8),
                    reminded_at: r.get(9),
                    erased_at: r.get(10),
                    details: details
                        .map(|d| {
                            serde_json::from_str::<Details>(&d).map_err(|e| {
                                StoreError::Corrupt(format!("referrals.details of {id}: {e}"))
                            })
                        })
                        .transpose()?,
                    history: Vec::new(),
                })
            }

            impl $store {
                async fn referral_history(&self, id: i64) -> Result<Vec<HistoryLine>, StoreError> {
                    let rows = sqlx::query(
                        "SELECT at, actor, event, state, note FROM referral_events
                         WHERE referral = $1 ORDER BY id",
                    )
                    .bind(id)
                    .fetch_all(&self.pool)
                    .await
                    .map_err(db)?;
                    rows.iter()
                        .map(|r| {
                            let key: String = r.get(3);
                            Ok(HistoryLine {
                                at: r.get(0),
                                actor: r.get(1),
                                event: r.get(2),
                                state: state(&key)?,
                                note: r.get(4),
                            })
                        })
                        .collect()
                }

                async fn referral_list(
                    &self,
                    sql: &'static str,
                    cite: &str,
                    key: Key<'_>,
                ) -> Result<Vec<Referral>, StoreError> {
                    let query = sqlx::query(sql).bind(cite.to_owned());
                    let query = match key {
                        Key::Sender(sender) => query.bind(sender.to_owned()),
                        Key::Fiche(fiche) => query.bind(i64::from(fiche)),
                    };
                    let rows = query.fetch_all(&self.pool).await.map_err(db)?;
                    rows.iter().map(referral).collect()
                }
            }

            /// Whose referrals a list holds.
            enum Key<'a> {
                Sender(&'a str),
                Fiche(u32),
            }

            #[async_trait]
            impl ReferralStore for $store {
                async fn create_referral(&self, new: &NewReferral<'_>) -> Result<i64, StoreError> {
                    let details = serde_json::to_string(new.details)
                        .map_err(|e| StoreError::Corrupt(format!("referral details: {e}")))?;
                    let mut tx = begin_write(&self.pool).await?;
                    let id: i64 = sqlx::query_scalar(
                        "INSERT INTO referrals (cite, fiche, sender, state, sent_at, since, details,
                             link_hash, link_expires)
                         VALUES ($1, $2, $3, 'envoyee', $4, $4, $5, $6, $7) RETURNING id",
                    )
                    .bind(new.cite)
                    .bind(i64::from(new.fiche))
                    .bind(new.sender)
                    .bind(new.now)
                    .bind(details)
                    .bind(new.link_hash)
                    .bind(new.link_expires)
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(db)?;
                    sqlx::query(
                        "INSERT INTO referral_events (referral, at, actor, event, state, note)
                         VALUES ($1, $2, $3, 'envoyee', 'envoyee', '')",
                    )
                    .bind(id)
                    .bind(new.now)
                    .bind(new.sender)
                    .execute(&mut *tx)
                    .await
                    .map_err(db)?;
                    tx.commit().await.map_err(db)?;
                    Ok(id)
                }

                async fn referral(&self, cite: &str, id: i64) -> Result<Option<Referral>, StoreError> {
                    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
                        "{REFERRAL} WHERE cite = $1 AND id = $2"
                    )))
                    .bind(cite)
                    .bind(id)
                    .fetch_optional(&self.pool)
                    .await
                    .map_err(db)?;
                    let Some(row) = row else { return Ok(None) };
                    let mut r = referral(&row)?;
                    r.history = self.referral_history(id).await?;
                    Ok(Some(r))
                }

                async fn referral_by_link(
                    &self,
                    link_hash: &str,
                ) -> Result<Option<(Referral, i64)>, StoreError> {
                    let row = sqlx::query(
                        "SELECT id, cite, fiche, sender, state, sent_at, since, answered_at,
                             closed_at, reminded_at, erased_at, details, link_expires
                         FROM referrals WHERE link_hash = $1",
                    )
                    .bind(link_hash)
                    .fetch_optional(&self.pool)
                    .await
                    .map_err(db)?;
                    let Some(row) = row else { return Ok(None) };
                    let mut r = referral(&row)?;
                    let expires: Option<i64> = row.get(12);
                    r.history = self.referral_history(r.id).await?;
                    Ok(Some((r, expires.unwrap_or(0))))
                }

                async fn move_referral(
                    &self,
                    cite: &str,
                    id: i64,
                    event: &Event,
                    actor: &str,
                    now: i64,
                ) -> Result<Option<State>, StoreError> {
                    let mut tx = begin_write(&self.pool).await?;
                    let current: Option<String> = sqlx::query_scalar(
                        "SELECT state FROM referrals WHERE cite = $1 AND id = $2 AND erased_at IS NULL",
                    )
                    .bind(cite)
                    .bind(id)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(db)?;
                    let Some(current) = current else { return Ok(None) };
                    let current = state(&current)?;
                    let Some(next) = event.next(current) else { return Ok(None) };
                    let answered = event.is_answer().then_some(now);
                    let closed = next.is_closed().then_some(now);
                    // Conditional on the state read: of two answers at once,
                    // the second finds the state changed and writes nothing.
                    let moved = sqlx::query(
                        "UPDATE referrals SET state = $1, since = $2,
                             answered_at = COALESCE(answered_at, $3), closed_at = $4,
                             reminded_at = NULL
                         WHERE cite = $5 AND id = $6 AND state = $7",
                    )
                    .bind(next.key())
                    .bind(now)
                    .bind(answered)
                    .bind(closed)
                    .bind(cite)
                    .bind(id)
                    .bind(current.key())
                    .execute(&mut *tx)
                    .await
                    .map_err(db)?;
                    if moved.rows_affected() != 1 {
                        return Ok(None);
                    }
                    sqlx::query(
                        "INSERT INTO referral_events (referral, at, actor, event, state, note)
                         VALUES ($1, $2, $3, $4, $5, $6)",
                    )
                    .bind(id)
                    .bind(now)
                    .bind(actor)
                    .bind(event.key())
                    .bind(next.key())
                    .bind(event.note().trim())
                    .execute(&mut *tx)
                    .await
                    .map_err(db)?;
                    tx.commit().await.map_err(db)?;
                    Ok(Some(next))
                }

                async fn renew_link(
                    &self,
                    cite: &str,
                    id: i64,
                    link_hash: &str,
                    expires: i64,
                    remind: bool,
                    now: i64,
                ) -> Result<bool, StoreError> {
                    let mut tx = begin_write(&self.pool).await?;
                    let done: Option<String> = if remind {
                        sqlx::query_scalar(
                            "UPDATE referrals SET link_hash = $1, link_expires = $2, reminded_at = $3
                             WHERE cite = $4 AND id = $5 AND state = 'envoyee'
                                 AND reminded_at IS NULL AND erased_at IS NULL
                             RETURNING state",
                        )
                        .bind(link_hash)
                        .bind(expires)
                        .bind(now)
                        .bind(cite)
                        .bind(id)
                        .fetch_optional(&mut *tx)
                        .await
                    } else {
                        sqlx::query_scalar(
                            "UPDATE referrals SET link_hash = $1, link_expires = $2
                             WHERE cite = $3 AND id = $4 AND erased_at IS NULL
                             RETURNING state",
                        )
                        .bind(link_hash)
                        .bind(expires)
                        .bind(cite)
                        .bind(id)
                        .fetch_optional(&mut *tx)
                        .await
                    }
                    .map_err(db)?;
                    let Some(after) = done else { return Ok(false) };
                    sqlx::query(
                        "INSERT INTO referral_events (referral, at, actor, event, state, note)
                         VALUES ($1, $2, $3, $4, $5, '')",
                    )
                    .bind(id)
                    .bind(now)
                    .bind(if remind { "horloge" } else { "lien" })
                    .bind(if remind { "relance" } else { "lien-renouvele" })
                    .bind(after)
                    .execute(&mut *tx)
                    .await
                    .map_err(db)?;
                    tx.commit().await.map_err(db)?;
                    Ok(true)
                }

                async fn note_access(
                    &self,
                    cite: &str,
                    id: i64,
                    actor: &str,
                    now: i64,
                ) -> Result<(), StoreError> {
                    let mut tx = begin_write(&self.pool).await?;
                    sqlx::query(
                        "INSERT INTO referral_events (referral, at, actor, event, state, note)
                         SELECT id, $1, $2, 'consultee', state, '' FROM referrals
                         WHERE cite = $3 AND id = $4",
                    )
                    .bind(now)
                    .bind(actor)
                    .bind(cite)
                    .bind(id)
                    .execute(&mut *tx)
                    .await
                    .map_err(db)?;
                    tx.commit().await.map_err(db)
                }

                async fn referrals_sent(
                    &self,
                    cite: &str,
                    sender: &str,
                ) -> Result<Vec<Referral>, StoreError> {
                    const SQL: &str = "SELECT id, cite, fiche, sender, state, sent_at, since,
                        answered_at, closed_at, reminded_at, erased_at, details FROM referrals
                        WHERE cite = $1 AND sender = $2 ORDER BY sent_at DESC, id DESC";
                    self.referral_list(SQL, cite, Key::Sender(sender)).await
                }

                async fn referrals_to(
                    &self,
                    cite: &str,
                    fiche: u32,
                ) -> Result<Vec<Referral>, StoreError> {
                    const SQL: &str = "SELECT id, cite, fiche, sender, state, sent_at, since,
                        answered_at, closed_at, reminded_at, erased_at, details FROM referrals
                        WHERE cite = $1 AND fiche = $2 ORDER BY sent_at DESC, id DESC";
                    self.referral_list(SQL, cite, Key::Fiche(fiche)).await
                }

                async fn referral_stats(&self, cite: &str) -> Result<Vec<Stat>, StoreError> {
                    let rows = sqlx::query(
                        "SELECT fiche, state, sent_at, answered_at FROM referrals
                         WHERE cite = $1 ORDER BY id",
                    )
                    .bind(cite)
                    .fetch_all(&self.pool)
                    .await
                    .map_err(db)?;
                    rows.iter()
                        .map(|r| {
                            let fiche: i64 = r.get(0);
                            let key: String = r.get(1);
                            Ok(Stat {
                                fiche: u32::try_from(fiche).unwrap_or(0),
                                state: state(&key)?,
                                sent_at: r.get(2),
                                answered_at: r.get(3),
                            })
                        })
                        .collect()
                }

                async fn due_referrals(
                    &self,
                    now: i64,
                    retention_days: u32,
                ) -> Result<Vec<(String, i64, Due)>, StoreError> {
                    let rows = sqlx::query(
                        "SELECT id, cite, fiche, sender, state, sent_at, since,
                             answered_at, closed_at, reminded_at, erased_at, NULL FROM referrals
                         WHERE (state IN ('envoyee', 'a-completer') AND since <= $1)
                            OR (closed_at IS NOT NULL AND erased_at IS NULL AND closed_at <= $2)
                         ORDER BY id",
                    )
                    .bind(now - REMINDER_DAYS * DAY)
                    .bind(now - i64::from(retention_days) * DAY)
                    .fetch_all(&self.pool)
                    .await
                    .map_err(db)?;
                    let mut out = Vec::new();
                    for row in &rows {
                        let r = referral(row)?;
                        if let Some(what) = due(&r, now, retention_days) {
                            out.push((r.cite, r.id, what));
                        }
                    }
                    Ok(out)
                }

                async fn erase_referral(
                    &self,
                    cite: &str,
                    id: i64,
                    now: i64,
                ) -> Result<bool, StoreError> {
                    let mut tx = begin_write(&self.pool).await?;
                    let done = sqlx::query(
                        "UPDATE referrals SET details = NULL, link_hash = NULL, link_expires = NULL,
                             erased_at = $1
                         WHERE cite = $2 AND id = $3 AND erased_at IS NULL",
                    )
                    .bind(now)
                    .bind(cite)
                    .bind(id)
                    .execute(&mut *tx)
                    .await
                    .map_err(db)?;
                    if done.rows_affected() != 1 {
                        return Ok(false);
                    }
                    sqlx::query("UPDATE referral_events SET note = '' WHERE referral = $1")
                        .bind(id)
                        .execute(&mut *tx)
                        .await
                        .map_err(db)?;
                    tx.commit().await.map_err(db)?;
                    Ok(true)
                }
            }
        }
    };
}
