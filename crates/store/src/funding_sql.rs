//! The money's SQL, written once for both databases: [`funding_store!`]
//! expands into each store crate's [`crate::FundingStore`]. A save takes
//! the cité's money lock (the dialect's `lock_event`, keyed `financement`:
//! nothing under SQLite, whose writes are one at a time; an advisory lock
//! under PostgreSQL), so that reading a line, comparing and writing it
//! with its history is one step whatever the other servers do.

/// Implements [`crate::FundingStore`] for a store crate's type (`$store`,
/// with a `pool` field); `$row` is the crate's row type.
#[macro_export]
#[doc(hidden)]
#[allow(
    clippy::crate_in_macro_def,
    reason = "`crate` is the store crate expanding it: its pool and its `dialect`"
)]
macro_rules! funding_store {
    ($store:ty, $row:ty) => {
        mod funding_impl {
            use async_trait::async_trait;
            use passerelle_domain::funding::history::{envelope_changes, line_changes};
            use passerelle_domain::funding::{
                Convention, Envelope, Funder, FundingLine, Nature, Payment, read_date,
            };
            use passerelle_domain::money::Cents;
            use passerelle_store::calls::By;
            use passerelle_domain::funding::report::{Report, ReportState};
            use passerelle_domain::funding::revue::Revue;
            use passerelle_store::funding::{
                HistoryEntry, LineKey, Put, Saved, StoredLine, StoredReport, StoredRevue, Subject,
                Totals,
            };
            use passerelle_store::{FundingStore, StoreError};
            use sqlx::Row;

            use crate::dialect::{begin_write, db, lock_event};

            const LINE: &str = "SELECT fiche, year, funder, scheme, nature, requested, proposed,
                voted, committed, decision_date, decision_ref, convention_ref, convention_date,
                payments, version FROM funding_lines";

            fn corrupt(what: String) -> StoreError {
                StoreError::Corrupt(what)
            }

            /// A line as the dialect's `LINES_OF_CITE` aggregates it.
            type Aggregated = (
                i64,
                i64,
                String,
                String,
                String,
                i64,
                i64,
                i64,
                i64,
                Option<String>,
                String,
                String,
                Option<String>,
                Vec<Payment>,
                i64,
            );

            fn aggregated(a: Aggregated) -> Result<StoredLine, StoreError> {
                let (fiche, year, key, scheme, nature, requested, proposed, voted, committed,
                    decision_date, decision_ref, convention_ref, convention_date, payments, version) = a;
                let decision = date("decision_date", decision_date)?;
                let convention = date("convention_date", convention_date)?;
                Ok(StoredLine {
                    line: FundingLine {
                        fiche: u32::try_from(fiche)
                            .map_err(|_| corrupt(format!("funding_lines.fiche: {fiche}")))?,
                        year: i32::try_from(year)
                            .map_err(|_| corrupt(format!("funding_lines.year: {year}")))?,
                        funder: funder(&key)?,
                        scheme,
                        nature: Nature::read(&nature)
                            .ok_or_else(|| corrupt(format!("funding_lines.nature: `{nature}`")))?,
                        requested: Cents(requested),
                        proposed: Cents(proposed),
                        voted: Cents(voted),
                        committed: Cents(committed),
                        decision: decision.map(|d| (d, decision_ref)),
                        convention: convention.map(|date| Convention {
                            reference: convention_ref,
                            date,
                        }),
                        payments,
                    },
                    version,
                })
            }

            fn stored_revue(r: &$row) -> Result<StoredRevue, StoreError> {
                let year: i64 = r.get(1);
                Ok(StoredRevue {
                    cite: r.get(0),
                    year: i32::try_from(year)
                        .map_err(|_| corrupt(format!("revues.year: {year}")))?,
                    revue: decode::<Revue>(Some(r.get(2)))?.unwrap_or_default(),
                    version: r.get(3),
                })
            }

            fn report_state(key: &str) -> Result<ReportState, StoreError> {
                ReportState::from_key(key)
                    .ok_or_else(|| corrupt(format!("funding_reports.state: `{key}`")))
            }

            fn funder(key: &str) -> Result<Funder, StoreError> {
                Funder::from_key(key).ok_or_else(|| corrupt(format!("funder `{key}`")))
            }

            fn date(column: &str, iso: Option<String>) -> Result<Option<passerelle_domain::Date>, StoreError> {
                iso.map(|d| read_date(&d).ok_or_else(|| corrupt(format!("{column}: `{d}`"))))
                    .transpose()
            }

            /// A line's row (the columns of `LINE`), read as the aggregated
            /// form is.
            fn stored_line(r: &$row) -> Result<StoredLine, StoreError> {
                let payments: String = r.get(13);
                aggregated((
                    r.get(0),
                    r.get(1),
                    r.get(2),
                    r.get(3),
                    r.get(4),
                    r.get(5),
                    r.get(6),
                    r.get(7),
                    r.get(8),
                    r.get(9),
                    r.get(10),
                    r.get(11),
                    r.get(12),
                    serde_json::from_str::<Vec<Payment>>(&payments)
                        .map_err(|e| corrupt(format!("funding_lines.payments: {e}")))?,
                    r.get(14),
                ))
            }

            use passerelle_store::funding::{from_json as decode, to_json as json};

            async fn history(
                tx: &mut crate::dialect::Conn,
                cite: &str,
                subject: &Subject,
                by: By<'_>,
                origin: &str,
                (old, new): (Option<String>, Option<String>),
            ) -> Result<(), StoreError> {
                sqlx::query(
                    "INSERT INTO funding_history (cite, subject, at, actor, origin, old_body, new_body)
                     VALUES ($1, $2, $3, $4, $5, $6, $7)",
                )
                .bind(cite)
                .bind(subject.key())
                .bind(by.now)
                .bind(by.actor)
                .bind(origin)
                .bind(old)
                .bind(new)
                .execute(&mut *tx)
                .await
                .map_err(db)?;
                Ok(())
            }

            /// Writes a line, returning whether it was added (`Some(true)`),
            /// changed (`Some(false)`) or the same (`None`); `Err(None)`
            /// when it is not at the version expected.
            async fn put_line(
                tx: &mut crate::dialect::Conn,
                cite: &str,
                line: &FundingLine,
                expected: Option<i64>,
                by: By<'_>,
                origin: &str,
            ) -> Result<Option<bool>, Option<StoreError>> {
                let row = sqlx::query(sqlx::AssertSqlSafe(format!(
                    "{LINE} WHERE cite = $1 AND fiche = $2 AND year = $3 AND funder = $4"
                )))
                .bind(cite)
                .bind(i64::from(line.fiche))
                .bind(i64::from(line.year))
                .bind(line.funder.key())
                .fetch_optional(&mut *tx)
                .await
                .map_err(|e| Some(db(e)))?;
                let stored = row.as_ref().map(stored_line).transpose().map_err(Some)?;
                let version = stored.as_ref().map_or(0, |s| s.version);
                if expected.is_some_and(|v| v != version) {
                    return Err(None);
                }
                if stored.as_ref().is_some_and(|s| &s.line == line) {
                    return Ok(None);
                }
                let sql = if stored.is_some() {
                    "UPDATE funding_lines SET scheme = $5, nature = $6, requested = $7,
                         proposed = $8, voted = $9, committed = $10, paid = $11,
                         decision_date = $12, decision_ref = $13, convention_ref = $14,
                         convention_date = $15, payments = $16, version = $17, updated_at = $18
                     WHERE cite = $1 AND fiche = $2 AND year = $3 AND funder = $4"
                } else {
                    "INSERT INTO funding_lines (cite, fiche, year, funder, scheme, nature,
                         requested, proposed, voted, committed, paid, decision_date,
                         decision_ref, convention_ref, convention_date, payments, version,
                         updated_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15,
                         $16, $17, $18)"
                };
                sqlx::query(sql)
                    .bind(cite)
                    .bind(i64::from(line.fiche))
                    .bind(i64::from(line.year))
                    .bind(line.funder.key())
                    .bind(&line.scheme)
                    .bind(line.nature.key())
                    .bind(line.requested.0)
                    .bind(line.proposed.0)
                    .bind(line.voted.0)
                    .bind(line.committed.0)
                    .bind(line.paid().0)
                    .bind(line.decision.as_ref().map(|d| d.0.iso()))
                    .bind(line.decision.as_ref().map_or("", |d| d.1.as_str()))
                    .bind(line.convention.as_ref().map_or("", |c| c.reference.as_str()))
                    .bind(line.convention.as_ref().map(|c| c.date.iso()))
                    .bind(json(&line.payments).map_err(Some)?)
                    .bind(version + 1)
                    .bind(by.now)
                    .execute(&mut *tx)
                    .await
                    .map_err(|e| Some(db(e)))?;
                // The sums follow: the difference this write makes.
                let amounts = |l: Option<&FundingLine>| {
                    l.map_or([0; 6], |l| {
                        [1, l.requested.0, l.proposed.0, l.voted.0, l.committed.0, l.paid().0]
                    })
                };
                let (before, after) = (amounts(stored.as_ref().map(|s| &s.line)), amounts(Some(line)));
                let delta: Vec<i64> = after.iter().zip(before).map(|(a, b)| a - b).collect();
                sqlx::query(
                    "INSERT INTO funding_sums (cite, year, funder, lines, requested, proposed,
                         voted, committed, paid)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
                     ON CONFLICT (cite, year, funder) DO UPDATE SET
                         lines = funding_sums.lines + excluded.lines,
                         requested = funding_sums.requested + excluded.requested,
                         proposed = funding_sums.proposed + excluded.proposed,
                         voted = funding_sums.voted + excluded.voted,
                         committed = funding_sums.committed + excluded.committed,
                         paid = funding_sums.paid + excluded.paid",
                )
                .bind(cite)
                .bind(i64::from(line.year))
                .bind(line.funder.key())
                .bind(delta[0])
                .bind(delta[1])
                .bind(delta[2])
                .bind(delta[3])
                .bind(delta[4])
                .bind(delta[5])
                .execute(&mut *tx)
                .await
                .map_err(|e| Some(db(e)))?;
                let old = stored.as_ref().map(|s| json(&s.line)).transpose().map_err(Some)?;
                let new = Some(json(line).map_err(Some)?);
                history(tx, cite, &Subject::of_line(line), by, origin, (old, new))
                    .await
                    .map_err(Some)?;
                Ok(Some(stored.is_none()))
            }

            async fn put_envelope(
                tx: &mut crate::dialect::Conn,
                cite: &str,
                envelope: &Envelope,
                by: By<'_>,
                origin: &str,
            ) -> Result<Option<bool>, StoreError> {
                let source = envelope.source.key();
                let amount: Option<i64> = sqlx::query_scalar(
                    "SELECT amount FROM envelopes WHERE cite = $1 AND year = $2 AND source = $3",
                )
                .bind(cite)
                .bind(i64::from(envelope.year))
                .bind(&source)
                .fetch_optional(&mut *tx)
                .await
                .map_err(db)?;
                if amount == Some(envelope.amount.0) {
                    return Ok(None);
                }
                sqlx::query(
                    "INSERT INTO envelopes (cite, year, source, amount, updated_at)
                     VALUES ($1, $2, $3, $4, $5)
                     ON CONFLICT (cite, year, source)
                     DO UPDATE SET amount = excluded.amount, updated_at = excluded.updated_at",
                )
                .bind(cite)
                .bind(i64::from(envelope.year))
                .bind(&source)
                .bind(envelope.amount.0)
                .bind(by.now)
                .execute(&mut *tx)
                .await
                .map_err(db)?;
                let old = amount
                    .map(|a| {
                        json(&Envelope {
                            amount: Cents(a),
                            ..envelope.clone()
                        })
                    })
                    .transpose()?;
                let subject = Subject::Envelope {
                    year: envelope.year,
                    source: envelope.source.clone(),
                };
                history(tx, cite, &subject, by, origin, (old, Some(json(envelope)?))).await?;
                Ok(Some(amount.is_none()))
            }


            #[async_trait]
            impl FundingStore for $store {
                async fn funding_lines(
                    &self,
                    cite: &str,
                    year: Option<i32>,
                ) -> Result<Vec<StoredLine>, StoreError> {
                    let all: Option<String> = sqlx::query_scalar(crate::dialect::LINES_OF_CITE)
                        .bind(cite)
                        .bind(year.map(i64::from))
                        .fetch_one(&self.pool)
                        .await
                        .map_err(db)?;
                    let rows: Vec<Aggregated> = serde_json::from_str(all.as_deref().unwrap_or("[]"))
                        .map_err(|e| corrupt(format!("funding_lines of {cite}: {e}")))?;
                    rows.into_iter().map(aggregated).collect()
                }

                async fn funding_line(
                    &self,
                    cite: &str,
                    fiche: u32,
                    year: i32,
                    funder: &Funder,
                ) -> Result<Option<StoredLine>, StoreError> {
                    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
                        "{LINE} WHERE cite = $1 AND fiche = $2 AND year = $3 AND funder = $4"
                    )))
                    .bind(cite)
                    .bind(i64::from(fiche))
                    .bind(i64::from(year))
                    .bind(funder.key())
                    .fetch_optional(&self.pool)
                    .await
                    .map_err(db)?;
                    row.as_ref().map(stored_line).transpose()
                }

                async fn envelopes(
                    &self,
                    cite: &str,
                    year: Option<i32>,
                ) -> Result<Vec<Envelope>, StoreError> {
                    let rows = sqlx::query(
                        "SELECT year, source, amount FROM envelopes
                         WHERE cite = $1 AND ($2 IS NULL OR year = $2) ORDER BY year, source",
                    )
                    .bind(cite)
                    .bind(year.map(i64::from))
                    .fetch_all(&self.pool)
                    .await
                    .map_err(db)?;
                    rows.iter()
                        .map(|r| {
                            let year: i64 = r.get(0);
                            let key: String = r.get(1);
                            Ok(Envelope {
                                year: i32::try_from(year)
                                    .map_err(|_| corrupt(format!("envelopes.year: {year}")))?,
                                source: funder(&key)?,
                                amount: Cents(r.get(2)),
                            })
                        })
                        .collect()
                }

                async fn save_funding(
                    &self,
                    cite: &str,
                    puts: &[Put],
                    by: By<'_>,
                    origin: &str,
                ) -> Result<Option<Saved>, StoreError> {
                    let mut tx = begin_write(&self.pool).await?;
                    lock_event(&mut tx, cite, "financement").await?;
                    let mut saved = Saved::default();
                    for put in puts {
                        let done = match put {
                            Put::Line { line, expected } => {
                                match put_line(&mut tx, cite, line, *expected, by, origin).await {
                                    Ok(done) => done,
                                    Err(None) => return Ok(None),
                                    Err(Some(e)) => return Err(e),
                                }
                            }
                            Put::Envelope(e) => put_envelope(&mut tx, cite, e, by, origin).await?,
                        };
                        match done {
                            Some(true) => saved.added += 1,
                            Some(false) => saved.updated += 1,
                            None => saved.unchanged += 1,
                        }
                    }
                    tx.commit().await.map_err(db)?;
                    Ok(Some(saved))
                }

                async fn funding_history(
                    &self,
                    cite: &str,
                    subject: &Subject,
                ) -> Result<Vec<HistoryEntry>, StoreError> {
                    let rows = sqlx::query(
                        "SELECT at, actor, origin, old_body, new_body FROM funding_history
                         WHERE cite = $1 AND subject = $2 ORDER BY id",
                    )
                    .bind(cite)
                    .bind(subject.key())
                    .fetch_all(&self.pool)
                    .await
                    .map_err(db)?;
                    rows.iter()
                        .map(|r| {
                            let (old, new): (Option<String>, Option<String>) = (r.get(3), r.get(4));
                            let changes = match subject {
                                Subject::Line { .. } => line_changes(
                                    decode::<FundingLine>(old)?.as_ref(),
                                    decode::<FundingLine>(new)?.as_ref(),
                                ),
                                Subject::Envelope { .. } => envelope_changes(
                                    decode::<Envelope>(old)?.as_ref(),
                                    decode::<Envelope>(new)?.as_ref(),
                                ),
                            };
                            Ok(HistoryEntry {
                                at: r.get(0),
                                actor: r.get(1),
                                origin: r.get(2),
                                changes,
                            })
                        })
                        .collect()
                }

                async fn funding_totals(&self, year: Option<i32>) -> Result<Vec<Totals>, StoreError> {
                    let all: Option<String> = sqlx::query_scalar(crate::dialect::SUMS_OF_YEAR)
                        .bind(year.map(i64::from))
                        .fetch_one(&self.pool)
                        .await
                        .map_err(db)?;
                    type Row = (String, i64, String, i64, i64, i64, i64, i64, i64);
                    let rows: Vec<Row> = serde_json::from_str(all.as_deref().unwrap_or("[]"))
                        .map_err(|e| corrupt(format!("funding_sums: {e}")))?;
                    rows.into_iter()
                        .map(|(cite, year, key, lines, requested, proposed, voted, committed, paid)| {
                            Ok(Totals {
                                cite,
                                year: i32::try_from(year)
                                    .map_err(|_| corrupt(format!("funding_sums.year: {year}")))?,
                                funder: funder(&key)?,
                                lines,
                                requested: Cents(requested),
                                proposed: Cents(proposed),
                                voted: Cents(voted),
                                committed: Cents(committed),
                                paid: Cents(paid),
                            })
                        })
                        .collect()
                }

                async fn funding_report(
                    &self,
                    cite: &str,
                    key: &LineKey,
                ) -> Result<Option<StoredReport>, StoreError> {
                    let row = sqlx::query(
                        "SELECT body, state, version, submitted_at, submitted_by, accepted_at,
                             accepted_by FROM funding_reports
                         WHERE cite = $1 AND fiche = $2 AND year = $3 AND funder = $4",
                    )
                    .bind(cite)
                    .bind(i64::from(key.0))
                    .bind(i64::from(key.1))
                    .bind(key.2.key())
                    .fetch_optional(&self.pool)
                    .await
                    .map_err(db)?;
                    let Some(r) = row else { return Ok(None) };
                    let state: String = r.get(1);
                    let (submitted_at, submitted_by): (Option<i64>, Option<String>) =
                        (r.get(3), r.get(4));
                    let (accepted_at, accepted_by): (Option<i64>, Option<String>) =
                        (r.get(5), r.get(6));
                    Ok(Some(StoredReport {
                        report: decode::<Report>(Some(r.get(0)))?.unwrap_or_default(),
                        state: report_state(&state)?,
                        version: r.get(2),
                        submitted: submitted_at.zip(submitted_by),
                        accepted: accepted_at.zip(accepted_by),
                    }))
                }

                async fn funding_reports(
                    &self,
                    cite: &str,
                    year: Option<i32>,
                ) -> Result<Vec<(LineKey, ReportState)>, StoreError> {
                    let rows = sqlx::query(
                        "SELECT fiche, year, funder, state FROM funding_reports
                         WHERE cite = $1 AND ($2 IS NULL OR year = $2)
                         ORDER BY fiche, year, funder",
                    )
                    .bind(cite)
                    .bind(year.map(i64::from))
                    .fetch_all(&self.pool)
                    .await
                    .map_err(db)?;
                    rows.iter()
                        .map(|r| {
                            let (fiche, year): (i64, i64) = (r.get(0), r.get(1));
                            let (key, state): (String, String) = (r.get(2), r.get(3));
                            Ok((
                                (
                                    u32::try_from(fiche)
                                        .map_err(|_| corrupt(format!("funding_reports.fiche: {fiche}")))?,
                                    i32::try_from(year)
                                        .map_err(|_| corrupt(format!("funding_reports.year: {year}")))?,
                                    funder(&key)?,
                                ),
                                report_state(&state)?,
                            ))
                        })
                        .collect()
                }

                async fn save_report(
                    &self,
                    cite: &str,
                    key: &LineKey,
                    report: &Report,
                    submit: bool,
                    expected: i64,
                    by: By<'_>,
                ) -> Result<bool, StoreError> {
                    let body = json(report)?;
                    let state = if submit { "remis" } else { "brouillon" };
                    let mut tx = begin_write(&self.pool).await?;
                    lock_event(&mut tx, cite, "financement").await?;
                    // Only a draft, at the version read (0: none yet).
                    let sql = if expected == 0 {
                        "INSERT INTO funding_reports (cite, fiche, year, funder, body, state,
                             version, updated_at, updated_by, submitted_at, submitted_by)
                         VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $8, $9, $10)
                         ON CONFLICT (cite, fiche, year, funder) DO NOTHING"
                    } else {
                        "UPDATE funding_reports SET body = $5, state = $6, version = version + 1,
                             updated_at = $7, updated_by = $8, submitted_at = $9,
                             submitted_by = $10
                         WHERE cite = $1 AND fiche = $2 AND year = $3 AND funder = $4
                             AND state = 'brouillon' AND version = $11"
                    };
                    let query = sqlx::query(sql)
                        .bind(cite)
                        .bind(i64::from(key.0))
                        .bind(i64::from(key.1))
                        .bind(key.2.key())
                        .bind(body)
                        .bind(state)
                        .bind(by.now)
                        .bind(by.actor)
                        .bind(submit.then_some(by.now))
                        .bind(submit.then_some(by.actor));
                    let query = if expected == 0 { query } else { query.bind(expected) };
                    let done = query
                        .execute(&mut *tx)
                        .await
                        .map_err(db)?
                        .rows_affected()
                        == 1;
                    if !done {
                        return Ok(false);
                    }
                    if submit {
                        let subject = Subject::Line {
                            fiche: key.0,
                            year: key.1,
                            funder: key.2.clone(),
                        };
                        history(&mut tx, cite, &subject, by, "compte rendu financier remis", (None, None))
                            .await?;
                    }
                    tx.commit().await.map_err(db)?;
                    Ok(true)
                }

                async fn accept_report(
                    &self,
                    cite: &str,
                    key: &LineKey,
                    by: By<'_>,
                ) -> Result<bool, StoreError> {
                    let mut tx = begin_write(&self.pool).await?;
                    let done = sqlx::query(
                        "UPDATE funding_reports SET state = 'justifie', version = version + 1,
                             accepted_at = $5, accepted_by = $6
                         WHERE cite = $1 AND fiche = $2 AND year = $3 AND funder = $4
                             AND state = 'remis'",
                    )
                    .bind(cite)
                    .bind(i64::from(key.0))
                    .bind(i64::from(key.1))
                    .bind(key.2.key())
                    .bind(by.now)
                    .bind(by.actor)
                    .execute(&mut *tx)
                    .await
                    .map_err(db)?
                    .rows_affected()
                        == 1;
                    if !done {
                        return Ok(false);
                    }
                    let subject = Subject::Line {
                        fiche: key.0,
                        year: key.1,
                        funder: key.2.clone(),
                    };
                    history(
                        &mut tx,
                        cite,
                        &subject,
                        by,
                        "compte rendu financier accepté : ligne justifiée",
                        (None, None),
                    )
                    .await?;
                    tx.commit().await.map_err(db)?;
                    Ok(true)
                }

                async fn claim_reminder(
                    &self,
                    cite: &str,
                    key: &LineKey,
                    kind: &str,
                    now: i64,
                ) -> Result<bool, StoreError> {
                    let done = sqlx::query(
                        "INSERT INTO funding_reminders (cite, fiche, year, funder, kind, sent_at)
                         VALUES ($1, $2, $3, $4, $5, $6)
                         ON CONFLICT (cite, fiche, year, funder, kind) DO NOTHING",
                    )
                    .bind(cite)
                    .bind(i64::from(key.0))
                    .bind(i64::from(key.1))
                    .bind(key.2.key())
                    .bind(kind)
                    .bind(now)
                    .execute(&self.pool)
                    .await
                    .map_err(db)?;
                    Ok(done.rows_affected() == 1)
                }

                async fn release_reminder(
                    &self,
                    cite: &str,
                    key: &LineKey,
                    kind: &str,
                ) -> Result<(), StoreError> {
                    sqlx::query(
                        "DELETE FROM funding_reminders
                         WHERE cite = $1 AND fiche = $2 AND year = $3 AND funder = $4 AND kind = $5",
                    )
                    .bind(cite)
                    .bind(i64::from(key.0))
                    .bind(i64::from(key.1))
                    .bind(key.2.key())
                    .bind(kind)
                    .execute(&self.pool)
                    .await
                    .map_err(db)?;
                    Ok(())
                }

                async fn revue(
                    &self,
                    cite: &str,
                    year: i32,
                ) -> Result<Option<StoredRevue>, StoreError> {
                    let row = sqlx::query(
                        "SELECT cite, year, body, version FROM revues WHERE cite = $1 AND year = $2",
                    )
                    .bind(cite)
                    .bind(i64::from(year))
                    .fetch_optional(&self.pool)
                    .await
                    .map_err(db)?;
                    row.as_ref().map(stored_revue).transpose()
                }

                async fn revues(&self, year: i32) -> Result<Vec<StoredRevue>, StoreError> {
                    let rows = sqlx::query(
                        "SELECT cite, year, body, version FROM revues WHERE year = $1 ORDER BY cite",
                    )
                    .bind(i64::from(year))
                    .fetch_all(&self.pool)
                    .await
                    .map_err(db)?;
                    rows.iter().map(stored_revue).collect()
                }

                async fn save_revue(
                    &self,
                    cite: &str,
                    year: i32,
                    revue: &Revue,
                    expected: i64,
                    by: By<'_>,
                ) -> Result<bool, StoreError> {
                    let sql = if expected == 0 {
                        "INSERT INTO revues (cite, year, body, version, updated_at, updated_by)
                         VALUES ($1, $2, $3, 1, $4, $5) ON CONFLICT (cite, year) DO NOTHING"
                    } else {
                        "UPDATE revues SET body = $3, version = version + 1, updated_at = $4,
                             updated_by = $5
                         WHERE cite = $1 AND year = $2 AND version = $6"
                    };
                    let query = sqlx::query(sql)
                        .bind(cite)
                        .bind(i64::from(year))
                        .bind(json(revue)?)
                        .bind(by.now)
                        .bind(by.actor);
                    let query = if expected == 0 { query } else { query.bind(expected) };
                    let done = query.execute(&self.pool).await.map_err(db)?;
                    Ok(done.rows_affected() == 1)
                }
            }
        }
    };
}
