//! The whole database at once — `export`, `import` and `counts` of every
//! row of [`crate::dump::TABLES`], for `passerelle migrate` and the
//! backups — written once for both databases (see [`crate::sql_store!`]).

/// Implements [`crate::Store`] for a store crate's type, in a module
/// `whole_sql` of that crate; the crate's `dialect` gives the snapshot a
/// reading begins, the order rows are read in, the statement that inserts
/// them, what follows an import, and the change feed.
#[macro_export]
#[doc(hidden)]
#[allow(
    clippy::crate_in_macro_def,
    reason = "`crate` is the store crate expanding it: its pool and its `dialect`"
)]
macro_rules! whole_store {
    ($store:ty) => {
        pub(crate) mod whole_sql {
            use async_trait::async_trait;
            use passerelle_store::dump::{self, Cell, Kind, TABLES};
            use passerelle_store::{ChangeFeed, StoreError};
            use sqlx::Row as _;

            use crate::dialect::{Row, begin_read, begin_write, db};

            /// A row of a [`passerelle_store::dump::Table`], as cells.
            fn cells(r: &Row, table: &dump::Table) -> Result<Vec<Cell>, StoreError> {
                table
                    .columns
                    .iter()
                    .enumerate()
                    .map(|(i, (name, kind))| {
                        let cell = match kind {
                            Kind::Text => r
                                .try_get::<Option<String>, _>(i)
                                .map(|v| v.map_or(Cell::Null, Cell::Text)),
                            Kind::Int => r
                                .try_get::<Option<i64>, _>(i)
                                .map(|v| v.map_or(Cell::Null, Cell::Int)),
                            Kind::Bool => r
                                .try_get::<Option<bool>, _>(i)
                                .map(|v| v.map_or(Cell::Null, Cell::Bool)),
                            Kind::Bytes => r
                                .try_get::<Option<Vec<u8>>, _>(i)
                                .map(|v| v.map_or(Cell::Null, Cell::Bytes)),
                        };
                        cell.map_err(|e| StoreError::Corrupt(format!("{}.{name}: {e}", table.name)))
                    })
                    .collect()
            }

            /// Replaces every cité's entities and imports by those of the
            /// backup at `from` (a SQLite file, whichever database wrote
            /// it), in one transaction: the restore is itself a change —
            /// entities it removes get a removal version, every restored
            /// entity a new version above what the append-only history
            /// holds — and every cité it touches is at a new version.
            pub(crate) async fn restore(store: &$store, from: &std::path::Path) -> Result<(), StoreError> {
                use crate::catalogue_sql::{bump_version, log_activity};
                let dump = crate::dialect::read_backup(from).await?;
                let table = |name: &str| {
                    TABLES
                        .iter()
                        .position(|t| t.name == name)
                        .map(|i| (&TABLES[i], dump.rows.get(i).map_or(&[][..], Vec::as_slice)))
                };
                let (Some((_, entities)), Some((imports_table, imports))) = (table("entities"), table("imports")) else {
                    return Err(StoreError::Corrupt("dump without entities or imports".into()));
                };
                let text = |c: &Cell| match c {
                    Cell::Text(t) => Some(t.clone()),
                    _ => None,
                };
                let actor = format!("restore:{}", from.display());
                let at = crate::dialect::now();
                let mut tx = begin_write(&store.pool).await?;
                for statement in [
                    "DROP TABLE IF EXISTS restored",
                    "CREATE TEMPORARY TABLE restored (ord BIGINT, cite TEXT, kind TEXT, key TEXT, body TEXT, updated_at TEXT, archived BOOLEAN)",
                ] {
                    sqlx::query(statement).execute(&mut *tx).await.map_err(db)?;
                }
                for (ord, row) in entities.iter().enumerate() {
                    // cite, kind, key, body, version, updated_at, archived
                    let archived = matches!(row.get(6), Some(Cell::Bool(true)));
                    sqlx::query("INSERT INTO restored VALUES ($1, $2, $3, $4, $5, $6, $7)")
                        .bind(i64::try_from(ord).unwrap_or(i64::MAX))
                        .bind(row.first().and_then(text))
                        .bind(row.get(1).and_then(text))
                        .bind(row.get(2).and_then(text))
                        .bind(row.get(3).and_then(text))
                        .bind(row.get(5).and_then(text))
                        .bind(archived)
                        .execute(&mut *tx)
                        .await
                        .map_err(db)?;
                }
                let cites: Vec<String> =
                    sqlx::query_scalar("SELECT cite FROM entities UNION SELECT cite FROM restored")
                        .fetch_all(&mut *tx)
                        .await
                        .map_err(db)?;
                sqlx::query(
                    "INSERT INTO history (cite, kind, key, version, body, actor, at)
                     SELECT e.cite, e.kind, e.key, e.version + 1, NULL, $1, $2 FROM entities e
                     WHERE NOT EXISTS (SELECT 1 FROM restored b WHERE b.cite = e.cite AND b.kind = e.kind AND b.key = e.key)",
                )
                .bind(&actor)
                .bind(&at)
                .execute(&mut *tx)
                .await
                .map_err(db)?;
                for statement in [
                    "DELETE FROM entities",
                    "INSERT INTO entities (cite, kind, key, body, version, updated_at, archived)
                     SELECT cite, kind, key, body, 1, updated_at, archived FROM restored ORDER BY ord",
                    "DELETE FROM imports",
                    "UPDATE entities SET version = 1 + COALESCE((SELECT MAX(h.version) FROM history h
                       WHERE h.cite = entities.cite AND h.kind = entities.kind AND h.key = entities.key), 0)",
                    "DROP TABLE restored",
                ] {
                    sqlx::query(statement).execute(&mut *tx).await.map_err(db)?;
                }
                let insert = crate::dialect::insert_statement(imports_table);
                for row in imports {
                    insert_row(&insert, imports_table, row).execute(&mut *tx).await.map_err(db)?;
                }
                crate::dialect::after_import(&mut tx, imports_table).await?;
                sqlx::query(
                    "INSERT INTO history (cite, kind, key, version, body, event, actor, at)
                     SELECT cite, kind, key, version, body, CASE WHEN archived THEN 'archive' ELSE 'save' END, $1, $2 FROM entities",
                )
                .bind(&actor)
                .bind(&at)
                .execute(&mut *tx)
                .await
                .map_err(db)?;
                for cite in &cites {
                    bump_version(&mut tx, cite).await?;
                }
                log_activity(&mut tx, None, &actor, &at, "restore", "database", "").await?;
                tx.commit().await.map_err(db)
            }

            /// The statement `sql` with a dump's row of `table` bound.
            fn insert_row<'q>(
                sql: &'q str,
                table: &dump::Table,
                row: &[Cell],
            ) -> sqlx::query::Query<'q, crate::dialect::Db, <crate::dialect::Db as sqlx::Database>::Arguments> {
                let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
                for ((_, kind), cell) in table.columns.iter().zip(row) {
                    query = match (kind, cell) {
                        (_, Cell::Text(v)) => query.bind(v.clone()),
                        (_, Cell::Int(v)) => query.bind(*v),
                        (_, Cell::Bool(v)) => query.bind(*v),
                        (_, Cell::Bytes(v)) => query.bind(v.clone()),
                        (Kind::Text, Cell::Null) => query.bind(None::<String>),
                        (Kind::Int, Cell::Null) => query.bind(None::<i64>),
                        (Kind::Bool, Cell::Null) => query.bind(None::<bool>),
                        (Kind::Bytes, Cell::Null) => query.bind(None::<Vec<u8>>),
                    };
                }
                query
            }

            #[async_trait]
            impl passerelle_store::Store for $store {
                async fn close(&self) {
                    self.pool.close().await;
                }

                fn pool(&self) -> passerelle_store::PoolStatus {
                    passerelle_store::PoolStatus {
                        open: self.pool.size(),
                        idle: u32::try_from(self.pool.num_idle()).unwrap_or(u32::MAX),
                        max: self.pool.options().get_max_connections(),
                    }
                }

                async fn export(&self) -> Result<dump::Dump, StoreError> {
                    // One snapshot for every table.
                    let mut tx = begin_read(&self.pool).await?;
                    let mut all = Vec::new();
                    for table in TABLES {
                        let order = crate::dialect::export_order(table);
                        // Table and column names come from `TABLES` only.
                        let rows = sqlx::query(sqlx::AssertSqlSafe(dump::select(table, order)))
                            .fetch_all(&mut *tx)
                            .await
                            .map_err(db)?;
                        all.push(
                            rows.iter()
                                .map(|r| cells(r, table))
                                .collect::<Result<Vec<_>, _>>()?,
                        );
                    }
                    tx.commit().await.map_err(db)?;
                    Ok(dump::Dump { rows: all })
                }

                async fn import(&self, dump: &dump::Dump) -> Result<(), StoreError> {
                    let mut tx = begin_write(&self.pool).await?;
                    for table in TABLES {
                        let sql = format!("SELECT EXISTS (SELECT 1 FROM {})", table.name);
                        let any: bool = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
                            .fetch_one(&mut *tx)
                            .await
                            .map_err(db)?;
                        if any {
                            return Err(StoreError::NotEmpty(table.name));
                        }
                    }
                    for (table, rows) in TABLES.iter().zip(&dump.rows) {
                        let sql = crate::dialect::insert_statement(table);
                        for row in rows {
                            insert_row(&sql, table, row).execute(&mut *tx).await.map_err(db)?;
                        }
                        crate::dialect::after_import(&mut tx, table).await?;
                    }
                    tx.commit().await.map_err(db)
                }

                async fn counts(&self) -> Result<Vec<(&'static str, usize)>, StoreError> {
                    let mut out = Vec::new();
                    for table in TABLES {
                        let sql = format!("SELECT COUNT(*) FROM {}", table.name);
                        let n: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
                            .fetch_one(&self.pool)
                            .await
                            .map_err(db)?;
                        out.push((table.name, usize::try_from(n).unwrap_or(0)));
                    }
                    Ok(out)
                }

                async fn changes(&self) -> Result<Option<Box<dyn ChangeFeed>>, StoreError> {
                    crate::dialect::changes(self).await
                }
            }
        }
    };
}

/// Expands the whole store in a store crate: the catalogue, accounts,
/// participation, the whole-database operations, the newsletter and the
/// referrals, for `$store` (a type with a `pool` field). The crate's
/// `dialect` module holds what differs by database, each difference once:
/// the types (`Db`, `Conn`, `Row`), how a write or a snapshot begins, the
/// database's errors, the event lock, the announcement of a write, the
/// cités' order, the claim of deliveries, the rows' insertion and order
/// in a dump, backups and the change feed.
#[macro_export]
#[allow(
    clippy::crate_in_macro_def,
    reason = "`crate` is the store crate expanding it: its `dialect`"
)]
macro_rules! sql_store {
    ($store:ty) => {
        pub(crate) mod sql_common {
            /// A database error as the store reports it: the database busy
            /// (every pooled connection taken, or a code the dialect's
            /// `busy_code` names) is `StoreError::Busy`, nothing written;
            /// the error, with the database's code and message, is kept
            /// as the source for the log.
            pub(crate) fn db(e: sqlx::Error) -> passerelle_store::StoreError {
                let busy = is_busy(&e);
                passerelle_store::StoreError::database(e, busy)
            }

            pub(crate) fn is_busy(e: &sqlx::Error) -> bool {
                match e {
                    sqlx::Error::PoolTimedOut => true,
                    sqlx::Error::Database(d) => {
                        d.code().is_some_and(|c| crate::dialect::busy_code(&c))
                    }
                    _ => false,
                }
            }
        }
        $crate::catalogue_store!($store);
        $crate::account_store!($store);
        $crate::signin_store!($store);
        $crate::participation_store!($store);
        $crate::whole_store!($store);
        $crate::newsletter_store!(
            $store,
            crate::dialect::Row,
            crate::dialect::Conn,
            crate::dialect::CLAIM
        );
        $crate::referral_store!($store, crate::dialect::Row);
        $crate::call_store!($store, crate::dialect::Row);
        $crate::call_review_sql!();
        $crate::funding_store!($store, crate::dialect::Row);
    };
}
