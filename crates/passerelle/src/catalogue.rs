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
    let text = passerelle_livret::decode(bytes)
        .with_context(|| format!("{source} : import impossible"))?;
    let parsed = passerelle_livret::parse(text, reference)
        .with_context(|| format!("{source} : import impossible"))?;
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

/// Reads a spreadsheet (xlsx, ods or CSV) into a stored cité and applies it
/// (unless `dry_run`), merged into what the cité holds
/// (`passerelle_livret::sheet::merge`): the names it prints are matched
/// against the cité's organisations and territories; what it does not carry
/// (reviews, themes, seminars…) stays. Importing it twice changes nothing.
pub(crate) async fn import_sheet(
    store: &dyn CatalogueStore,
    cite: &str,
    bytes: &[u8],
    source: &str,
    dry_run: bool,
) -> anyhow::Result<ImportOutcome> {
    let grid = passerelle_sheet::read(source, bytes)?;
    let stored = load(store, cite).await?;
    let passerelle_livret::sheet::Plan { parsed, merged } =
        passerelle_livret::sheet::plan(&stored, &grid)
            .with_context(|| format!("{source} : import impossible"))?;
    let new = merged.to_entities();
    let old = store.entities(cite).await?;
    let changes = diff(&old, &new);
    let outcome = ImportOutcome {
        changes,
        report: parsed.irregularities.clone(),
        parsed,
    };
    if !dry_run && !outcome.changes.is_empty() {
        store
            .apply(cite, &new, &outcome.changes, &outcome.record(source))
            .await?;
    }
    Ok(outcome)
}

/// One cité as the web serves it: its catalogue, and the quality report of
/// the booklet it came from (with the booklet's name).
pub(crate) struct Loaded {
    pub(crate) catalogue: Catalogue,
    pub(crate) report: Vec<Irregularity>,
    pub(crate) source: String,
    /// The cité's stored version the catalogue was read at.
    pub(crate) version: u64,
}

/// Every stored cité, in the order they were added (an empty store is
/// seeded with the bundled Roubaix booklet first).
pub(crate) async fn load_all_for_web(store: &dyn CatalogueStore) -> anyhow::Result<Vec<Loaded>> {
    seed_if_empty(store).await?;
    let mut out = Vec::new();
    for cite in store.cites().await? {
        let (entities, version) = store.entities_at_version(&cite).await?;
        let catalogue = Catalogue::from_entities(entities)
            .with_context(|| format!("catalogue enregistré de la cité « {cite} » illisible"))?;
        let (report, source) = match store.last_import(&cite).await? {
            Some(r) => (
                serde_json::from_str(&r.report).with_context(|| {
                    format!("rapport de qualité enregistré de la cité « {cite} » illisible")
                })?,
                r.source,
            ),
            None => (Vec::new(), String::new()),
        };
        out.push(Loaded {
            catalogue,
            report,
            source,
            version,
        });
    }
    Ok(out)
}

/// The catalogue of the cité `cite`, or of the first stored one; on an
/// empty store, the bundled Roubaix booklet is imported first.
pub(crate) async fn load_or_seed(
    store: &dyn CatalogueStore,
    cite: Option<&str>,
) -> anyhow::Result<Catalogue> {
    seed_if_empty(store).await?;
    let cites = store.cites().await?;
    let cite = match cite {
        Some(c) if cites.iter().any(|s| s == c) => c.to_owned(),
        Some(c) => anyhow::bail!(
            "aucune cité « {c} » dans la base (cités : {})",
            cites.join(", ")
        ),
        None => cites.first().cloned().context(
            "aucune cité dans la base (voir `passerelle import` ou `passerelle cite create`)",
        )?,
    };
    load(store, &cite).await
}

/// The stored catalogue of one cité.
pub(crate) async fn load(store: &dyn CatalogueStore, cite: &str) -> anyhow::Result<Catalogue> {
    let entities = store.entities(cite).await?;
    Catalogue::from_entities(entities)
        .with_context(|| format!("catalogue enregistré de la cité « {cite} » illisible"))
}

/// Imports the bundled Roubaix booklet into a store that holds no cité.
pub(crate) async fn seed_if_empty(store: &dyn CatalogueStore) -> anyhow::Result<()> {
    if !store.cites().await?.is_empty() {
        return Ok(());
    }
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
    Ok(())
}

/// A booklet's bytes and name: the file given, or the bundled Roubaix one.
pub(crate) fn read_booklet(file: Option<&std::path::PathBuf>) -> anyhow::Result<(Vec<u8>, String)> {
    match file {
        Some(f) => Ok((crate::files::read(f)?, f.display().to_string())),
        None => Ok((
            passerelle_livret::bundled::BOOKLET.as_bytes().to_vec(),
            passerelle_livret::bundled::BOOKLET_NAME.to_owned(),
        )),
    }
}
