//! The figures a cité's *revue de projet* is pre-filled with, computed at
//! each reading from what the pages show — the same sources, the same
//! rules — each linking to the page it comes from. What the data do not
//! hold (relations with other cités) has no figure: the text says it.

use passerelle_domain::funding::report::{ReportState, ReportStatus, status};
use passerelle_domain::funding::{Funder, Situation, situation};
use passerelle_domain::money::Cents;
use passerelle_domain::newsletter::SubscriberStatus;
use passerelle_domain::{ActionStatus, Role};

use super::store_error;
use crate::shared::error::AppError;
use crate::shared::state::{AppState, Editing};

/// One figure: what it counts, its value as the page writes it, and the
/// page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Figure {
    pub(crate) label: String,
    pub(crate) value: String,
    pub(crate) href: String,
}

fn figure(label: impl Into<String>, value: impl ToString, href: &str) -> Figure {
    Figure {
        label: label.into(),
        value: value.to_string(),
        href: href.to_owned(),
    }
}

/// The instance's accounts, read once for the figures of one cité or of
/// all (none on a server without accounts).
pub(crate) async fn accounts(
    state: &AppState,
) -> Result<Vec<passerelle_domain::Account>, AppError> {
    match state.account_store() {
        Ok(store) => store
            .accounts()
            .await
            .map_err(|e| AppError::store("comptes", e)),
        Err(_) => Ok(Vec::new()),
    }
}

/// The figures of each section, by its key, for a cité and a year.
pub(crate) async fn figures(
    state: &AppState,
    editing: &Editing,
    accounts: &[passerelle_domain::Account],
    cite: &str,
    year: i32,
) -> Result<Vec<(&'static str, Vec<Figure>)>, AppError> {
    let tenant = state
        .tenant(cite)
        .ok_or_else(|| AppError::NotFound(format!("aucune cité « {cite} »")))?;
    let snapshot = tenant.snapshot();
    let catalogue = &snapshot.catalogue;
    let in_year = |iso: &str| iso.get(..4).and_then(|y| y.parse::<i32>().ok()) == Some(year);

    // Gouvernance.
    let troika = accounts
        .iter()
        .filter(|a| a.role_in(cite) == Some(Role::Troika))
        .count();
    let mut committees = 0;
    for call in editing.calls.calls(cite).await.map_err(store_error)? {
        committees += editing
            .calls
            .committees(cite, call.id)
            .await
            .map_err(store_error)?
            .iter()
            .filter(|c| in_year(&c.held_on))
            .count();
    }
    let seminars: Vec<_> = catalogue
        .seminars
        .iter()
        .filter(|s| s.date.year == year)
        .collect();
    let mut registered = 0;
    for s in &seminars {
        registered += editing
            .participation
            .registrations(cite, s.slug.as_str())
            .await
            .map_err(|e| AppError::store("inscriptions", e))?
            .len();
    }
    let gouvernance = vec![
        figure(
            "Membres de la troïka ayant un compte",
            troika,
            "/admin/comptes",
        ),
        figure(
            format!("Comités des appels à projets réunis en {year}"),
            committees,
            "/admin/appels",
        ),
        figure(
            format!("Séminaires en {year}"),
            seminars.len(),
            "/seminaire",
        ),
        figure("Inscriptions à ces séminaires", registered, "/seminaire"),
    ];

    // Déploiement opérationnel: the current programme's actions, as /bilan.
    let actions: Vec<_> = catalogue
        .current_programme()
        .map(|p| p.actions.iter().collect())
        .unwrap_or_default();
    let mut deploiement = vec![figure("Actions du programme", actions.len(), "/bilan")];
    let status_of = |a: &&passerelle_domain::Action| {
        a.review
            .years
            .iter()
            .find(|y| y.year == year)
            .map(|y| y.status)
    };
    for s in ActionStatus::ALL {
        let n = actions.iter().filter(|a| status_of(a) == Some(s)).count();
        deploiement.push(figure(
            format!("Actions « {} » en {year}", s.label()),
            n,
            "/bilan",
        ));
    }
    deploiement.push(figure(
        format!("Actions sans état renseigné pour {year}"),
        actions.iter().filter(|a| status_of(a).is_none()).count(),
        "/bilan",
    ));
    if let Some(p) = catalogue.current_programme() {
        for axis in &p.axes {
            let n = actions.iter().filter(|a| a.axis == axis.number).count();
            deploiement.push(figure(
                format!("Actions de l'axe {}", axis.number),
                n,
                &format!("/bilan/axes/{}", axis.number),
            ));
        }
    }
    if let Some(p) = catalogue.current_programme() {
        let columns: Vec<_> = passerelle_domain::review::coverage_columns(catalogue)
            .into_iter()
            .map(|(t, _)| t)
            .collect();
        let matrix = passerelle_domain::review::coverage(catalogue, p, None, &columns);
        let cells: Vec<&Vec<u32>> = matrix.iter().flat_map(|(_, cells)| cells).collect();
        deploiement.push(figure(
            "Croisements publics × secteurs sans aucune action",
            cells.iter().filter(|c| c.is_empty()).count(),
            "/bilan/couverture",
        ));
    }
    let stats = editing
        .referrals
        .referral_stats(cite)
        .await
        .map_err(|e| AppError::store("orientations", e))?;
    let sent_in_year: Vec<_> = stats
        .iter()
        .filter(|s| crate::shared::text::paris_year(s.sent_at) == year)
        .collect();
    deploiement.push(figure(
        format!("Orientations envoyées en {year}"),
        sent_in_year.len(),
        "/bilan",
    ));
    deploiement.push(figure(
        "dont acceptées",
        sent_in_year
            .iter()
            .filter(|s| s.state == passerelle_domain::referral::State::Accepted)
            .count(),
        "/bilan",
    ));

    // Communication.
    let issues = editing
        .newsletter
        .issues(cite)
        .await
        .map_err(|e| AppError::store("lettre", e))?;
    let subscribers = editing
        .newsletter
        .subscribers(cite)
        .await
        .map_err(|e| AppError::store("lettre", e))?;
    let communication = vec![
        figure(
            format!("Lettres d'information envoyées en {year}"),
            issues
                .iter()
                .filter(|i| i.sent_at.as_deref().is_some_and(in_year))
                .count(),
            "/admin/lettre",
        ),
        figure(
            "Abonnés confirmés aujourd'hui",
            subscribers
                .iter()
                .filter(|s| s.status == SubscriberStatus::Confirmed)
                .count(),
            "/admin/lettre",
        ),
        figure(
            "Jeux de données ouvertes publiés",
            passerelle_opendata::NAMES.len(),
            "/donnees",
        ),
    ];

    // Gestion financière, as the envelopes' page.
    let (lines, envelopes) = super::year_money(editing, cite, Some(year)).await?;
    let sources = super::sources(&envelopes, &lines, year);
    let envelopes_href = format!("/financements?annee={year}");
    let mut finances = Vec::new();
    for f in &sources {
        let s: Situation = situation(&envelopes, &lines, year, f);
        for (what, amount) in [
            ("enveloppe", s.envelope),
            ("voté", s.voted),
            ("versé", s.paid),
        ] {
            finances.push(figure(
                format!("{} : {what}", f.label()),
                amount.french(),
                &envelopes_href,
            ));
        }
    }
    let voted: Cents = lines.iter().map(|l| l.voted).sum();
    let commune: Cents = lines
        .iter()
        .filter(|l| l.funder == Funder::Commune)
        .map(|l| l.voted)
        .sum();
    finances.push(figure(
        "Part de la commune dans les montants votés",
        voted.share_permille(commune).map_or_else(
            || "aucun montant voté".to_owned(),
            |p| format!("{},{} %", p / 10, p % 10),
        ),
        &envelopes_href,
    ));
    let mut operators: Vec<&passerelle_domain::Slug> = lines
        .iter()
        .filter(|l| l.voted.0 > 0)
        .flat_map(|l| {
            catalogue
                .programmes
                .iter()
                .flat_map(|p| &p.actions)
                .filter(move |a| a.fiche.get() == l.fiche)
                .flat_map(|a| &a.operators)
                .filter_map(|o| o.organisation.as_ref())
        })
        .collect();
    operators.sort();
    operators.dedup();
    let lines_href = super::lines_href(year, None);
    finances.push(figure("Structures financées", operators.len(), &lines_href));
    finances.push(figure(
        "Conventions enregistrées",
        lines.iter().filter(|l| l.convention.is_some()).count(),
        &lines_href,
    ));
    let reports = editing
        .funding
        .funding_reports(cite, Some(year))
        .await
        .map_err(store_error)?;
    let today = crate::shared::text::paris_date(time::OffsetDateTime::now_utc());
    let late = lines
        .iter()
        .filter(|l| l.voted.0 > 0)
        .filter(|l| {
            let state: Option<ReportState> =
                reports.iter().find(|(k, _)| *k == l.key()).map(|(_, s)| *s);
            matches!(status(l.year, state, today), Some(ReportStatus::Late(_)))
        })
        .count();
    finances.push(figure(
        "Comptes rendus financiers en retard",
        late,
        &lines_href,
    ));

    // Évaluation: the indicators of the current programme's actions.
    let indicators: Vec<_> = actions.iter().flat_map(|a| &a.review.indicators).collect();
    let with_target = indicators.iter().filter(|i| i.target.is_some()).count();
    let valued: Vec<_> = indicators
        .iter()
        .filter_map(|i| i.value(year).map(|v| (i, v.value)))
        .collect();
    let met = valued
        .iter()
        .filter(|(i, v)| i.target.is_some_and(|t| t.met_by(*v)))
        .count();
    let evaluation = vec![
        figure("Indicateurs des actions", indicators.len(), "/bilan"),
        figure("dont avec une cible", with_target, "/bilan"),
        figure(format!("Renseignés pour {year}"), valued.len(), "/bilan"),
        figure(format!("Cibles atteintes en {year}"), met, "/bilan"),
    ];

    Ok(vec![
        ("gouvernance", gouvernance),
        ("deploiement", deploiement),
        ("cooperation", Vec::new()),
        ("communication", communication),
        ("finances", finances),
        ("evaluation", evaluation),
    ])
}
