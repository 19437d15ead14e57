//! An action told to a family (`/actions/{n}/familles`, and in the
//! families' languages under `/ar/…`, `/tr/…`, `/pt/…`, `/en/…`): short
//! plain sentences from the structured data, whom to call, what the fiche
//! does not say; the professional text one link away. The orientation
//! sheet shows each action the same way.

use askama::Template;
use axum::extract::Path;
use axum::response::Html;
use passerelle_domain::plain::family_facts;
use passerelle_domain::{Action, TerritoryKind, TranslationState};

use super::orient::{Whom, whom_to_call};
use crate::shared::ctx::Seen;
use crate::shared::error::AppError;
use crate::shared::i18n::Lang;
use crate::shared::layout::{Meta, Nav, render};
use crate::shared::state::Snapshot;
use crate::shared::text::fr;

/// What a family reads of one action. Data (names, labels) is shown as
/// stored, in French; the wording around it is in the page's language.
pub(crate) struct FamilyView {
    pub(crate) title: String,
    /// The title in the page's language, when translated.
    pub(crate) translated_title: Option<String>,
    /// « En bref », as HTML, when written: in the page's language when
    /// translated (`summary_translated`), in French otherwise.
    pub(crate) summary: Option<String>,
    pub(crate) summary_translated: bool,
    /// What is translated is not reviewed yet.
    pub(crate) unreviewed: bool,
    pub(crate) for_whom: Vec<WhomLine>,
    /// (kind, names): "Écoles", "École Littré, École Lavoisier".
    pub(crate) places: Vec<(String, String)>,
    pub(crate) places_printed: bool,
    pub(crate) run_by: Vec<String>,
    pub(crate) contacts: Vec<Contact>,
    /// The page for professionals (in French).
    pub(crate) href: String,
}

/// An audience: its label as printed, the ages in the page's language.
pub(crate) struct WhomLine {
    pub(crate) label: String,
    pub(crate) ages: Option<String>,
    pub(crate) note: Option<String>,
}

/// A person to call, the steering group said in the page's language.
pub(crate) struct Contact {
    pub(crate) whom: Whom,
    /// "pilotage de la Cité éducative", for the troïka.
    pub(crate) steering: Option<String>,
    /// The group or function as printed.
    pub(crate) role: String,
}

fn ages(lang: Lang, min: u32, max: u32) -> String {
    match (min, max) {
        (0, 0) => lang.t("ages-baby"),
        (a, b) if a == b => lang.t_with("ages-one", &[("age", a.into())]),
        (a, b) => lang.t_with("ages-range", &[("min", a.into()), ("max", b.into())]),
    }
}

fn place_key(kind: TerritoryKind) -> &'static str {
    match kind {
        TerritoryKind::Quartier => "place-quartier",
        TerritoryKind::CentreSocial => "place-centre-social",
        TerritoryKind::Ecole => "place-ecole",
        TerritoryKind::College => "place-college",
        TerritoryKind::ReseauRepPlus => "place-reseau",
        TerritoryKind::Secteur => "place-secteur",
        TerritoryKind::Cite => "place-cite",
    }
}

pub(crate) fn family_view(s: &Snapshot, a: &Action, lang: Lang) -> FamilyView {
    let f = family_facts(&s.catalogue, a);
    let translation = lang.translation(a);
    let translated_summary = translation
        .map(|t| t.summary.trim())
        .filter(|t| !t.is_empty());
    let summary = translated_summary.unwrap_or(&f.summary);
    FamilyView {
        title: fr(&a.title),
        translated_title: translation.map(|t| t.title.trim().to_owned()),
        summary: (!summary.is_empty()).then(|| s.markdown(summary).to_string()),
        summary_translated: translated_summary.is_some(),
        unreviewed: translation.is_some_and(|t| t.state != TranslationState::Relu),
        for_whom: f
            .for_whom
            .iter()
            .map(|w| WhomLine {
                label: fr(&w.label),
                ages: w.ages.map(|(min, max)| {
                    let ages = ages(lang, min, max);
                    if w.parents {
                        lang.t_with("ages-of-children", &[("ages", ages.into())])
                    } else {
                        ages
                    }
                }),
                note: w.note.as_deref().map(fr),
            })
            .collect(),
        places: f
            .places
            .iter()
            .map(|g| (lang.t(place_key(g.kind)), fr(&g.names.join(", "))))
            .collect(),
        places_printed: f.places_printed,
        run_by: f.run_by.iter().map(|x| fr(x)).collect(),
        contacts: whom_to_call(s, a)
            .into_iter()
            .map(|whom| {
                // The programme's own word; a family needs it said.
                let (steering, role) = match whom.role.strip_prefix("Troïka") {
                    Some(rest) => (
                        Some(lang.t("family-steering")),
                        rest.trim_start_matches([' ', '—']).to_owned(),
                    ),
                    None => (None, whom.role.clone()),
                };
                Contact {
                    whom,
                    steering,
                    role,
                }
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
    /// "Fiche n°10", in the page's language.
    pub(crate) fiche_label: String,
    /// On the orientation sheet (what no fiche says is said once there).
    pub(crate) sheet: bool,
}

pub(crate) async fn page(
    s: Seen,
    lang: Lang,
    Path(n): Path<String>,
) -> Result<Html<String>, AppError> {
    let (_, a) = super::pages::fiche(&s, &n)?;
    let page = FamilyPage {
        meta: Meta::new(
            lang.t_with("family-title", &[("title", a.title.as_str().into())]),
            &s.here,
            Nav::Orient,
        )
        .in_lang(lang, &format!("/actions/{}/familles", a.fiche)),
        v: family_view(&s, a, lang),
        fiche_label: lang.t_with("fiche-number", &[("n", a.fiche.get().into())]),
        sheet: false,
    };
    render(&page)
}
