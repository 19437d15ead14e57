//! The operator's link, usable without an account: it opens one referral
//! for [`passerelle_domain::referral::LINK_DAYS`] days and answers it. A
//! token no referral holds is a 404 (a link tampered with); an expired one
//! shows nothing of the referral and offers a new link, mailed to the
//! action's contacts (not to whoever asks).

use axum::Form;
use axum::extract::{Path, State as AxumState};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use passerelle_auth::token_hash;
use passerelle_domain::referral::{Referral, State};

use super::pages::{answer_event, view_page};
use super::{apply, new_link, operator_mails, send_all, store_error};
use crate::shared::ctx::{Editor, unix_now};
use crate::shared::error::AppError;
use crate::shared::form::Submitted;
use crate::shared::layout::{Meta, Nav, no_store, render};
use crate::shared::state::AppState;

fn unknown() -> AppError {
    AppError::NotFound(
        "Ce lien n'ouvre aucune orientation : vérifiez qu'il a été copié en entier, ou demandez au professionnel de vous le renvoyer."
            .into(),
    )
}

/// The referral this link opens, and whether the link still works.
async fn by_link(ed: &Editor, token: &str) -> Result<(Referral, i64), AppError> {
    if token.len() > 200 {
        return Err(unknown());
    }
    let (r, expires) = ed
        .referrals
        .referral_by_link(&token_hash(token))
        .await
        .map_err(store_error)?
        .filter(|(r, _)| r.cite == ed.cite())
        .ok_or_else(unknown)?;
    Ok((r, expires))
}

fn link_page(ed: &Editor, token: &str, r: &Referral, expires: i64) -> super::pages::ViewPage {
    let valid = unix_now() < expires;
    let snapshot = ed.here.snapshot();
    let action = snapshot.action(r.fiche).map(|(_, a)| a);
    let meta = Meta::new(format!("Orientation n° {}", r.id), &ed.here, Nav::None);
    let mut p = view_page(meta, String::new(), r, action);
    if valid {
        if matches!(r.state, State::Sent | State::NeedsDetails) {
            p.answer_to = Some(format!("/orientation/{token}"));
        }
    } else {
        // An expired link shows nothing of the referral.
        p.details.clear();
        p.history.clear();
        p.renew_to = Some(format!("/orientation/{token}/nouveau-lien"));
    }
    p.link_until = valid.then(|| super::french_instant(expires));
    p
}

/// `GET /orientation/{token}`.
pub(crate) async fn view(ed: Editor, Path(token): Path<String>) -> Result<Response, AppError> {
    let (r, expires) = by_link(&ed, &token).await?;
    let valid = unix_now() < expires;
    let p = link_page(&ed, &token, &r, expires);
    let status = if valid {
        StatusCode::OK
    } else {
        StatusCode::GONE
    };
    Ok(no_store((status, render(&p)?).into_response()))
}

/// `POST /orientation/{token}`: the operator's answer, without an account.
pub(crate) async fn answer(
    AxumState(state): AxumState<AppState>,
    ed: Editor,
    Path(token): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let (r, expires) = by_link(&ed, &token).await?;
    if unix_now() >= expires {
        return Err(AppError::Gone(
            "Ce lien a expiré : demandez-en un nouveau depuis sa page.".into(),
        ));
    }
    let form = Submitted::new(pairs);
    let event = match answer_event(&form) {
        Ok(e) => e,
        Err(m) => {
            let mut p = link_page(&ed, &token, &r, expires);
            p.error = Some(m);
            return Ok(no_store(
                (StatusCode::UNPROCESSABLE_ENTITY, render(&p)?).into_response(),
            ));
        }
    };
    match apply(&state, &ed, &r, &event, "lien", unix_now()).await? {
        Some(_) => Ok(ed.here.see_other(&format!("/orientation/{token}"))),
        None => Err(AppError::Conflict(format!(
            "Cette orientation est désormais {} : la réponse n'a pas été enregistrée.",
            r.state.label()
        ))),
    }
}

/// `POST /orientation/{token}/nouveau-lien`: a new link, mailed to the
/// action's contacts; the old one stops working.
pub(crate) async fn renew(
    AxumState(state): AxumState<AppState>,
    ed: Editor,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let (r, _) = by_link(&ed, &token).await?;
    let snapshot = ed.here.snapshot();
    let action = snapshot
        .action(r.fiche)
        .map(|(_, a)| a.clone())
        .ok_or_else(unknown)?;
    let now = unix_now();
    let (fresh, hash, expires) = new_link(now);
    if ed
        .referrals
        .renew_link(ed.cite(), r.id, &hash, expires, false, now)
        .await
        .map_err(store_error)?
    {
        let absolute = state.absolute_link(&ed, ed.cite());
        let mails = operator_mails(
            &absolute,
            &snapshot.catalogue.cite.name,
            &action,
            &fresh,
            false,
        );
        send_all(&ed, mails).await;
    }
    let mut p = link_page(&ed, &token, &r, 0);
    p.renew_to = None;
    p.notice = Some(
        "Un nouveau lien, valable 8 jours, a été envoyé aux contacts de l'action que donne sa fiche. L'ancien lien ne fonctionne plus."
            .into(),
    );
    Ok(no_store(render(&p)?.into_response()))
}
