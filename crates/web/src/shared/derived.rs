//! What is derived from every cité's snapshots together — the national
//! search index, the national review — computed once per generation of the
//! snapshots (`Cites::generation`, the highest of theirs: any write in any
//! cité makes it newer), and kept until a newer one replaces it.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};

use passerelle_domain::Catalogue;
use passerelle_search::{SearchError, SearchIndex};

use crate::shared::ctx::Viewer;
use crate::shared::state::AppState;

/// A value derived from the snapshots, with the generation it was made from.
#[derive(Debug)]
pub(crate) struct Derived<T> {
    slot: RwLock<Option<(u64, Arc<T>)>>,
    building: AtomicBool,
}

impl<T> Default for Derived<T> {
    fn default() -> Self {
        Derived {
            slot: RwLock::new(None),
            building: AtomicBool::new(false),
        }
    }
}

impl<T> Derived<T> {
    /// The latest value made, whatever its generation.
    pub(crate) fn latest(&self) -> Option<(u64, Arc<T>)> {
        self.slot
            .read()
            .ok()
            .and_then(|s| s.as_ref().map(|(g, v)| (*g, Arc::clone(v))))
    }

    /// The value if it was made from this generation.
    pub(crate) fn current(&self, generation: u64) -> Option<Arc<T>> {
        self.latest()
            .filter(|(g, _)| *g == generation)
            .map(|(_, v)| v)
    }

    /// Keeps a value, unless a newer one is already kept.
    pub(crate) fn store(&self, generation: u64, value: Arc<T>) {
        if let Ok(mut slot) = self.slot.write()
            && slot.as_ref().is_none_or(|(g, _)| *g <= generation)
        {
            *slot = Some((generation, value));
        }
    }

    /// Claims the right to build a newer value (one builder at a time).
    pub(crate) fn start_building(&self) -> bool {
        self.building
            .compare_exchange(false, true, Ordering::AcqRel, Ordering::Acquire)
            .is_ok()
    }

    pub(crate) fn done_building(&self) {
        self.building.store(false, Ordering::Release);
    }
}

/// One search index over every cité's actions (as the public sees them),
/// so that a national search is one search, not one per cité. Its
/// catalogue holds every cité's programmes in a row; `owners` says whose
/// each programme is.
#[derive(Debug)]
pub(crate) struct NationalIndex {
    pub(crate) catalogue: Catalogue,
    pub(crate) index: SearchIndex,
    /// For each programme of `catalogue`: the cité's position among the
    /// instance's cités, its slug, name and root.
    pub(crate) owners: Vec<(usize, String, String, String)>,
}

impl NationalIndex {
    /// Builds it from the current snapshots (seconds at national size: run
    /// it off the async threads).
    pub(crate) fn build(state: &AppState) -> Result<(u64, NationalIndex), SearchError> {
        // The generation is read first: a write meanwhile makes this one stale.
        let generation = state.cites.generation();
        let tenants = state.cites.all();
        let several = tenants.len() > 1;
        let mut catalogue: Option<Catalogue> = None;
        let mut owners = Vec::new();
        let public = Viewer::default();
        for (i, t) in tenants.iter().enumerate() {
            let snapshot = t.snapshot();
            let c = &snapshot.view(&public).catalogue;
            let root = if several {
                format!("/{}", t.slug())
            } else {
                String::new()
            };
            let union = catalogue.get_or_insert_with(|| Catalogue::empty(c.cite.clone()));
            for p in &c.programmes {
                union.programmes.push(p.clone());
                owners.push((i, t.slug().to_owned(), c.cite.name.clone(), root.clone()));
            }
        }
        let catalogue = catalogue.unwrap_or_else(|| {
            Catalogue::empty(passerelle_domain::Cite {
                slug: passerelle_domain::Slug::from_text("national"),
                name: String::new(),
                city: String::new(),
                presentation: String::new(),
                national_id: None,
                communes: Vec::new(),
                qpv: Vec::new(),
                contact_emails: Vec::new(),
                interface_reviews: Vec::new(),
            })
        });
        let mut catalogue = catalogue;
        let index = SearchIndex::build(&catalogue)?;
        // Once indexed, the texts are not read again: the search's filters
        // read audiences, axes, themes, perimeters and organisations, and a
        // result shows the title. What is kept is what they need.
        for a in catalogue
            .programmes
            .iter_mut()
            .flat_map(|p| p.actions.iter_mut())
        {
            a.description = String::new();
            a.objectives = Vec::new();
            a.contacts = Vec::new();
            a.resources = Vec::new();
            a.title_variants = Vec::new();
            a.review = passerelle_domain::ActionReview::default();
        }
        Ok((
            generation,
            NationalIndex {
                catalogue,
                index,
                owners,
            },
        ))
    }
}

/// The national index: the current one, or the latest while a newer one is
/// built in the background; built once, and waited for, when there is none.
pub(crate) async fn national_index(
    state: &AppState,
) -> Result<Arc<NationalIndex>, crate::shared::error::AppError> {
    let generation = state.cites.generation();
    let slot = Arc::clone(&state.national_index);
    if let Some((g, index)) = slot.latest() {
        if g != generation && slot.start_building() {
            let state = state.clone();
            tokio::task::spawn_blocking(move || {
                match NationalIndex::build(&state) {
                    Ok((g, index)) => slot.store(g, Arc::new(index)),
                    Err(e) => tracing::error!(error = %e, "national index not rebuilt"),
                }
                slot.done_building();
            });
        }
        return Ok(index);
    }
    let state = state.clone();
    let built = tokio::task::spawn_blocking(move || NationalIndex::build(&state))
        .await
        .map_err(|e| crate::shared::error::AppError::Internal(format!("national index: {e}")))??;
    let (g, index) = built;
    let index = Arc::new(index);
    slot.store(g, Arc::clone(&index));
    Ok(index)
}
