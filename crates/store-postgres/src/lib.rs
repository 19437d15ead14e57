#![doc = include_str!("../README.md")]

use std::str::FromStr;
use std::time::Duration;

use passerelle_store::StoreError;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};

mod dialect;

passerelle_store::sql_store!(crate::PgStore);

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// `postgres://user:secret@host/db` without its password, for messages.
fn redacted(url: &str) -> String {
    match url.split_once("://") {
        Some((scheme, rest)) => match rest.split_once('@') {
            Some((credentials, host)) => {
                let user = credentials.split(':').next().unwrap_or_default();
                format!("{scheme}://{user}:…@{host}")
            }
            None => url.to_owned(),
        },
        None => url.to_owned(),
    }
}

/// A PostgreSQL database holding Passerelle's data.
#[derive(Debug, Clone)]
pub struct PgStore {
    pool: PgPool,
    /// How to connect, for the change feed's own connection.
    options: PgConnectOptions,
}

impl PgStore {
    /// Connects to the database at `url` (`postgres://user:password@host/db`,
    /// or with `?host=/run/postgresql` for a socket) and brings its schema up
    /// to date. The database must exist; the user must be allowed to create
    /// tables in it.
    pub async fn open(url: &str) -> Result<PgStore, StoreError> {
        let open_err = |e: sqlx::Error| StoreError::Open {
            url: redacted(url),
            source: Box::new(e),
        };
        let options = PgConnectOptions::from_str(url)
            .map_err(open_err)?
            .application_name("passerelle");
        let pool = PgPoolOptions::new()
            .max_connections(10)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options.clone())
            .await
            .map_err(open_err)?;
        MIGRATOR.run(&pool).await.map_err(StoreError::migrate)?;
        Ok(PgStore { pool, options })
    }
}
