//! Loading, importing and indexing a cité's catalogue through the store.

use anyhow::Context;
use passerelle_domain::{Catalogue, Change, ChangeOp, diff};
use passerelle_livret::{Irregularity, Parsed, Reference};
use passerelle_store::{CatalogueStore, ImportRecord};

/// What an import changed (or would change, in a dry run).
pub(crate) struct ImportOutcome {
    pub(crate) changes: Vec<Change>,
    pub(crate) parsed: Parsed,
    /// The booklet's full quality report.
    pub(crate) report: Vec<Irregularity>,
}

impl ImportOutcome {
    pub(crate) fn record(&self, source: &str) -> ImportRecord {
        let n = |f: fn(&ChangeOp) -> bool| self.changes.iter().filter(|c| f(&c.op)).count();
        ImportRecord {
            source: source.to_owned(),
            added: n(|op| matches!(op, ChangeOp::Added)),
            updated: n(|op| matches!(op, ChangeOp::Updated { .. })),
            removed: n(|op| matches!(op, ChangeOp::Removed)),
            report: serde_json::to_string(&self.report).unwrap_or_else(|_| "[]".to_owned()),
        }
    }
}

/// Parses a booklet and applies it to the store (unless `dry_run`): new
/// entities are added, changed ones updated in place, vanished ones removed.
/// Importing the same booklet twice changes nothing.
pub(crate) async fn import(
    store: &dyn CatalogueStore,
    bytes: &[u8],
    source: &str,
    reference: &Reference,
    dry_run: bool,
) -> anyhow::Result<ImportOutcome> {
    let text =
        passerelle_livret::decode(bytes).with_context(|| format!("cannot import {source}"))?;
    let parsed = passerelle_livret::parse(text, reference)
        .with_context(|| format!("cannot import {source}"))?;
    let report = passerelle_livret::check::report(text, reference, parsed.irregularities.clone());
    let cite = parsed.catalogue.cite.slug.to_string();
    let new = parsed.catalogue.to_entities();
    let old = store.entities(&cite).await?;
    let changes = diff(&old, &new);
    let outcome = ImportOutcome {
        changes,
        parsed,
        report,
    };
    if !dry_run && !outcome.changes.is_empty() {
        store
            .apply(&cite, &new, &outcome.changes, &outcome.record(source))
            .await?;
    }
    Ok(outcome)
}

/// What the web serves: the catalogue and the quality report of the booklet
/// it came from (with the booklet's name).
pub(crate) async fn load_for_web(
    store: &dyn CatalogueStore,
) -> anyhow::Result<(Catalogue, Vec<Irregularity>, String)> {
    let catalogue = load_or_seed(store).await?;
    let last = store.last_import(catalogue.cite.slug.as_str()).await?;
    let (report, source) = match last {
        Some(r) => (
            serde_json::from_str(&r.report).context("stored quality report")?,
            r.source,
        ),
        None => (Vec::new(), String::new()),
    };
    Ok((catalogue, report, source))
}

/// The catalogue of the first stored cité; on an empty store, the bundled
/// Roubaix booklet is imported first.
pub(crate) async fn load_or_seed(store: &dyn CatalogueStore) -> anyhow::Result<Catalogue> {
    let cites = store.cites().await?;
    let cite = match cites.first() {
        Some(c) => c.clone(),
        None => {
            let reference = passerelle_livret::bundled::reference()?;
            let outcome = import(
                store,
                passerelle_livret::bundled::BOOKLET.as_bytes(),
                passerelle_livret::bundled::BOOKLET_NAME,
                &reference,
                false,
            )
            .await?;
            tracing::info!(
                changes = outcome.changes.len(),
                "loaded the bundled Roubaix booklet into an empty database"
            );
            outcome.parsed.catalogue.cite.slug.to_string()
        }
    };
    let entities = store.entities(&cite).await?;
    Ok(Catalogue::from_entities(entities)?)
}
