//! One button makes a retained application an action of the chosen
//! programme: every field carried over, the structure linked to its
//! organisation (created if new), the person to contact to theirs, the
//! applicant made the referent of the structure in the cité (when they
//! hold no role there yet). The action then shows in the catalogue, the
//! booklet and the next programme, like any other.

use axum::extract::{Path, State as AxumState};
use axum::response::Response;
use passerelle_domain::call::{State, adopt};
use passerelle_domain::{Entity, EntityKind, Membership, Role};
use passerelle_store::StoreError;
use passerelle_store::calls::By;

use super::{Standing, not_found, now, opened, store_error};
use crate::shared::ctx::{Editor, Posted};
use crate::shared::error::AppError;
use crate::shared::form::{OptionView, Submitted};
use crate::shared::state::AppState;

/// The history's word for an application that became an action.
pub(crate) const ADOPTED: &str = "action";

/// What the page of a retained application offers its instructors.
pub(crate) struct AdoptView {
    pub(crate) post_to: String,
    pub(crate) programmes: Vec<OptionView>,
    /// The fiche it became: (its link, what the history says).
    pub(crate) done: Option<(String, String)>,
}

/// The offer, or what was done, for a retained application.
pub(crate) fn view(
    ed: &Editor,
    app: &passerelle_domain::call::application::Application,
) -> Option<AdoptView> {
    if app.state != State::Retenue {
        return None;
    }
    let done = app
        .history
        .iter()
        .rev()
        .find(|h| h.event == ADOPTED)
        .map(|h| {
            let fiche = h
                .note
                .split_whitespace()
                .find_map(|w| w.parse::<u32>().ok())
                .unwrap_or(0);
            (format!("/actions/{fiche}"), h.note.clone())
        });
    let snapshot = ed.here.snapshot();
    let current = snapshot.programme().map(|p| p.slug.as_str().to_owned());
    Some(AdoptView {
        post_to: format!("/candidatures/{}/action", app.id),
        programmes: snapshot
            .catalogue
            .programmes
            .iter()
            .map(|p| OptionView {
                value: p.slug.as_str().to_owned(),
                label: p.title.clone(),
                selected: Some(p.slug.as_str().to_owned()) == current,
            })
            .collect(),
        done,
    })
}

fn entity<T: serde::Serialize>(
    kind: EntityKind,
    key: String,
    value: &T,
) -> Result<Entity, AppError> {
    Ok(Entity {
        kind,
        key,
        body: serde_json::to_value(value)
            .map_err(|e| AppError::Internal(format!("{kind}: {e}")))?,
    })
}

/// `POST /candidatures/{id}/action` (`programme`): once, by an instructor,
/// for a retained application.
pub(crate) async fn make_action(
    AxumState(state): AxumState<AppState>,
    ed: Editor,
    Path(id): Path<String>,
    Posted { who, form: sent }: Posted<Submitted>,
) -> Result<Response, AppError> {
    let o = opened(&ed, &who, &id).await?;
    if o.standing != Standing::Instructor {
        return Err(not_found());
    }
    if o.app.state != State::Retenue {
        return Err(AppError::Conflict(
            "Seule une candidature retenue devient une action du programme.".into(),
        ));
    }
    if o.app.history.iter().any(|h| h.event == ADOPTED) {
        return Err(AppError::Conflict(
            "Cette candidature est déjà devenue une action.".into(),
        ));
    }
    let programme = sent.get("programme");
    let snapshot = ed.here.snapshot();
    let adoption = adopt(
        &snapshot.catalogue,
        programme,
        &o.app.form,
        &o.app.applicant,
    )
    .map_err(|e| {
        AppError::Unprocessable(
            "programme".into(),
            format!("{}.", passerelle_domain::text::capitalized(&e.to_string())),
        )
    })?;
    let actor = who.account.email.as_str();
    let conflict = |e: StoreError| match e {
        StoreError::Conflict { .. } => AppError::Conflict(
            "Une fiche vient d'être créée sous ce numéro : rechargez la page et recommencez."
                .into(),
        ),
        other => store_error(other),
    };
    if let Some(org) = &adoption.new_organisation {
        let e = entity(EntityKind::Organisation, org.slug.as_str().to_owned(), org)?;
        ed.store
            .save(ed.cite(), &e, 0, actor)
            .await
            .map_err(conflict)?;
    }
    if let Some(person) = &adoption.new_person {
        let e = entity(EntityKind::Person, person.slug.as_str().to_owned(), person)?;
        ed.store
            .save(ed.cite(), &e, 0, actor)
            .await
            .map_err(conflict)?;
    }
    let fiche = adoption.action.fiche.get();
    let key = format!("{programme}/{}", adoption.action.slug());
    let e = entity(EntityKind::Action, key, &adoption.action)?;
    ed.store
        .save(ed.cite(), &e, 0, actor)
        .await
        .map_err(conflict)?;
    let programme_title = snapshot
        .catalogue
        .programmes
        .iter()
        .find(|p| p.slug.as_str() == programme)
        .map_or_else(|| programme.to_owned(), |p| p.title.clone());
    ed.calls
        .log_application(
            ed.cite(),
            o.app.id,
            ADOPTED,
            &format!("Devenue la fiche n° {fiche} de « {programme_title} »"),
            By { actor, now: now() },
        )
        .await
        .map_err(store_error)?;
    proposals(&ed, &o, fiche, actor).await?;
    // The applicant becomes the structure's referent, unless they already
    // have a role in the cité.
    let accounts = state.account_store()?;
    if let Some((account, _)) = accounts
        .account(&o.app.applicant)
        .await
        .map_err(store_error)?
        && account.role_in(ed.cite()).is_none()
    {
        let membership = Membership::new(
            ed.cite(),
            Role::Referent,
            Some(adoption.organisation.clone()),
        );
        accounts
            .set_membership(account.email.as_str(), ed.cite(), Some(&membership), actor)
            .await
            .map_err(store_error)?;
    }
    ed.rebuild(&state).await?;
    Ok(who.see_other(&format!("/actions/{fiche}")))
}

/// The amounts the committee proposed for the retained application become
/// the new action's funding lines, *proposé* (of the committee's year),
/// in its history as the committee's; a line that exists already is left
/// as it is.
async fn proposals(
    ed: &Editor,
    o: &super::Opened,
    fiche: u32,
    actor: &str,
) -> Result<(), AppError> {
    use passerelle_domain::funding::{Funder, FundingLine};
    use passerelle_store::funding::Put;
    let cite = ed.cite();
    let decisions = ed
        .calls
        .decisions(cite, o.call.id)
        .await
        .map_err(store_error)?;
    let Some(decision) = decisions.iter().find(|d| d.application == o.app.id) else {
        return Ok(());
    };
    let committees = ed
        .calls
        .committees(cite, o.call.id)
        .await
        .map_err(store_error)?;
    let Some(year) = committees
        .iter()
        .find(|c| c.id == decision.committee)
        .and_then(|c| c.held_on.get(..4)?.parse::<i32>().ok())
    else {
        return Ok(());
    };
    for (funder, cents) in &decision.amounts {
        let Some(funder) = Funder::read(funder) else {
            continue;
        };
        let line = FundingLine {
            proposed: *cents,
            ..FundingLine::new(fiche, year, funder)
        };
        ed.funding
            .save_funding(
                cite,
                &[Put::Line {
                    line,
                    expected: Some(0),
                }],
                By { actor, now: now() },
                "comité",
            )
            .await
            .map_err(|e| AppError::store("financements", e))?;
    }
    Ok(())
}
