//! Accounts: signing in and out, the administrators' list of accounts
//! (invitations, roles, deactivation), invitations and password resets by
//! one-time link, personal API tokens, and the instance's own page (its
//! cités' first administrators, the instance roles).

mod forgot;
mod instance;
mod pages;
mod signin;
mod tokens;

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
            get(forgot::forgot_form).post(forgot::forgot),
        )
        .route("/instance", get(instance::show))
        .route("/instance/inviter", post(instance::invite))
        .route("/instance/retirer", post(instance::withdraw))
        .route("/compte", get(tokens::tokens))
        .route("/compte/jetons", post(tokens::create_token))
        .route("/compte/jetons/revoquer", post(tokens::revoke_token))
}
