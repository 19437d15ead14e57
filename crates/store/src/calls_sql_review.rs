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
            use passerelle_store::calls::{Annotation, AttachmentInfo};
            use sqlx::Row;

            use crate::dialect::{Db, Row as DbRow, begin_write, db};

            type Pool = sqlx::Pool<Db>;

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
                let rows = sqlx::query(
                    "SELECT s.application, s.reviewer, s.criterion, s.value, s.comment
                     FROM scores s JOIN applications a ON a.id = s.application
                     WHERE a.cite = $1 AND a.call_id = $2
                     ORDER BY s.application, s.reviewer, s.criterion",
                )
                .bind(cite)
                .bind(call)
                .fetch_all(pool)
                .await
                .map_err(db)?;
                rows.iter()
                    .map(|r| {
                        let value: i64 = r.get(3);
                        Ok((
                            r.get(0),
                            Score {
                                reviewer: r.get(1),
                                criterion: r.get(2),
                                value: u32::try_from(value).map_err(|_| {
                                    StoreError::Corrupt(format!("scores.value: {value}"))
                                })?,
                                comment: r.get(4),
                            },
                        ))
                    })
                    .collect()
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
