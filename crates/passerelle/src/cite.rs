//! `passerelle cite add | list | remove`: the cités an instance serves.

use std::io::Write;
use std::path::{Path, PathBuf};

use passerelle_domain::{Catalogue, Cite, EntityKind, Slug, diff};
use passerelle_livret::{Reference, Severity};
use passerelle_store::ImportRecord;

use crate::catalogue;
use crate::config::Config;

/// Who the command line writes as, in history.
const ACTOR: &str = "ligne de commande";

/// A new cité's identity, checked: a slug that is not one of the
/// instance's own path words, and a name.
pub(crate) fn identity(slug: &str, name: &str) -> anyhow::Result<Cite> {
    let slug = Slug::parse(slug).map_err(|e| anyhow::anyhow!("--slug « {slug} » : {e}"))?;
    if passerelle_web::RESERVED_SLUGS.contains(&slug.as_str()) {
        anyhow::bail!(
            "--slug « {slug} » : ce mot sert déjà aux adresses de Passerelle ; choisissez-en un autre (le nom de la ville, par exemple)"
        );
    }
    let name = name.trim();
    if name.is_empty() {
        anyhow::bail!("--name : le nom de la cité est vide");
    }
    let city = name
        .rsplit_once(" de ")
        .map_or(name, |(_, city)| city)
        .trim()
        .to_owned();
    Ok(Cite {
        slug,
        name: name.to_owned(),
        city,
        presentation: String::new(),
        national_id: None,
        communes: Vec::new(),
        qpv: Vec::new(),
        contact_emails: Vec::new(),
        interface_reviews: Vec::new(),
    })
}

/// Adds a cité: empty (filled on the web), or from a booklet in the
/// Roubaix format read with `reference` (the cité's own reference files;
/// none: every organisation and territory is new, and reported).
pub(crate) async fn add(
    out: &mut impl Write,
    store: &dyn passerelle_store::Store,
    cite: Cite,
    from: Option<&Path>,
    reference: Option<Reference>,
) -> anyhow::Result<()> {
    let slug = cite.slug.to_string();
    // A fresh instance serves Roubaix first: it stays the default cité.
    catalogue::seed_if_empty(store).await?;
    if store.cites().await?.contains(&slug) {
        anyhow::bail!("la cité « {slug} » existe déjà (voir `passerelle cite list`)");
    }
    let added = match from {
        None => {
            let entities = Catalogue::empty(cite.clone()).to_entities();
            let changes = diff(&[], &entities);
            let record = ImportRecord {
                source: "passerelle cite add".to_owned(),
                added: changes.len(),
                updated: 0,
                removed: 0,
                report: "[]".to_owned(),
            };
            store.apply(&slug, &entities, &changes, &record).await?;
            changes.len()
        }
        Some(path) => {
            let bytes = crate::files::read(path)?;
            let source = path.display().to_string();
            if passerelle_sheet::Format::is_sheet_name(&source) {
                // An empty cité first, then the spreadsheet read into it.
                let entities = Catalogue::empty(cite.clone()).to_entities();
                let record = ImportRecord {
                    source: "passerelle cite add".to_owned(),
                    added: entities.len(),
                    updated: 0,
                    removed: 0,
                    report: "[]".to_owned(),
                };
                store
                    .apply(&slug, &entities, &diff(&[], &entities), &record)
                    .await?;
                let outcome = catalogue::import_sheet(store, &slug, &bytes, &source, false).await?;
                for i in outcome
                    .report
                    .iter()
                    .filter(|i| i.severity != Severity::Info)
                {
                    writeln!(out, "{} : {}", i.located(&source), i.message)?;
                }
                writeln!(
                    out,
                    "{source} : {} irrégularité(s) relevée(s) : voir `passerelle --cite {slug} check {source}`",
                    outcome.report.len()
                )?;
                outcome.changes.len() + entities.len()
            } else {
                // The booklet is read as this cité's: its identity replaces the
                // reference's (whose presentation stays).
                let mut reference = reference.unwrap_or_else(|| Reference::empty(cite.clone()));
                reference.cite = Cite {
                    presentation: reference.cite.presentation.clone(),
                    ..cite.clone()
                };
                let outcome = catalogue::import(store, &bytes, &source, &reference, false).await?;
                writeln!(
                    out,
                    "{source} : {} irrégularité(s) relevée(s) : voir `passerelle check`",
                    outcome.report.len()
                )?;
                outcome.changes.len()
            }
        }
    };
    writeln!(
        out,
        "Cité « {} » ajoutée ({slug}) : {added} élément(s). Redémarrez `passerelle serve` pour la servir ; avec plusieurs cités, elle est à l'adresse /{slug}/.",
        cite.name,
    )?;
    Ok(())
}

/// Lists the cités with what each holds.
pub(crate) async fn list(
    out: &mut impl Write,
    store: &dyn passerelle_store::Store,
) -> anyhow::Result<()> {
    let cites = store.cites().await?;
    if cites.is_empty() {
        writeln!(
            out,
            "Aucune cité : `passerelle serve` charge celle de Roubaix au premier démarrage."
        )?;
    }
    for (i, slug) in cites.iter().enumerate() {
        let catalogue = catalogue::load(store, slug).await?;
        let programme = catalogue
            .current_programme()
            .map_or_else(|| "aucun programme".to_owned(), |p| p.title.clone());
        writeln!(
            out,
            "{slug}\t{}\t{programme}\t{} action(s)\t{} événement(s){}",
            catalogue.cite.name,
            catalogue.actions().count(),
            catalogue.seminars.len(),
            if i == 0 { "\t(par défaut)" } else { "" }
        )?;
    }
    Ok(())
}

/// Removes a cité: refused while it holds data (actions, people,
/// organisations, events, registrations) unless `force`, which writes a
/// backup first. Removing archives every entity (history keeps them, as it
/// keeps everything); the cité's own entity goes last, so an interrupted
/// removal leaves the cité listed and can be run again.
pub(crate) async fn remove(
    out: &mut impl Write,
    store: &dyn passerelle_store::Store,
    config: &Config,
    slug: &str,
    force: bool,
) -> anyhow::Result<()> {
    if !store.cites().await?.iter().any(|c| c == slug) {
        anyhow::bail!("aucune cité « {slug} » (voir `passerelle cite list`)");
    }
    let entities = store.entities(slug).await?;
    let mut registrations = 0;
    let catalogue = Catalogue::from_entities(entities.clone())?;
    for event in &catalogue.seminars {
        registrations += store.registrations(slug, event.slug.as_str()).await?.len();
    }
    let data = entities
        .iter()
        .filter(|e| e.kind != EntityKind::Cite)
        .count();
    if (data > 0 || registrations > 0) && !force {
        anyhow::bail!(
            "la cité « {slug} » contient {data} élément(s) et {registrations} inscription(s) : rien n'est supprimé. `--force` les archive après une sauvegarde."
        );
    }
    if data > 0 || registrations > 0 {
        let backup = backup_path(config, slug);
        if let Some(dir) = backup.parent() {
            crate::files::create_dir_all(dir)?;
        }
        store.backup(&backup).await?;
        writeln!(out, "Sauvegarde écrite : {}", backup.display())?;
    }
    let (cite, rest): (Vec<_>, Vec<_>) = entities
        .into_iter()
        .partition(|e| e.kind == EntityKind::Cite);
    for e in rest.iter().chain(&cite) {
        let Some(v) = store.entity(slug, e.kind, &e.key).await? else {
            continue;
        };
        store
            .set_archived(slug, e.kind, &e.key, v.version, true, ACTOR)
            .await?;
    }
    writeln!(
        out,
        "Cité « {slug} » retirée ({data} élément(s) archivé(s))."
    )?;
    Ok(())
}

fn backup_path(config: &Config, slug: &str) -> PathBuf {
    let now = time::OffsetDateTime::now_utc();
    config.data_dir.join("backups").join(format!(
        "avant-retrait-{slug}-{:04}{:02}{:02}-{:02}{:02}{:02}.db",
        now.year(),
        u8::from(now.month()),
        now.day(),
        now.hour(),
        now.minute(),
        now.second()
    ))
}
