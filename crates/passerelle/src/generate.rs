//! Generated data, for measurement only: `passerelle generate-cites` (a
//! hidden command) builds N cités from the Roubaix programme, each named
//! « Cité générée n°NNN (données générées) », with varied titles, audiences,
//! territories, people and review values, so that a national-size instance
//! (250 cités × 30 actions) can be loaded and measured. It refuses the
//! default database: generated data never ships in it.

use std::io::Write;

use anyhow::Context;
use passerelle_domain::{
    Action, ActionStatus, AgeRange, Catalogue, Email, FicheNumber, Slug, YearReview, YearValue,
    diff,
};
use passerelle_store::{CatalogueStore, ImportRecord};

use crate::catalogue;

/// Words that vary the generated titles (so that a search is selective).
const WORDS: [&str; 12] = [
    "lecture",
    "numérique",
    "sport",
    "santé",
    "parentalité",
    "orientation",
    "théâtre",
    "musique",
    "jardinage",
    "sciences",
    "cuisine",
    "citoyenneté",
];
const GIVEN: [&str; 10] = [
    "Nadia", "Karim", "Sophie", "Thomas", "Leïla", "Julien", "Fatou", "Marc", "Inès", "Paul",
];
const FAMILY: [&str; 10] = [
    "MARTIN", "BENALI", "DUBOIS", "NGUYEN", "LEFEBVRE", "DIALLO", "MOREAU", "ROUSSEL", "GARCIA",
    "PETIT",
];

/// A small deterministic generator: the same N gives the same cités.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        usize::try_from(self.0 >> 33).unwrap_or(0) % below.max(1)
    }
}

/// The Roubaix programme turned into generated cité number `i`, with
/// `actions` actions.
pub(crate) fn cite(base: &Catalogue, i: usize, actions: usize) -> anyhow::Result<Catalogue> {
    let mut rng = Lcg(i as u64 * 7919 + 17);
    let mut c = base.clone();
    let city = format!("Ville générée {i:03}");
    c.cite.slug = Slug::parse(&format!("generee-{i:03}"))?;
    c.cite.name = format!("Cité générée n°{i:03} (données générées)");
    c.cite.city = city.clone();
    c.cite.presentation = format!(
        "Données générées pour les mesures de performance, à partir du programme de Roubaix ; elles ne décrivent aucune cité réelle ({city})."
    );
    c.cite.national_id = None;
    c.cite.communes = vec![city.clone()];
    c.cite.qpv = Vec::new();
    for t in &mut c.territories {
        t.name = format!("{} ({city})", t.name);
        t.aliases.clear();
    }
    let domain = format!("ville-generee-{i:03}.fr");
    let mut renamed = std::collections::BTreeMap::new();
    for (k, p) in c.people.iter_mut().enumerate() {
        let given = GIVEN[(i + k) % GIVEN.len()];
        let family = FAMILY[(i * 3 + k) % FAMILY.len()];
        let name = format!("{given} {family}{k}");
        let local = passerelle_domain::text::fold(&format!("{given}.{family}{k}")).replace(' ', "");
        p.name = name.clone();
        p.name_variants.clear();
        p.emails = Email::parse(&format!("{local}@{domain}"))
            .into_iter()
            .collect();
        renamed.insert(
            p.slug.clone(),
            (name, p.emails.first().map(ToString::to_string)),
        );
    }
    for s in &mut c.seminars {
        s.slug = Slug::parse(&s.slug.as_str().replacen("roubaix", c.cite.slug.as_str(), 1))?;
    }
    let years: Vec<i32> = c
        .programmes
        .first()
        .map(|p| (p.start_year..=p.end_year).collect())
        .unwrap_or_default();
    let p = c
        .programmes
        .first_mut()
        .context("aucun programme dont partir pour la génération")?;
    let originals = p.actions.clone();
    p.actions.clear();
    for k in 0..actions {
        let mut a: Action = originals[k % originals.len()].clone();
        a.fiche = FicheNumber::new(u32::try_from(k + 1)?)?;
        let word = WORDS[rng.next(WORDS.len())];
        a.title = format!("{} : {word}", a.title);
        a.title_variants.clear();
        a.predecessor = None;
        for x in &mut a.audiences {
            if let Some(r) = x.ages {
                let shift = u32::try_from(rng.next(3))?;
                x.ages = AgeRange::new(r.min() + shift, (r.max() + shift).min(25))
                    .ok()
                    .or(Some(r));
            }
        }
        for contact in &mut a.contacts {
            if let Some((name, email)) = renamed.get(&contact.person) {
                contact.name.clone_from(name);
                contact.email.clone_from(email);
                contact.phone = None;
            }
        }
        a.review.years = years
            .iter()
            .map(|y| YearReview {
                year: *y,
                status: ActionStatus::ALL[rng.next(ActionStatus::ALL.len())],
                text: String::new(),
            })
            .collect();
        for ind in &mut a.review.indicators {
            ind.values = years
                .iter()
                .map(|y| YearValue {
                    year: *y,
                    value: (rng.next(40) + 1) as f64,
                    entered_by: format!("generateur@{domain}"),
                    validated_by: (rng.next(2) == 0).then(|| format!("coordination@{domain}")),
                })
                .collect();
        }
        p.actions.push(a);
    }
    Ok(c)
}

/// Adds `count` generated cités to the store (those already there are
/// replaced), printing how long it took.
pub(crate) async fn generate(
    out: &mut impl Write,
    store: &dyn CatalogueStore,
    count: usize,
    actions: usize,
) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    catalogue::seed_if_empty(store).await?;
    let base = catalogue::load(store, "roubaix")
        .await
        .context("la génération part du programme de Roubaix, absent de la base")?;
    let mut total = 0;
    for i in 1..=count {
        let c = cite(&base, i, actions)?;
        let slug = c.cite.slug.to_string();
        let new = c.to_entities();
        let old = store.entities(&slug).await?;
        let changes = diff(&old, &new);
        total += new.len();
        let record = ImportRecord {
            source: "passerelle generate-cites (données générées)".into(),
            added: changes.len(),
            updated: 0,
            removed: 0,
            report: "[]".into(),
        };
        if !changes.is_empty() {
            store.apply(&slug, &new, &changes, &record).await?;
        }
    }
    writeln!(
        out,
        "{count} cités générées ({actions} actions chacune, {total} éléments) en {:.1} s — données générées, pour les mesures seulement",
        started.elapsed().as_secs_f64()
    )?;
    Ok(())
}
