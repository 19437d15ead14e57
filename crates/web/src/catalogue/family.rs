//! An action told to a family (`/actions/{n}/familles`): short plain
//! sentences from the structured data, whom to call, what the fiche does
//! not say; the professional text one link away. The orientation sheet
//! shows each action the same way.

use askama::Template;
use axum::extract::Path;
use axum::response::Html;
use passerelle_domain::Action;
use passerelle_domain::plain::family_facts;

use super::orient::{Whom, whom_to_call};
use crate::shared::ctx::Seen;
use crate::shared::error::AppError;
use crate::shared::layout::{Meta, Nav, render};
use crate::shared::state::Snapshot;
use crate::shared::text::fr;

/// What a family reads of one action.
pub(crate) struct FamilyView {
    pub(crate) fiche: u32,
    pub(crate) title: String,
    /// « En bref », as HTML, when written.
    pub(crate) summary: Option<String>,
    pub(crate) for_whom: Vec<String>,
    /// (kind, names): "Écoles", "École Littré, École Lavoisier".
    pub(crate) places: Vec<(&'static str, String)>,
    pub(crate) places_printed: bool,
    pub(crate) run_by: Vec<String>,
    pub(crate) contacts: Vec<Whom>,
    /// The page for professionals.
    pub(crate) href: String,
}

pub(crate) fn family_view(s: &Snapshot, a: &Action) -> FamilyView {
    let f = family_facts(&s.catalogue, a);
    FamilyView {
        fiche: a.fiche.get(),
        title: fr(&a.title),
        summary: (!f.summary.is_empty()).then(|| s.markdown(&f.summary).to_string()),
        for_whom: f.for_whom.iter().map(|x| fr(x)).collect(),
        places: f
            .places
            .iter()
            .map(|g| (g.label, fr(&g.names.join(", "))))
            .collect(),
        places_printed: f.places_printed,
        run_by: f.run_by.iter().map(|x| fr(x)).collect(),
        contacts: whom_to_call(s, a)
            .into_iter()
            .map(|mut w| {
                // The word is the programme's own; a family needs it said.
                if let Some(rest) = w.role.strip_prefix("Troïka") {
                    w.role = format!("pilotage de la Cité éducative{rest}");
                }
                w
            })
            .collect(),
        href: format!("/actions/{}", a.fiche),
    }
}

#[derive(Template)]
#[template(path = "catalogue/family.html")]
pub(crate) struct FamilyPage {
    pub(crate) meta: Meta,
    pub(crate) v: FamilyView,
    /// On the orientation sheet (what no fiche says is said once there).
    pub(crate) sheet: bool,
}

pub(crate) async fn page(s: Seen, Path(n): Path<String>) -> Result<Html<String>, AppError> {
    let (_, a) = super::pages::fiche(&s, &n)?;
    let page = FamilyPage {
        meta: Meta::new(
            format!("{} : pour les familles", a.title),
            &s.here,
            Nav::Orient,
        ),
        v: family_view(&s, a),
        sheet: false,
    };
    render(&page)
}
