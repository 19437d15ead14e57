//! The instruction's half of the calls' SQL (see `calls_sql`): scores,
//! declared conflicts, private annotations and attachments, as functions
//! of the pool that [`call_store!`](crate::call_store)'s implementation
//! calls. Each checks that the application is of the cité named.

/// Expands `mod call_review` in a store crate (its `dialect` gives the
/// database and its row type).
#[macro_export]
#[doc(hidden)]
#[allow(
    clippy::crate_in_macro_def,
    reason = "`crate` is the store crate expanding it: its `dialect`"
)]
macro_rules! call_review_sql {
    () => {
        mod call_review {
            use passerelle_domain::call::Score;
            use passerelle_store::StoreError;
            use passerelle_domain::money::Cents;
            use passerelle_store::calls::{Annotation, AttachmentInfo, By, Committee, Decision, Move};
            use sqlx::Row;

            use crate::dialect::{Db, Row as DbRow, begin_write, db};

            type Pool = sqlx::Pool<Db>;

            /// Marks the call of an application as written (its revision).
            pub(super) async fn bump(
                tx: &mut crate::dialect::Conn,
                application: i64,
            ) -> Result<(), StoreError> {
                sqlx::query(
                    "UPDATE calls SET revision = revision + 1
                     WHERE id = (SELECT call_id FROM applications WHERE id = $1)",
                )
                .bind(application)
                .execute(&mut *tx)
                .await
                .map_err(db)?;
                Ok(())
            }

            /// Moves an application still in `m.from`, with its history line
            /// and the activity log's, in the caller's transaction.
            pub(super) async fn moved(
                tx: &mut crate::dialect::Conn,
                cite: &str,
                id: i64,
                m: &Move<'_>,
            ) -> Result<bool, StoreError> {
                let submitted = (m.event == passerelle_domain::call::Event::Submit).then_some(m.now);
                let moved = sqlx::query(
                    "UPDATE applications SET state = $1, step = $2, since = $3, updated_at = $3,
                         submitted_at = COALESCE($4, submitted_at)
                     WHERE cite = $5 AND id = $6 AND state = $7",
                )
                .bind(m.to.key())
                .bind(m.step.key())
                .bind(m.now)
                .bind(submitted)
                .bind(cite)
                .bind(id)
                .bind(m.from.key())
                .execute(&mut *tx)
                .await
                .map_err(db)?;
                if moved.rows_affected() != 1 {
                    return Ok(false);
                }
                sqlx::query(
                    "INSERT INTO application_events (application, at, actor, event, state, note)
                     VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(id)
                .bind(m.now)
                .bind(m.actor)
                .bind(m.event.key())
                .bind(m.to.key())
                .bind(m.note.trim())
                .execute(&mut *tx)
                .await
                .map_err(db)?;
                bump(tx, id).await?;
                // The activity log is never rewritten: an applicant's own
                // moves are logged without their address, which the
                // application's history keeps until it is erased.
                let actor = if m.event.by_applicant() {
                    "porteur de projet"
                } else {
                    m.actor
                };
                crate::catalogue_sql::log_activity(
                    tx,
                    Some(cite),
                    actor,
                    &passerelle_store::rows::rfc3339(m.now),
                    &format!("candidature-{}", m.event.key()),
                    &format!("candidature {id}"),
                    &format!("{} → {}", m.from.label(), m.to.label()),
                )
                .await?;
                Ok(true)
            }

            pub(super) async fn create_committee(
                pool: &Pool,
                cite: &str,
                call: i64,
                held_on: &str,
                members: &[String],
                by: By<'_>,
            ) -> Result<i64, StoreError> {
                let members = serde_json::to_string(members)
                    .map_err(|e| StoreError::Corrupt(format!("committee members: {e}")))?;
                let mut tx = begin_write(pool).await?;
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO committees (cite, call_id, held_on, members, created_at, actor)
                     SELECT cite, id, $1, $2, $3, $4 FROM calls WHERE cite = $5 AND id = $6
                     RETURNING id",
                )
                .bind(held_on)
                .bind(members)
                .bind(by.now)
                .bind(by.actor)
                .bind(cite)
                .bind(call)
                .fetch_one(&mut *tx)
                .await
                .map_err(db)?;
                crate::catalogue_sql::log_activity(
                    &mut tx,
                    Some(cite),
                    by.actor,
                    &passerelle_store::rows::rfc3339(by.now),
                    "comite-cree",
                    &format!("appel {call}"),
                    held_on,
                )
                .await?;
                tx.commit().await.map_err(db)?;
                Ok(id)
            }

            pub(super) async fn committees(
                pool: &Pool,
                cite: &str,
                call: i64,
            ) -> Result<Vec<Committee>, StoreError> {
                let rows = sqlx::query(
                    "SELECT id, call_id, held_on, members FROM committees
                     WHERE cite = $1 AND call_id = $2 ORDER BY held_on, id",
                )
                .bind(cite)
                .bind(call)
                .fetch_all(pool)
                .await
                .map_err(db)?;
                rows.iter()
                    .map(|r| {
                        let id: i64 = r.get(0);
                        let members: String = r.get(3);
                        Ok(Committee {
                            id,
                            call: r.get(1),
                            held_on: r.get(2),
                            members: serde_json::from_str(&members).map_err(|e| {
                                StoreError::Corrupt(format!("committees.members of {id}: {e}"))
                            })?,
                        })
                    })
                    .collect()
            }

            pub(super) async fn decide(
                pool: &Pool,
                cite: &str,
                id: i64,
                m: &Move<'_>,
                committee: i64,
                amounts: &[(String, Cents)],
            ) -> Result<bool, StoreError> {
                let mut tx = begin_write(pool).await?;
                let same_call: Option<i64> = sqlx::query_scalar(
                    "SELECT c.id FROM committees c JOIN applications a ON a.call_id = c.call_id
                     WHERE c.cite = $1 AND c.id = $2 AND a.id = $3 AND a.cite = $1",
                )
                .bind(cite)
                .bind(committee)
                .bind(id)
                .fetch_optional(&mut *tx)
                .await
                .map_err(db)?;
                if same_call.is_none() || !moved(&mut tx, cite, id, m).await? {
                    return Ok(false);
                }
                sqlx::query(
                    "INSERT INTO decisions (application, committee, decision, reason, at, actor)
                     VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(id)
                .bind(committee)
                .bind(m.to.key())
                .bind(m.note.trim())
                .bind(m.now)
                .bind(m.actor)
                .execute(&mut *tx)
                .await
                .map_err(db)?;
                for (line, (funder, cents)) in amounts.iter().enumerate() {
                    sqlx::query(
                        "INSERT INTO decision_amounts (application, line, funder, cents)
                         VALUES ($1, $2, $3, $4)",
                    )
                    .bind(id)
                    .bind(i64::try_from(line).unwrap_or(i64::MAX))
                    .bind(funder)
                    .bind(cents.0)
                    .execute(&mut *tx)
                    .await
                    .map_err(db)?;
                }
                if !amounts.is_empty() {
                    let listed = amounts
                        .iter()
                        .map(|(f, c)| format!("{f} {}", c.french()))
                        .collect::<Vec<_>>()
                        .join(" ; ");
                    sqlx::query(
                        "INSERT INTO application_events (application, at, actor, event, state, note)
                         VALUES ($1, $2, $3, 'montants', $4, $5)",
                    )
                    .bind(id)
                    .bind(m.now)
                    .bind(m.actor)
                    .bind(m.to.key())
                    .bind(format!("Montants proposés : {listed}"))
                    .execute(&mut *tx)
                    .await
                    .map_err(db)?;
                }
                tx.commit().await.map_err(db)?;
                Ok(true)
            }

            pub(super) async fn decisions(
                pool: &Pool,
                cite: &str,
                call: i64,
            ) -> Result<Vec<Decision>, StoreError> {
                let rows = sqlx::query(
                    "SELECT d.application, d.committee, d.decision, d.reason, d.at, d.actor
                     FROM decisions d JOIN applications a ON a.id = d.application
                     WHERE a.cite = $1 AND a.call_id = $2 ORDER BY d.application",
                )
                .bind(cite)
                .bind(call)
                .fetch_all(pool)
                .await
                .map_err(db)?;
                let amounts = sqlx::query(
                    "SELECT m.application, m.funder, m.cents FROM decision_amounts m
                     JOIN applications a ON a.id = m.application
                     WHERE a.cite = $1 AND a.call_id = $2 ORDER BY m.application, m.line",
                )
                .bind(cite)
                .bind(call)
                .fetch_all(pool)
                .await
                .map_err(db)?;
                rows.iter()
                    .map(|r| {
                        let application: i64 = r.get(0);
                        let key: String = r.get(2);
                        Ok(Decision {
                            application,
                            committee: r.get(1),
                            state: passerelle_domain::call::State::from_key(&key).ok_or_else(|| {
                                StoreError::Corrupt(format!("decisions.decision: `{key}`"))
                            })?,
                            reason: r.get(3),
                            at: r.get(4),
                            actor: r.get(5),
                            amounts: amounts
                                .iter()
                                .filter(|a| a.get::<i64, _>(0) == application)
                                .map(|a| (a.get(1), Cents(a.get(2))))
                                .collect(),
                        })
                    })
                    .collect()
            }

            /// Whether the application is of the cité.
            async fn owned(
                conn: &mut crate::dialect::Conn,
                cite: &str,
                application: i64,
            ) -> Result<bool, StoreError> {
                let found: Option<i64> =
                    sqlx::query_scalar("SELECT id FROM applications WHERE cite = $1 AND id = $2")
                        .bind(cite)
                        .bind(application)
                        .fetch_optional(&mut *conn)
                        .await
                        .map_err(db)?;
                Ok(found.is_some())
            }

            pub(super) async fn scores(
                pool: &Pool,
                cite: &str,
                call: i64,
            ) -> Result<Vec<(i64, Score)>, StoreError> {
                let all: Option<String> = sqlx::query_scalar(crate::dialect::SCORES_OF_CALL)
                    .bind(cite)
                    .bind(call)
                    .fetch_one(pool)
                    .await
                    .map_err(db)?;
                let corrupt = |e: String| StoreError::Corrupt(format!("scores of call {call}: {e}"));
                let rows: Vec<(i64, String, String, i64, String)> =
                    serde_json::from_str(all.as_deref().unwrap_or("[]")).map_err(|e| corrupt(e.to_string()))?;
                let mut out = rows
                    .into_iter()
                    .map(|(application, reviewer, criterion, value, comment)| {
                        Ok((
                            application,
                            Score {
                                reviewer,
                                criterion,
                                value: u32::try_from(value).map_err(|_| corrupt(format!("value {value}")))?,
                                comment,
                            },
                        ))
                    })
                    .collect::<Result<Vec<_>, StoreError>>()?;
                out.sort_by(|(a, x), (b, y)| (a, &x.reviewer, &x.criterion).cmp(&(b, &y.reviewer, &y.criterion)));
                Ok(out)
            }

            pub(super) async fn save_score(
                pool: &Pool,
                cite: &str,
                application: i64,
                score: &Score,
                now: i64,
            ) -> Result<(), StoreError> {
                let mut tx = begin_write(pool).await?;
                if !owned(&mut tx, cite, application).await? {
                    return Ok(());
                }
                sqlx::query(
                    "INSERT INTO scores (application, reviewer, criterion, value, comment, at)
                     VALUES ($1, $2, $3, $4, $5, $6)
                     ON CONFLICT (application, reviewer, criterion)
                     DO UPDATE SET value = excluded.value, comment = excluded.comment,
                         at = excluded.at",
                )
                .bind(application)
                .bind(&score.reviewer)
                .bind(&score.criterion)
                .bind(i64::from(score.value))
                .bind(score.comment.trim())
                .bind(now)
                .execute(&mut *tx)
                .await
                .map_err(db)?;
                bump(&mut tx, application).await?;
                tx.commit().await.map_err(db)
            }

            pub(super) async fn declare_conflict(
                pool: &Pool,
                cite: &str,
                application: i64,
                reviewer: &str,
                now: i64,
            ) -> Result<(), StoreError> {
                let mut tx = begin_write(pool).await?;
                if !owned(&mut tx, cite, application).await? {
                    return Ok(());
                }
                sqlx::query(
                    "INSERT INTO review_conflicts (application, reviewer, at) VALUES ($1, $2, $3)
                     ON CONFLICT DO NOTHING",
                )
                .bind(application)
                .bind(reviewer)
                .bind(now)
                .execute(&mut *tx)
                .await
                .map_err(db)?;
                sqlx::query("DELETE FROM scores WHERE application = $1 AND reviewer = $2")
                    .bind(application)
                    .bind(reviewer)
                    .execute(&mut *tx)
                    .await
                    .map_err(db)?;
                bump(&mut tx, application).await?;
                tx.commit().await.map_err(db)
            }

            pub(super) async fn conflicts(
                pool: &Pool,
                cite: &str,
                call: i64,
            ) -> Result<Vec<(i64, String)>, StoreError> {
                let rows = sqlx::query(
                    "SELECT c.application, c.reviewer FROM review_conflicts c
                     JOIN applications a ON a.id = c.application
                     WHERE a.cite = $1 AND a.call_id = $2 ORDER BY c.application, c.reviewer",
                )
                .bind(cite)
                .bind(call)
                .fetch_all(pool)
                .await
                .map_err(db)?;
                Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
            }

            pub(super) async fn annotate(
                pool: &Pool,
                cite: &str,
                application: i64,
                author: &str,
                text: &str,
                now: i64,
            ) -> Result<(), StoreError> {
                let mut tx = begin_write(pool).await?;
                if !owned(&mut tx, cite, application).await? {
                    return Ok(());
                }
                sqlx::query(
                    "INSERT INTO annotations (application, author, at, text) VALUES ($1, $2, $3, $4)",
                )
                .bind(application)
                .bind(author)
                .bind(now)
                .bind(text.trim())
                .execute(&mut *tx)
                .await
                .map_err(db)?;
                tx.commit().await.map_err(db)
            }

            pub(super) async fn annotations(
                pool: &Pool,
                cite: &str,
                application: i64,
            ) -> Result<Vec<Annotation>, StoreError> {
                let rows = sqlx::query(
                    "SELECT n.author, n.at, n.text FROM annotations n
                     JOIN applications a ON a.id = n.application
                     WHERE a.cite = $1 AND n.application = $2 ORDER BY n.id",
                )
                .bind(cite)
                .bind(application)
                .fetch_all(pool)
                .await
                .map_err(db)?;
                Ok(rows
                    .iter()
                    .map(|r| Annotation {
                        author: r.get(0),
                        at: r.get(1),
                        text: r.get(2),
                    })
                    .collect())
            }

            fn info(r: &DbRow) -> AttachmentInfo {
                AttachmentInfo {
                    id: r.get(0),
                    application: r.get(1),
                    name: r.get(2),
                    media_type: r.get(3),
                    size: r.get(4),
                    sha256: r.get(5),
                    at: r.get(6),
                }
            }

            pub(super) async fn add_attachment(
                pool: &Pool,
                cite: &str,
                info: &AttachmentInfo,
                bytes: &[u8],
            ) -> Result<i64, StoreError> {
                let mut tx = begin_write(pool).await?;
                if !owned(&mut tx, cite, info.application).await? {
                    return Err(StoreError::Corrupt(format!(
                        "attachment to application {} of another cité",
                        info.application
                    )));
                }
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO attachments (application, name, media_type, size, sha256, at, data)
                     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                )
                .bind(info.application)
                .bind(&info.name)
                .bind(&info.media_type)
                .bind(info.size)
                .bind(&info.sha256)
                .bind(info.at)
                .bind(bytes)
                .fetch_one(&mut *tx)
                .await
                .map_err(db)?;
                tx.commit().await.map_err(db)?;
                Ok(id)
            }

            pub(super) async fn attachments(
                pool: &Pool,
                cite: &str,
                application: i64,
            ) -> Result<Vec<AttachmentInfo>, StoreError> {
                let rows = sqlx::query(
                    "SELECT f.id, f.application, f.name, f.media_type, f.size, f.sha256, f.at
                     FROM attachments f JOIN applications a ON a.id = f.application
                     WHERE a.cite = $1 AND f.application = $2 ORDER BY f.id",
                )
                .bind(cite)
                .bind(application)
                .fetch_all(pool)
                .await
                .map_err(db)?;
                Ok(rows.iter().map(info).collect())
            }

            pub(super) async fn attachment(
                pool: &Pool,
                cite: &str,
                application: i64,
                id: i64,
            ) -> Result<Option<(AttachmentInfo, Vec<u8>)>, StoreError> {
                let row = sqlx::query(
                    "SELECT f.id, f.application, f.name, f.media_type, f.size, f.sha256, f.at, f.data
                     FROM attachments f JOIN applications a ON a.id = f.application
                     WHERE a.cite = $1 AND f.application = $2 AND f.id = $3",
                )
                .bind(cite)
                .bind(application)
                .bind(id)
                .fetch_optional(pool)
                .await
                .map_err(db)?;
                Ok(row.map(|r| (info(&r), r.get(7))))
            }

            pub(super) async fn delete_attachment(
                pool: &Pool,
                cite: &str,
                application: i64,
                id: i64,
            ) -> Result<bool, StoreError> {
                let mut tx = begin_write(pool).await?;
                if !owned(&mut tx, cite, application).await? {
                    return Ok(false);
                }
                let done = sqlx::query("DELETE FROM attachments WHERE application = $1 AND id = $2")
                    .bind(application)
                    .bind(id)
                    .execute(&mut *tx)
                    .await
                    .map_err(db)?;
                tx.commit().await.map_err(db)?;
                Ok(done.rows_affected() == 1)
            }
        }
    };
}
