//! Accounts: signing in and out (with a password or ProConnect), the second
//! factor, the administrators' list of accounts (invitations, roles,
//! deactivation, those waiting for a role), invitations and password resets
//! by one-time link, one's own page (sessions, second factor, password,
//! personal API tokens), and the instance's own page (its cités' first
//! administrators, the instance roles, the identities two accounts claim).

mod forgot;
mod instance;
mod pages;
mod proconnect;
mod second_factor;
mod security;
mod signin;
mod tokens;

pub(crate) use crate::shared::signin::ENROLMENT;

use axum::Router;
use axum::routing::{get, post};

use crate::shared::state::AppState;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/connexion", get(signin::form).post(signin::sign_in))
        .route(
            second_factor::CODE,
            get(second_factor::code_form).post(second_factor::code),
        )
        .route(
            ENROLMENT,
            get(second_factor::enrol_form).post(second_factor::enrol),
        )
        .route("/connexion/proconnect", get(proconnect::start))
        .route("/connexion/proconnect/retour", get(proconnect::callback))
        .route("/deconnexion", post(signin::sign_out))
        .route("/deconnexion/proconnect", get(proconnect::logged_out))
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
        .route("/instance/identites", post(instance::resolve_conflict))
        .route(
            "/instance/second-facteur",
            post(instance::remove_second_factor),
        )
        .route("/compte", get(tokens::tokens))
        .route("/compte/jetons", post(tokens::create_token))
        .route("/compte/jetons/revoquer", post(tokens::revoke_token))
        .route("/compte/sessions/fermer", post(security::end_one))
        .route(
            "/compte/sessions/fermer-les-autres",
            post(security::end_others),
        )
        .route("/compte/mot-de-passe", post(security::change_password))
}
