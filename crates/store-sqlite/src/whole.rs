//! The whole database at once: `export`, `import` and `counts` of every
//! row (for `passerelle migrate`), and the store's `Store` implementation.

use async_trait::async_trait;
use passerelle_store::StoreError;
use sqlx::Row;

use crate::{SqliteStore, begin_write, db};

/// A row of a [`passerelle_store::dump::Table`], as cells.
fn cells(
    r: &sqlx::sqlite::SqliteRow,
    table: &passerelle_store::dump::Table,
) -> Result<Vec<passerelle_store::dump::Cell>, StoreError> {
    use passerelle_store::dump::{Cell, Kind};
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
            };
            cell.map_err(|e| StoreError::Corrupt(format!("{}.{name}: {e}", table.name)))
        })
        .collect()
}

impl SqliteStore {
    /// [`passerelle_store::Store::export`], on a connection of the caller's.
    async fn export_from(
        conn: &mut sqlx::SqliteConnection,
    ) -> Result<passerelle_store::dump::Dump, StoreError> {
        use passerelle_store::dump::{self, TABLES};
        let mut all = Vec::new();
        for table in TABLES {
            // Table and column names come from `TABLES` only.
            let sql = dump::select(table, "rowid");
            let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
                .fetch_all(&mut *conn)
                .await
                .map_err(db)?;
            all.push(
                rows.iter()
                    .map(|r| cells(r, table))
                    .collect::<Result<Vec<_>, _>>()?,
            );
        }
        Ok(dump::Dump { rows: all })
    }
}

#[async_trait]
impl passerelle_store::Store for SqliteStore {
    async fn close(&self) {
        self.pool.close().await;
    }

    async fn export(&self) -> Result<passerelle_store::dump::Dump, StoreError> {
        // One read transaction: every table as of one moment.
        let mut tx = self.pool.begin().await.map_err(db)?;
        let dump = SqliteStore::export_from(&mut tx).await?;
        tx.commit().await.map_err(db)?;
        Ok(dump)
    }

    async fn import(&self, dump: &passerelle_store::dump::Dump) -> Result<(), StoreError> {
        use passerelle_store::dump::{self, Cell, Kind, TABLES};
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
            let sql = dump::insert(table, false, "");
            for row in rows {
                let mut query = sqlx::query(sqlx::AssertSqlSafe(sql.clone()));
                for ((_, kind), cell) in table.columns.iter().zip(row) {
                    query = match (kind, cell) {
                        (_, Cell::Text(v)) => query.bind(v.clone()),
                        (_, Cell::Int(v)) => query.bind(*v),
                        (_, Cell::Bool(v)) => query.bind(*v),
                        (Kind::Text, Cell::Null) => query.bind(None::<String>),
                        (Kind::Int, Cell::Null) => query.bind(None::<i64>),
                        (Kind::Bool, Cell::Null) => query.bind(None::<bool>),
                    };
                }
                query.execute(&mut *tx).await.map_err(db)?;
            }
        }
        tx.commit().await.map_err(db)
    }

    async fn counts(&self) -> Result<Vec<(&'static str, usize)>, StoreError> {
        let mut out = Vec::new();
        for table in passerelle_store::dump::TABLES {
            let sql = format!("SELECT COUNT(*) FROM {}", table.name);
            let n: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
                .fetch_one(&self.pool)
                .await
                .map_err(db)?;
            out.push((table.name, usize::try_from(n).unwrap_or(0)));
        }
        Ok(out)
    }
}
