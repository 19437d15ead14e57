//! Accounts: signing in and out, the administrators' list of accounts
//! (invitations, roles, deactivation), invitations and password resets by
//! one-time link, and personal API tokens.

mod pages;
mod signin;

use axum::Router;
use axum::routing::{get, post};

use crate::shared::state::AppState;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/connexion", get(signin::form).post(signin::sign_in))
        .route("/deconnexion", post(signin::sign_out))
        .route("/admin/comptes", get(pages::list))
        .route("/admin/comptes/inviter", post(pages::invite))
        .route("/admin/comptes/modifier", post(pages::update))
        .route(
            "/invitation/{token}",
            get(pages::invitation_form).post(pages::accept_invitation),
        )
        .route(
            "/reinitialisation/{token}",
            get(pages::reset_form).post(pages::reset),
        )
        .route(
            "/mot-de-passe-oublie",
            get(pages::forgot_form).post(pages::forgot),
        )
        .route("/compte", get(pages::tokens))
        .route("/compte/jetons", post(pages::create_token))
        .route("/compte/jetons/revoquer", post(pages::revoke_token))
}
