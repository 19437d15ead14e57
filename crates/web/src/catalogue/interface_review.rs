//! `POST /qualite/interface`: the coordination records that a native
//! speaker reviewed the interface in one of the families' languages. The
//! record goes into the cité's entity (its history keeps it); the pages in
//! that language then say who reviewed them instead of "awaiting review".

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use passerelle_domain::{Cite, Entity, EntityKind, InterfaceReview};
use passerelle_store::StoreError;

use super::quality::quality_page;
use crate::shared::ctx::{Editor, Posted, Seen};
use crate::shared::error::{AppError, store_error};
use crate::shared::form::Submitted;
use crate::shared::layout::render;
use crate::shared::state::AppState;

/// The review as typed, or what is wrong with it.
fn read(form: &Submitted) -> Result<(String, String, passerelle_domain::Date), String> {
    let lang = form.get("lang").trim();
    if !passerelle_domain::FAMILY_LANGUAGES
        .iter()
        .any(|(c, _)| *c == lang)
    {
        return Err("Choisissez la langue relue.".into());
    }
    let by = passerelle_domain::text::squash_spaces(form.get("by"));
    if by.is_empty() || by.chars().count() > 100 {
        return Err("Indiquez qui a relu la traduction (100 caractères au plus).".into());
    }
    let on = passerelle_domain::referral::parse_date(form.get("on"))
        .filter(|d| *d <= crate::shared::text::paris_today())
        .ok_or_else(|| {
            "Indiquez le jour de la relecture (AAAA-MM-JJ), aujourd'hui au plus tard.".to_owned()
        })?;
    Ok((lang.to_owned(), by, on))
}

pub(crate) async fn mark(
    State(state): State<AppState>,
    ed: Editor,
    s: Seen,
    Posted { who, form }: Posted<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let account = who.administrator(
        "Seule l'équipe de coordination de la cité enregistre la relecture d'une traduction.",
    )?;
    let form = Submitted::new(form);
    let (lang, by, on) = match read(&form) {
        Ok(v) => v,
        Err(message) => {
            let mut page = quality_page(&s);
            page.review_error = Some(message);
            page.review_typed = (
                form.get("lang").to_owned(),
                form.get("by").to_owned(),
                form.get("on").to_owned(),
            );
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response());
        }
    };
    let key = ed.here.snapshot().catalogue.cite.slug.to_string();
    let stored = ed
        .store
        .entity(ed.cite(), EntityKind::Cite, &key)
        .await
        .map_err(store_error)?
        .ok_or_else(|| AppError::NotFound("La cité n'est pas enregistrée.".into()))?;
    let mut cite: Cite = serde_json::from_value(stored.entity.body)
        .map_err(|e| AppError::Internal(format!("cite entity: {e}")))?;
    cite.interface_reviews.retain(|r| r.lang != lang);
    cite.interface_reviews.push(InterfaceReview {
        lang,
        by,
        on,
        recorded_by: account.email.to_string(),
    });
    cite.interface_reviews.sort_by(|a, b| a.lang.cmp(&b.lang));
    let entity = Entity {
        kind: EntityKind::Cite,
        key,
        body: serde_json::to_value(&cite).map_err(|e| AppError::Internal(e.to_string()))?,
    };
    match ed
        .store
        .save(ed.cite(), &entity, stored.version, account.email.as_str())
        .await
    {
        Ok(_) => {}
        Err(StoreError::Conflict { .. }) => {
            return Err(AppError::Conflict(
                "La fiche de la cité a changé entre-temps : rechargez la page et recommencez."
                    .into(),
            ));
        }
        Err(e) => return Err(store_error(e)),
    }
    ed.rebuild(&state).await?;
    Ok(who.see_other("/qualite#traductions"))
}
