//! The calls' SQL, written once for both databases (the statements are the
//! same in SQLite and PostgreSQL): [`call_store!`] expands into each store
//! crate's [`crate::CallStore`] implementation; the instruction's half
//! (scores, conflicts, annotations, attachments) is in `calls_sql_review`.

/// Implements [`crate::CallStore`] for a store crate's type (`$store`,
/// with a `pool` field); `$row` is the crate's row type.
#[macro_export]
#[doc(hidden)]
#[allow(
    clippy::crate_in_macro_def,
    reason = "`crate` is the store crate expanding it: its pool and its `dialect`"
)]
macro_rules! call_store {
    ($store:ty, $row:ty) => {
        mod call_impl {
            use async_trait::async_trait;
            use passerelle_domain::call::application::{Application, Form, HistoryLine};
            use passerelle_domain::call::{Call, Score, State, StepKind};
            use passerelle_domain::money::Cents;
            use passerelle_store::calls::{
                Annotation, AttachmentInfo, By, Committee, Decision, Move, StoredCall,
            };
            use passerelle_store::{CallStore, StoreError};
            use sqlx::Row;

            use crate::dialect::{begin_write, db};

            fn corrupt(what: String) -> StoreError {
                StoreError::Corrupt(what)
            }

            pub(super) fn state(key: &str) -> Result<State, StoreError> {
                State::from_key(key).ok_or_else(|| corrupt(format!("applications.state: `{key}`")))
            }

            const CALL: &str =
                "SELECT id, cite, body, version, published_at, reviewers, revision FROM calls";

            fn stored_call(r: &$row) -> Result<StoredCall, StoreError> {
                let id: i64 = r.get(0);
                let body: String = r.get(2);
                let reviewers: String = r.get(5);
                Ok(StoredCall {
                    id,
                    cite: r.get(1),
                    call: serde_json::from_str::<Call>(&body)
                        .map_err(|e| corrupt(format!("calls.body of {id}: {e}")))?,
                    version: r.get(3),
                    published_at: r.get(4),
                    reviewers: serde_json::from_str(&reviewers)
                        .map_err(|e| corrupt(format!("calls.reviewers of {id}: {e}")))?,
                    revision: r.get(6),
                })
            }

            const APPLICATION: &str = "SELECT id, cite, call_id, applicant, state, step, form,
                created_at, submitted_at, since FROM applications";

            /// An application's columns, in the order of [`APPLICATION`].
            type Columns = (i64, String, i64, String, String, String, Form, i64, Option<i64>, i64);

            fn assemble(c: Columns) -> Result<Application, StoreError> {
                let (id, cite, call, applicant, state_key, step, form, created_at, submitted_at, since) = c;
                Ok(Application {
                    id,
                    cite,
                    call,
                    applicant,
                    state: state(&state_key)?,
                    step: StepKind::from_key(&step)
                        .ok_or_else(|| corrupt(format!("applications.step of {id}: `{step}`")))?,
                    form,
                    created_at,
                    submitted_at,
                    since,
                    history: Vec::new(),
                })
            }

            fn application(r: &$row) -> Result<Application, StoreError> {
                let id: i64 = r.get(0);
                let form: String = r.get(6);
                assemble((
                    id,
                    r.get(1),
                    r.get(2),
                    r.get(3),
                    r.get(4),
                    r.get(5),
                    serde_json::from_str::<Form>(&form)
                        .map_err(|e| corrupt(format!("applications.form of {id}: {e}")))?,
                    r.get(7),
                    r.get(8),
                    r.get(9),
                ))
            }

            fn call_json(call: &Call) -> Result<String, StoreError> {
                serde_json::to_string(call).map_err(|e| corrupt(format!("call JSON: {e}")))
            }

            fn form_json(form: &Form) -> Result<String, StoreError> {
                serde_json::to_string(form).map_err(|e| corrupt(format!("form JSON: {e}")))
            }

            impl $store {
                async fn application_history(
                    &self,
                    id: i64,
                ) -> Result<Vec<HistoryLine>, StoreError> {
                    let rows = sqlx::query(
                        "SELECT at, actor, event, state, note FROM application_events
                         WHERE application = $1 ORDER BY id",
                    )
                    .bind(id)
                    .fetch_all(&self.pool)
                    .await
                    .map_err(db)?;
                    rows.iter()
                        .map(|r| {
                            Ok(HistoryLine {
                                at: r.get(0),
                                actor: r.get(1),
                                event: r.get(2),
                                state: state(&r.get::<String, _>(3))?,
                                note: r.get(4),
                            })
                        })
                        .collect()
                }
            }

            #[async_trait]
            impl CallStore for $store {
                async fn create_call(
                    &self,
                    cite: &str,
                    call: &Call,
                    actor: &str,
                    now: i64,
                ) -> Result<i64, StoreError> {
                    let mut tx = begin_write(&self.pool).await?;
                    let id: i64 = sqlx::query_scalar(
                        "INSERT INTO calls (cite, body, version, created_at, updated_at)
                         VALUES ($1, $2, 1, $3, $3) RETURNING id",
                    )
                    .bind(cite)
                    .bind(call_json(call)?)
                    .bind(now)
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(db)?;
                    crate::catalogue_sql::log_activity(
                        &mut tx,
                        Some(cite),
                        actor,
                        &passerelle_store::rows::rfc3339(now),
                        "appel-cree",
                        &format!("appel {id}"),
                        &call.title,
                    )
                    .await?;
                    tx.commit().await.map_err(db)?;
                    Ok(id)
                }

                async fn save_call(
                    &self,
                    cite: &str,
                    id: i64,
                    call: &Call,
                    version: i64,
                    publish: bool,
                    by: By<'_>,
                ) -> Result<Option<i64>, StoreError> {
                    let (actor, now) = (by.actor, by.now);
                    let mut tx = begin_write(&self.pool).await?;
                    let saved: Option<i64> = sqlx::query_scalar(
                        "UPDATE calls SET body = $1, version = version + 1, revision = revision + 1, updated_at = $2,
                             published_at = CASE WHEN $3 THEN COALESCE(published_at, $2)
                                                 ELSE published_at END
                         WHERE cite = $4 AND id = $5 AND version = $6 RETURNING version",
                    )
                    .bind(call_json(call)?)
                    .bind(now)
                    .bind(publish)
                    .bind(cite)
                    .bind(id)
                    .bind(version)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(db)?;
                    let Some(saved) = saved else { return Ok(None) };
                    crate::catalogue_sql::log_activity(
                        &mut tx,
                        Some(cite),
                        actor,
                        &passerelle_store::rows::rfc3339(now),
                        if publish { "appel-publie" } else { "appel-modifie" },
                        &format!("appel {id}"),
                        &call.title,
                    )
                    .await?;
                    tx.commit().await.map_err(db)?;
                    Ok(Some(saved))
                }

                async fn call(&self, cite: &str, id: i64) -> Result<Option<StoredCall>, StoreError> {
                    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
                        "{CALL} WHERE cite = $1 AND id = $2"
                    )))
                    .bind(cite)
                    .bind(id)
                    .fetch_optional(&self.pool)
                    .await
                    .map_err(db)?;
                    row.as_ref().map(stored_call).transpose()
                }

                async fn calls(&self, cite: &str) -> Result<Vec<StoredCall>, StoreError> {
                    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
                        "{CALL} WHERE cite = $1 ORDER BY id DESC"
                    )))
                    .bind(cite)
                    .fetch_all(&self.pool)
                    .await
                    .map_err(db)?;
                    rows.iter().map(stored_call).collect()
                }

                async fn set_reviewers(
                    &self,
                    cite: &str,
                    call: i64,
                    reviewers: &[String],
                    actor: &str,
                    now: i64,
                ) -> Result<(), StoreError> {
                    let mut sorted: Vec<String> = reviewers.to_vec();
                    sorted.sort();
                    sorted.dedup();
                    let list = serde_json::to_string(&sorted)
                        .map_err(|e| corrupt(format!("reviewers JSON: {e}")))?;
                    let mut tx = begin_write(&self.pool).await?;
                    let done = sqlx::query("UPDATE calls SET reviewers = $1, revision = revision + 1 WHERE cite = $2 AND id = $3")
                        .bind(list)
                        .bind(cite)
                        .bind(call)
                        .execute(&mut *tx)
                        .await
                        .map_err(db)?;
                    if done.rows_affected() != 1 {
                        return Ok(());
                    }
                    crate::catalogue_sql::log_activity(
                        &mut tx,
                        Some(cite),
                        actor,
                        &passerelle_store::rows::rfc3339(now),
                        "appel-evaluateurs",
                        &format!("appel {call}"),
                        &reviewers.join(", "),
                    )
                    .await?;
                    tx.commit().await.map_err(db)
                }

                async fn create_application(
                    &self,
                    cite: &str,
                    call: i64,
                    applicant: &str,
                    step: StepKind,
                    now: i64,
                ) -> Result<i64, StoreError> {
                    let mut tx = begin_write(&self.pool).await?;
                    let id: i64 = sqlx::query_scalar(
                        "INSERT INTO applications (cite, call_id, applicant, state, step, form,
                             created_at, updated_at, since)
                         SELECT cite, id, $1, 'brouillon', $2, $3, $4, $4, $4 FROM calls
                         WHERE cite = $5 AND id = $6 RETURNING id",
                    )
                    .bind(applicant)
                    .bind(step.key())
                    .bind(form_json(&Form::default())?)
                    .bind(now)
                    .bind(cite)
                    .bind(call)
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(db)?;
                    sqlx::query(
                        "INSERT INTO application_events (application, at, actor, event, state, note)
                         VALUES ($1, $2, $3, 'cree', 'brouillon', '')",
                    )
                    .bind(id)
                    .bind(now)
                    .bind(applicant)
                    .execute(&mut *tx)
                    .await
                    .map_err(db)?;
                    tx.commit().await.map_err(db)?;
                    Ok(id)
                }

                async fn application(
                    &self,
                    cite: &str,
                    id: i64,
                ) -> Result<Option<Application>, StoreError> {
                    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
                        "{APPLICATION} WHERE cite = $1 AND id = $2"
                    )))
                    .bind(cite)
                    .bind(id)
                    .fetch_optional(&self.pool)
                    .await
                    .map_err(db)?;
                    let Some(row) = row else { return Ok(None) };
                    let mut a = application(&row)?;
                    a.history = self.application_history(id).await?;
                    Ok(Some(a))
                }

                async fn applications_of(
                    &self,
                    cite: &str,
                    applicant: &str,
                ) -> Result<Vec<Application>, StoreError> {
                    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
                        "{APPLICATION} WHERE cite = $1 AND applicant = $2 ORDER BY id DESC"
                    )))
                    .bind(cite)
                    .bind(applicant)
                    .fetch_all(&self.pool)
                    .await
                    .map_err(db)?;
                    rows.iter().map(application).collect()
                }

                async fn applications_to(
                    &self,
                    cite: &str,
                    call: i64,
                ) -> Result<Vec<Application>, StoreError> {
                    // One row holding them all (the driver hands each row
                    // across threads).
                    let all: Option<String> = sqlx::query_scalar(crate::dialect::APPLICATIONS_OF_CALL)
                        .bind(cite)
                        .bind(call)
                        .fetch_one(&self.pool)
                        .await
                        .map_err(db)?;
                    let rows: Vec<Columns> = serde_json::from_str(all.as_deref().unwrap_or("[]"))
                        .map_err(|e| corrupt(format!("applications of call {call}: {e}")))?;
                    let mut out = rows.into_iter().map(assemble).collect::<Result<Vec<_>, _>>()?;
                    out.sort_by_key(|a| a.id);
                    Ok(out)
                }

                async fn save_form(
                    &self,
                    cite: &str,
                    id: i64,
                    applicant: &str,
                    form: &Form,
                    now: i64,
                ) -> Result<bool, StoreError> {
                    let mut tx = begin_write(&self.pool).await?;
                    let done = sqlx::query(
                        "UPDATE applications SET form = $1, updated_at = $2
                         WHERE cite = $3 AND id = $4 AND applicant = $5
                             AND state IN ('brouillon', 'a-completer')",
                    )
                    .bind(form_json(form)?)
                    .bind(now)
                    .bind(cite)
                    .bind(id)
                    .bind(applicant)
                    .execute(&mut *tx)
                    .await
                    .map_err(db)?;
                    if done.rows_affected() == 1 {
                        super::call_review::bump(&mut tx, id).await?;
                    }
                    tx.commit().await.map_err(db)?;
                    Ok(done.rows_affected() == 1)
                }

                async fn delete_draft(
                    &self,
                    cite: &str,
                    id: i64,
                    applicant: &str,
                ) -> Result<bool, StoreError> {
                    let mut tx = begin_write(&self.pool).await?;
                    let done = sqlx::query(
                        "DELETE FROM applications WHERE cite = $1 AND id = $2 AND applicant = $3
                             AND state = 'brouillon' AND submitted_at IS NULL",
                    )
                    .bind(cite)
                    .bind(id)
                    .bind(applicant)
                    .execute(&mut *tx)
                    .await
                    .map_err(db)?;
                    tx.commit().await.map_err(db)?;
                    Ok(done.rows_affected() == 1)
                }

                async fn move_application(
                    &self,
                    cite: &str,
                    id: i64,
                    m: &Move<'_>,
                ) -> Result<bool, StoreError> {
                    let mut tx = begin_write(&self.pool).await?;
                    if !super::call_review::moved(&mut tx, cite, id, m).await? {
                        return Ok(false);
                    }
                    tx.commit().await.map_err(db)?;
                    Ok(true)
                }

                async fn scores(
                    &self,
                    cite: &str,
                    call: i64,
                ) -> Result<Vec<(i64, Score)>, StoreError> {
                    super::call_review::scores(&self.pool, cite, call).await
                }

                async fn save_score(
                    &self,
                    cite: &str,
                    application: i64,
                    score: &Score,
                    now: i64,
                ) -> Result<(), StoreError> {
                    super::call_review::save_score(&self.pool, cite, application, score, now).await
                }

                async fn declare_conflict(
                    &self,
                    cite: &str,
                    application: i64,
                    reviewer: &str,
                    now: i64,
                ) -> Result<(), StoreError> {
                    super::call_review::declare_conflict(&self.pool, cite, application, reviewer, now)
                        .await
                }

                async fn conflicts(
                    &self,
                    cite: &str,
                    call: i64,
                ) -> Result<Vec<(i64, String)>, StoreError> {
                    super::call_review::conflicts(&self.pool, cite, call).await
                }

                async fn annotate(
                    &self,
                    cite: &str,
                    application: i64,
                    author: &str,
                    text: &str,
                    now: i64,
                ) -> Result<(), StoreError> {
                    super::call_review::annotate(&self.pool, cite, application, author, text, now)
                        .await
                }

                async fn annotations(
                    &self,
                    cite: &str,
                    application: i64,
                ) -> Result<Vec<Annotation>, StoreError> {
                    super::call_review::annotations(&self.pool, cite, application).await
                }

                async fn add_attachment(
                    &self,
                    cite: &str,
                    info: &AttachmentInfo,
                    bytes: &[u8],
                ) -> Result<i64, StoreError> {
                    super::call_review::add_attachment(&self.pool, cite, info, bytes).await
                }

                async fn attachments(
                    &self,
                    cite: &str,
                    application: i64,
                ) -> Result<Vec<AttachmentInfo>, StoreError> {
                    super::call_review::attachments(&self.pool, cite, application).await
                }

                async fn attachment(
                    &self,
                    cite: &str,
                    application: i64,
                    id: i64,
                ) -> Result<Option<(AttachmentInfo, Vec<u8>)>, StoreError> {
                    super::call_review::attachment(&self.pool, cite, application, id).await
                }

                async fn delete_attachment(
                    &self,
                    cite: &str,
                    application: i64,
                    id: i64,
                ) -> Result<bool, StoreError> {
                    super::call_review::delete_attachment(&self.pool, cite, application, id).await
                }

                async fn create_committee(
                    &self,
                    cite: &str,
                    call: i64,
                    held_on: &str,
                    members: &[String],
                    by: By<'_>,
                ) -> Result<i64, StoreError> {
                    super::call_review::create_committee(&self.pool, cite, call, held_on, members, by)
                        .await
                }

                async fn committees(
                    &self,
                    cite: &str,
                    call: i64,
                ) -> Result<Vec<Committee>, StoreError> {
                    super::call_review::committees(&self.pool, cite, call).await
                }

                async fn decide(
                    &self,
                    cite: &str,
                    id: i64,
                    m: &Move<'_>,
                    committee: i64,
                    amounts: &[(String, Cents)],
                ) -> Result<bool, StoreError> {
                    super::call_review::decide(&self.pool, cite, id, m, committee, amounts).await
                }

                async fn decisions(
                    &self,
                    cite: &str,
                    call: i64,
                ) -> Result<Vec<Decision>, StoreError> {
                    super::call_review::decisions(&self.pool, cite, call).await
                }

                async fn due_erasures(&self, before: i64) -> Result<Vec<(String, i64)>, StoreError> {
                    let rows = sqlx::query(
                        "SELECT cite, id FROM applications
                         WHERE state IN ('refusee', 'sans-suite') AND erased_at IS NULL AND since < $1
                         ORDER BY id",
                    )
                    .bind(before)
                    .fetch_all(&self.pool)
                    .await
                    .map_err(db)?;
                    Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
                }

                async fn erase_application(
                    &self,
                    cite: &str,
                    id: i64,
                    now: i64,
                ) -> Result<bool, StoreError> {
                    let mut tx = begin_write(&self.pool).await?;
                    let row = sqlx::query(
                        "SELECT form, applicant FROM applications
                         WHERE cite = $1 AND id = $2 AND erased_at IS NULL",
                    )
                    .bind(cite)
                    .bind(id)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(db)?;
                    let Some(row) = row else { return Ok(false) };
                    let (form, applicant): (String, String) = (row.get(0), row.get(1));
                    let form: Form = serde_json::from_str(&form)
                        .map_err(|e| corrupt(format!("applications.form of {id}: {e}")))?;
                    sqlx::query(
                        "UPDATE applications SET form = $1, applicant = '', erased_at = $2
                         WHERE cite = $3 AND id = $4",
                    )
                    .bind(form_json(&form.erased())?)
                    .bind(now)
                    .bind(cite)
                    .bind(id)
                    .execute(&mut *tx)
                    .await
                    .map_err(db)?;
                    sqlx::query(
                        "UPDATE application_events SET actor = 'porteur de projet'
                         WHERE application = $1 AND actor = $2",
                    )
                    .bind(id)
                    .bind(&applicant)
                    .execute(&mut *tx)
                    .await
                    .map_err(db)?;
                    for statement in [
                        "DELETE FROM attachments WHERE application = $1",
                        "DELETE FROM annotations WHERE application = $1",
                        "UPDATE scores SET comment = '' WHERE application = $1",
                    ] {
                        sqlx::query(statement)
                            .bind(id)
                            .execute(&mut *tx)
                            .await
                            .map_err(db)?;
                    }
                    super::call_review::bump(&mut tx, id).await?;
                    tx.commit().await.map_err(db)?;
                    Ok(true)
                }

                async fn log_application(
                    &self,
                    cite: &str,
                    id: i64,
                    event: &str,
                    note: &str,
                    by: By<'_>,
                ) -> Result<bool, StoreError> {
                    let mut tx = begin_write(&self.pool).await?;
                    let done = sqlx::query(
                        "INSERT INTO application_events (application, at, actor, event, state, note)
                         SELECT id, $1, $2, $3, state, $4 FROM applications WHERE cite = $5 AND id = $6",
                    )
                    .bind(by.now)
                    .bind(by.actor)
                    .bind(event)
                    .bind(note)
                    .bind(cite)
                    .bind(id)
                    .execute(&mut *tx)
                    .await
                    .map_err(db)?;
                    if done.rows_affected() != 1 {
                        return Ok(false);
                    }
                    crate::catalogue_sql::log_activity(
                        &mut tx,
                        Some(cite),
                        by.actor,
                        &passerelle_store::rows::rfc3339(by.now),
                        &format!("candidature-{event}"),
                        &format!("candidature {id}"),
                        note,
                    )
                    .await?;
                    tx.commit().await.map_err(db)?;
                    Ok(true)
                }
            }
        }
    };
}
