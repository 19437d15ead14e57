//! The catalogue: entities, their history and archive, each cité's
//! version and the activity log — their SQL, written once for both
//! databases (see [`crate::sql_store!`]).

/// Implements [`crate::CatalogueStore`] for a store crate's type (`$store`,
/// with a `pool` field), in a module `catalogue_sql` of that crate, whose
/// `record_history`, `bump_version` and `log_activity` the other halves
/// use; the crate's `dialect` module gives what differs by database.
#[macro_export]
#[doc(hidden)]
#[allow(
    clippy::crate_in_macro_def,
    reason = "`crate` is the store crate expanding it: its pool and its `dialect`"
)]
macro_rules! catalogue_store {
    ($store:ty) => {
        pub(crate) mod catalogue_sql {
            use async_trait::async_trait;
            use passerelle_domain::{Change, ChangeOp, Entity, EntityDates, EntityKind};
            use passerelle_store::{
                Activity, CatalogueStore, HistoryEntry, HistoryEvent, ImportRecord, StoreError, Versioned,
            };
            use sqlx::Row as _;

            use crate::dialect::{Conn, Row, begin_write, db, now};

#[expect(
    clippy::too_many_arguments,
    reason = "one row of the history table, column by column"
)]
pub(crate) async fn record_history(
    tx: &mut Conn,
    cite: &str,
    kind: EntityKind,
    key: &str,
    version: i64,
    body: Option<&str>,
    event: HistoryEvent,
    actor: &str,
    at: &str,
) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO history (cite, kind, key, version, body, event, actor, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
        .bind(cite)
        .bind(kind.as_str())
        .bind(key)
        .bind(version)
        .bind(body)
        .bind(event.key())
        .bind(actor)
        .bind(at)
        .execute(&mut *tx)
        .await
        .map_err(db)?;
    Ok(())
}

/// Raises a cité's version in the writing transaction and announces it
/// (the dialect's `announce`, delivered on commit).
pub(crate) async fn bump_version(
    tx: &mut Conn,
    cite: &str,
) -> Result<u64, StoreError> {
    let version: i64 = sqlx::query_scalar(
        "INSERT INTO cite_versions (cite, version) VALUES ($1, 1) ON CONFLICT (cite) DO UPDATE SET version = cite_versions.version + 1 RETURNING version",
    )
    .bind(cite)
    .fetch_one(&mut *tx)
    .await
    .map_err(db)?;
    crate::dialect::announce(&mut *tx, version, cite).await?;
    Ok(u64::try_from(version).unwrap_or(0))
}

pub(crate) async fn log_activity(
    tx: &mut Conn,
    cite: Option<&str>,
    actor: &str,
    at: &str,
    action: &str,
    target: &str,
    detail: &str,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO activity (cite, actor, at, action, target, detail) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(cite)
    .bind(actor)
    .bind(at)
    .bind(action)
    .bind(target)
    .bind(detail)
    .execute(&mut *tx)
    .await
    .map_err(db)?;
    Ok(())
}

/// A new version of one entity, written by one person.
struct Written<'a> {
    cite: &'a str,
    kind: EntityKind,
    key: &'a str,
    version: i64,
    body: &'a str,
    event: HistoryEvent,
    actor: &'a str,
    at: &'a str,
}

impl Written<'_> {
    /// What follows a write in its transaction: the version in the
    /// history, the cité's version raised, the activity line (`action`).
    async fn record(&self, tx: &mut Conn, action: &str) -> Result<(), StoreError> {
        record_history(
            tx,
            self.cite,
            self.kind,
            self.key,
            self.version,
            Some(self.body),
            self.event,
            self.actor,
            self.at,
        )
        .await?;
        bump_version(tx, self.cite).await?;
        let target = format!("{}:{}", self.kind, self.key);
        let detail = format!("version {}", self.version);
        log_activity(tx, Some(self.cite), self.actor, self.at, action, &target, &detail).await
    }
}

/// An entity from the columns kind, key, body.
fn entity_row(r: &Row) -> Result<Entity, StoreError> {
    passerelle_store::rows::entity(&r.get::<String, _>(0), r.get(1), &r.get::<String, _>(2))
}

#[async_trait]
impl CatalogueStore for $store {
    async fn cites(&self) -> Result<Vec<String>, StoreError> {
        let rows = sqlx::query(
            crate::dialect::CITES_IN_ORDER,
        )
        .fetch_all(&self.pool)
        .await
        .map_err(db)?;
        Ok(rows.iter().map(|r| r.get::<String, _>(0)).collect())
    }

    async fn entities(&self, cite: &str) -> Result<Vec<Entity>, StoreError> {
        Ok(self.entities_at_version(cite).await?.0)
    }

    async fn apply(
        &self,
        cite: &str,
        entities: &[Entity],
        changes: &[Change],
        record: &ImportRecord,
    ) -> Result<(), StoreError> {
        let at = now();
        let actor = format!("import:{}", record.source);
        let mut tx = begin_write(&self.pool).await?;
        for change in changes {
            match &change.op {
                ChangeOp::Added | ChangeOp::Updated { .. } => {
                    let entity = entities
                        .iter()
                        .find(|e| e.kind == change.kind && e.key == change.key)
                        .ok_or_else(|| {
                            StoreError::Corrupt(format!(
                                "change to {} `{}` without its entity",
                                change.kind, change.key
                            ))
                        })?;
                    let body = entity.body.to_string();
                    let version: i64 = sqlx::query_scalar(
                        "INSERT INTO entities (cite, kind, key, body, version, updated_at) VALUES ($1, $2, $3, $4, 1, $5)
                         ON CONFLICT (cite, kind, key) DO UPDATE SET body = excluded.body, version = entities.version + 1, updated_at = excluded.updated_at
                         RETURNING version",
                    )
                    .bind(cite)
                    .bind(change.kind.as_str())
                    .bind(&change.key)
                    .bind(&body)
                    .bind(&at)
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(db)?;
                    record_history(
                        &mut tx,
                        cite,
                        change.kind,
                        &change.key,
                        version,
                        Some(&body),
                        HistoryEvent::Save,
                        &actor,
                        &at,
                    )
                    .await?;
                }
                ChangeOp::Removed => {
                    let version: Option<i64> = sqlx::query_scalar("DELETE FROM entities WHERE cite = $1 AND kind = $2 AND key = $3 RETURNING version")
                        .bind(cite)
                        .bind(change.kind.as_str())
                        .bind(&change.key)
                        .fetch_optional(&mut *tx)
                        .await
                        .map_err(db)?;
                    if let Some(v) = version {
                        record_history(
                            &mut tx,
                            cite,
                            change.kind,
                            &change.key,
                            v + 1,
                            None,
                            HistoryEvent::Save,
                            &actor,
                            &at,
                        )
                        .await?;
                    }
                }
            }
        }
        if !changes.is_empty() {
            sqlx::query("INSERT INTO imports (cite, source, at, added, updated, removed, report) VALUES ($1, $2, $3, $4, $5, $6, $7)")
                .bind(cite)
                .bind(&record.source)
                .bind(&at)
                .bind(record.added as i64)
                .bind(record.updated as i64)
                .bind(record.removed as i64)
                .bind(&record.report)
                .execute(&mut *tx)
                .await
                .map_err(db)?;
            let detail = format!(
                "{} ajout(s), {} mise(s) à jour, {} suppression(s)",
                record.added, record.updated, record.removed
            );
            log_activity(&mut tx, Some(cite), &actor, &at, "import", cite, &detail).await?;
            bump_version(&mut tx, cite).await?;
        }
        tx.commit().await.map_err(db)
    }

    async fn entity(
        &self,
        cite: &str,
        kind: EntityKind,
        key: &str,
    ) -> Result<Option<Versioned>, StoreError> {
        let row = sqlx::query(
            "SELECT body, version, archived FROM entities WHERE cite = $1 AND kind = $2 AND key = $3",
        )
        .bind(cite)
        .bind(kind.as_str())
        .bind(key)
        .fetch_optional(&self.pool)
        .await
        .map_err(db)?;
        row.map(|r| {
            let body: String = r.get(0);
            let body = serde_json::from_str(&body)
                .map_err(|e| StoreError::Corrupt(format!("{kind} `{key}`: {e}")))?;
            Ok(Versioned {
                entity: Entity {
                    kind,
                    key: key.to_owned(),
                    body,
                },
                version: u64::try_from(r.get::<i64, _>(1)).unwrap_or(0),
                archived: r.get(2),
            })
        })
        .transpose()
    }

    async fn set_archived(
        &self,
        cite: &str,
        kind: EntityKind,
        key: &str,
        expected: u64,
        archived: bool,
        actor: &str,
    ) -> Result<u64, StoreError> {
        let at = now();
        let expected_i = i64::try_from(expected).unwrap_or(i64::MAX);
        let mut tx = begin_write(&self.pool).await?;
        let row = sqlx::query(
            "UPDATE entities SET archived = $1, version = version + 1, updated_at = $2
             WHERE cite = $3 AND kind = $4 AND key = $5 AND version = $6 RETURNING version, body",
        )
        .bind(archived)
        .bind(&at)
        .bind(cite)
        .bind(kind.as_str())
        .bind(key)
        .bind(expected_i)
        .fetch_optional(&mut *tx)
        .await
        .map_err(db)?;
        let Some(row) = row else {
            tx.rollback().await.map_err(db)?;
            let current = self.entity(cite, kind, key).await?;
            if current.is_none() {
                return Err(StoreError::NotFound {
                    kind,
                    key: key.to_owned(),
                });
            }
            return Err(StoreError::Conflict {
                kind,
                key: key.to_owned(),
                expected,
                current: current.map(Box::new),
            });
        };
        let version: i64 = row.get(0);
        let body: String = row.get(1);
        let event = if archived {
            HistoryEvent::Archive
        } else {
            HistoryEvent::Unarchive
        };
        let action = if archived { "archive" } else { "unarchive" };
        let written = Written { cite, kind, key, version, body: &body, event, actor, at: &at };
        written.record(&mut tx, action).await?;
        tx.commit().await.map_err(db)?;
        Ok(u64::try_from(version).unwrap_or(0))
    }

    async fn archived(&self, cite: &str) -> Result<Vec<Versioned>, StoreError> {
        let rows = sqlx::query(
            "SELECT kind, key, body, version FROM entities WHERE cite = $1 AND archived ORDER BY kind, key",
        )
        .bind(cite)
        .fetch_all(&self.pool)
        .await
        .map_err(db)?;
        rows.iter()
            .map(|r| {
                Ok(Versioned {
                    entity: entity_row(r)?,
                    version: u64::try_from(r.get::<i64, _>(3)).unwrap_or(0),
                    archived: true,
                })
            })
            .collect()
    }

    async fn save(
        &self,
        cite: &str,
        entity: &Entity,
        expected: u64,
        actor: &str,
    ) -> Result<u64, StoreError> {
        let at = now();
        let body = entity.body.to_string();
        let expected_i = i64::try_from(expected).unwrap_or(i64::MAX);
        let mut tx = begin_write(&self.pool).await?;
        // One conditional statement: of two saves from the same version, the
        // second finds the version moved on and changes nothing.
        let version: Option<i64> = if expected == 0 {
            sqlx::query_scalar(
                "INSERT INTO entities (cite, kind, key, body, version, updated_at) VALUES ($1, $2, $3, $4, 1, $5)
                 ON CONFLICT (cite, kind, key) DO NOTHING RETURNING version",
            )
            .bind(cite)
            .bind(entity.kind.as_str())
            .bind(&entity.key)
            .bind(&body)
            .bind(&at)
            .fetch_optional(&mut *tx)
            .await
            .map_err(db)?
        } else {
            sqlx::query_scalar(
                "UPDATE entities SET body = $1, version = version + 1, updated_at = $2
                 WHERE cite = $3 AND kind = $4 AND key = $5 AND version = $6 RETURNING version",
            )
            .bind(&body)
            .bind(&at)
            .bind(cite)
            .bind(entity.kind.as_str())
            .bind(&entity.key)
            .bind(expected_i)
            .fetch_optional(&mut *tx)
            .await
            .map_err(db)?
        };
        let Some(version) = version else {
            tx.rollback().await.map_err(db)?;
            let current = self.entity(cite, entity.kind, &entity.key).await?;
            return Err(StoreError::Conflict {
                kind: entity.kind,
                key: entity.key.clone(),
                expected,
                current: current.map(Box::new),
            });
        };
        let action = if expected == 0 { "create" } else { "update" };
        let written = Written {
            cite,
            kind: entity.kind,
            key: &entity.key,
            version,
            body: &body,
            event: HistoryEvent::Save,
            actor,
            at: &at,
        };
        written.record(&mut tx, action).await?;
        tx.commit().await.map_err(db)?;
        Ok(u64::try_from(version).unwrap_or(0))
    }

    async fn history(
        &self,
        cite: &str,
        kind: EntityKind,
        key: &str,
    ) -> Result<Vec<HistoryEntry>, StoreError> {
        let rows = sqlx::query("SELECT version, body, actor, at, event FROM history WHERE cite = $1 AND kind = $2 AND key = $3 ORDER BY version")
            .bind(cite)
            .bind(kind.as_str())
            .bind(key)
            .fetch_all(&self.pool)
            .await
            .map_err(db)?;
        rows.iter()
            .map(|r| {
                let body: Option<String> = r.get(1);
                let body = body
                    .map(|b| {
                        serde_json::from_str(&b).map_err(|e| {
                            StoreError::Corrupt(format!("history of {kind} `{key}`: {e}"))
                        })
                    })
                    .transpose()?;
                Ok(HistoryEntry {
                    version: u64::try_from(r.get::<i64, _>(0)).unwrap_or(0),
                    body,
                    actor: r.get(2),
                    at: r.get(3),
                    event: HistoryEvent::from_key(&r.get::<String, _>(4)).ok_or_else(|| {
                        StoreError::Corrupt(format!("history of {kind} `{key}`: unknown event"))
                    })?,
                })
            })
            .collect()
    }

    async fn activity(&self, cite: Option<&str>, limit: u32) -> Result<Vec<Activity>, StoreError> {
        let rows = sqlx::query(
            "SELECT actor, at, action, target, detail FROM activity
             WHERE CAST($1 AS TEXT) IS NULL OR cite = $1 ORDER BY id DESC LIMIT $2",
        )
        .bind(cite)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await
        .map_err(db)?;
        Ok(rows
            .iter()
            .map(|r| Activity {
                actor: r.get(0),
                at: r.get(1),
                action: r.get(2),
                target: r.get(3),
                detail: r.get(4),
            })
            .collect())
    }

    async fn entities_at_version(&self, cite: &str) -> Result<(Vec<Entity>, u64), StoreError> {
        // One read transaction: the entities and the version of one moment.
        let mut tx = crate::dialect::begin_read(&self.pool).await?;
        let rows = sqlx::query(
            "SELECT kind, key, body FROM entities WHERE cite = $1 AND NOT archived ORDER BY kind, key",
        )
        .bind(cite)
        .fetch_all(&mut *tx)
        .await
        .map_err(db)?;
        let version: Option<i64> =
            sqlx::query_scalar("SELECT version FROM cite_versions WHERE cite = $1")
                .bind(cite)
                .fetch_optional(&mut *tx)
                .await
                .map_err(db)?;
        tx.commit().await.map_err(db)?;
        let entities = rows.iter().map(entity_row).collect::<Result<Vec<_>, _>>()?;
        Ok((
            entities,
            version.map_or(0, |v| u64::try_from(v).unwrap_or(0)),
        ))
    }

    async fn version(&self, cite: &str) -> Result<u64, StoreError> {
        let version: Option<i64> =
            sqlx::query_scalar("SELECT version FROM cite_versions WHERE cite = $1")
                .bind(cite)
                .fetch_optional(&self.pool)
                .await
                .map_err(db)?;
        Ok(version.map_or(0, |v| u64::try_from(v).unwrap_or(0)))
    }

    async fn entity_dates(&self, cite: &str) -> Result<Vec<EntityDates>, StoreError> {
        let rows = sqlx::query(
            "SELECT kind, key, MIN(at), MAX(at) FROM history WHERE cite = $1 GROUP BY kind, key ORDER BY kind, key",
        )
        .bind(cite)
        .fetch_all(&self.pool)
        .await
        .map_err(db)?;
        rows.iter()
            .map(|r| passerelle_store::rows::entity_dates(r.get(0), r.get(1), r.get(2), r.get(3)))
            .collect()
    }

    async fn versions(&self) -> Result<Vec<(String, u64)>, StoreError> {
        let rows = sqlx::query("SELECT cite, version FROM cite_versions ORDER BY cite")
            .fetch_all(&self.pool)
            .await
            .map_err(db)?;
        Ok(rows
            .iter()
            .map(|r| {
                let version: i64 = r.get(1);
                (r.get(0), u64::try_from(version).unwrap_or(0))
            })
            .collect())
    }

    async fn last_import(&self, cite: &str) -> Result<Option<ImportRecord>, StoreError> {
        let row = sqlx::query("SELECT source, added, updated, removed, report FROM imports WHERE cite = $1 ORDER BY id DESC LIMIT 1")
            .bind(cite)
            .fetch_optional(&self.pool)
            .await
            .map_err(db)?;
        Ok(row.map(|r| ImportRecord {
            source: r.get(0),
            added: usize::try_from(r.get::<i64, _>(1)).unwrap_or(0),
            updated: usize::try_from(r.get::<i64, _>(2)).unwrap_or(0),
            removed: usize::try_from(r.get::<i64, _>(3)).unwrap_or(0),
            report: r.get(4),
        }))
    }

    async fn backup(&self, to: &std::path::Path) -> Result<(), StoreError> {
        let bad = |reason: &str| StoreError::Backup {
            path: to.display().to_string(),
            reason: reason.to_owned(),
        };
        if to.exists() {
            return Err(bad("le fichier existe déjà ; choisissez un autre nom"));
        }
        let target = to
            .to_str()
            .ok_or_else(|| bad("le chemin n'est pas du texte UTF-8"))?;
        crate::dialect::backup(self, to, target).await
    }

    async fn restore(&self, from: &std::path::Path) -> Result<(), StoreError> {
        crate::whole_sql::restore(self, from).await
    }

    async fn integrity_check(&self) -> Result<Vec<String>, StoreError> {
        crate::dialect::integrity_check(&self.pool).await
    }
}

        }
    };
}
