//! Saves straight to a store, from concurrent writers (docs/BENCHMARKS.md,
//! "PostgreSQL and several servers"): each writer saves its own
//! organisation again and again for the given time; prints saves per
//! second and the p50, p99 and maximum of one save (the database's part of
//! a write: the transaction with its history, activity and version).
//!
//! Usage: store_saves DATABASE_URL [SECONDS] [WRITERS]
//! (an empty database: `sqlite:///tmp/x.db` or `postgres://…/empty`)

#![allow(clippy::print_stdout, reason = "a benchmark reports on stdout")]

use std::sync::Arc;
use std::time::{Duration, Instant};

use passerelle_domain::{EntityKind, diff};
use passerelle_store::{ImportRecord, Store};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let url = args
        .next()
        .ok_or_else(|| anyhow::anyhow!("usage: store_saves DATABASE_URL [SECONDS] [WRITERS]"))?;
    let seconds: u64 = args.next().map_or(Ok(10), |s| s.parse())?;
    let writers: usize = args.next().map_or(Ok(4), |s| s.parse())?;
    let store: Arc<dyn Store> = if url.starts_with("postgres") {
        Arc::new(passerelle_store_postgres::PgStore::open(&url).await?)
    } else {
        Arc::new(passerelle_store_sqlite::SqliteStore::open(&url).await?)
    };
    let catalogue = passerelle_livret::bundled::roubaix()?.1.catalogue;
    let entities = catalogue.to_entities();
    let record = ImportRecord {
        source: "bench".into(),
        added: entities.len(),
        updated: 0,
        removed: 0,
        report: "[]".into(),
    };
    store
        .apply("roubaix", &entities, &diff(&[], &entities), &record)
        .await?;
    let organisations: Vec<_> = entities
        .into_iter()
        .filter(|e| e.kind == EntityKind::Organisation)
        .take(writers)
        .collect();
    anyhow::ensure!(organisations.len() == writers, "not enough organisations");
    let stop = Instant::now() + Duration::from_secs(seconds);
    let tasks: Vec<_> = organisations
        .into_iter()
        .map(|mut entity| {
            let store = store.clone();
            tokio::spawn(async move {
                let mut times = Vec::new();
                let mut version = 1;
                let mut n = 0u64;
                while Instant::now() < stop {
                    n += 1;
                    entity.body["acronym"] = serde_json::json!(format!("m{n}"));
                    let t0 = Instant::now();
                    version = store.save("roubaix", &entity, version, "bench").await?;
                    times.push(t0.elapsed());
                }
                anyhow::Ok(times)
            })
        })
        .collect();
    let mut times = Vec::new();
    for t in tasks {
        times.extend(t.await??);
    }
    times.sort();
    let pct = |p: f64| {
        let i = ((times.len() as f64 * p) as usize).min(times.len().saturating_sub(1));
        times.get(i).map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    };
    println!(
        "{:.0} saves/s, p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms ({} saves, {writers} writers)",
        times.len() as f64 / seconds as f64,
        pct(0.5),
        pct(0.99),
        times.last().map_or(0.0, |d| d.as_secs_f64() * 1000.0),
        times.len()
    );
    store.close().await;
    Ok(())
}
