//! The web layer's one error type.
//!
//! Policy: users get a clear French message and a way on (an error page with
//! links, or for `/api` a JSON body of one shape); internal errors are logged
//! with their cause and shown only as "erreur interne", never their text.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

use passerelle_store::StoreError;

use crate::shared::layout::{ErrorPage, ErrorShown};

#[derive(Debug)]
pub enum AppError {
    /// Nothing at this address. The message says what was looked for.
    NotFound(String),
    /// A parameter is not acceptable: (parameter, message).
    BadRequest(String, String),
    /// The address exists but not for this method (the `Allow` header says which).
    MethodNotAllowed,
    /// Signing in is needed. The message says for what.
    Unauthorized(String),
    /// Signed in, but this account may not do this (or the form's CSRF
    /// token is not the session's).
    Forbidden(String),
    /// The resource changed since the version the writer started from.
    Conflict(String),
    /// The submitted data is refused: (field, message).
    Unprocessable(String, String),
    /// What was offered here is no longer (registration to an event that
    /// took place). The message says why.
    Gone(String),
    /// The database stayed busy with other writes: nothing was done, and
    /// trying again in a moment will do (`503` with `Retry-After`). The
    /// cause goes to the log only.
    Unavailable(String),
    /// Something failed inside; the cause goes to the log only.
    Internal(String),
}

/// Seconds a client is told to wait before trying a busy write again.
const RETRY_AFTER_SECONDS: &str = "2";

/// An error and every error beneath it, for the log: `context: error:
/// its source: …` (a database error's source carries the database's own
/// code and message).
pub(crate) fn chain(context: &str, e: &(dyn std::error::Error + 'static)) -> String {
    use std::fmt::Write as _;
    let mut text = format!("{context}: {e}");
    let mut source = e.source();
    while let Some(cause) = source {
        let _ = write!(text, ": {cause}");
        source = cause.source();
    }
    text
}

impl AppError {
    fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::BadRequest(..) => StatusCode::BAD_REQUEST,
            AppError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            AppError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::Unprocessable(..) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Gone(_) => StatusCode::GONE,
            AppError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn message(&self) -> String {
        match self {
            AppError::NotFound(what)
            | AppError::Unauthorized(what)
            | AppError::Forbidden(what)
            | AppError::Conflict(what)
            | AppError::Gone(what) => what.clone(),
            AppError::Unprocessable(field, msg) => format!("Champ « {field} » : {msg}"),
            AppError::BadRequest(param, msg) => format!("Paramètre « {param} » : {msg}"),
            AppError::MethodNotAllowed => {
                "Cette adresse se consulte mais ne se modifie pas ainsi.".to_owned()
            }
            AppError::Unavailable(_) => "Le serveur est très sollicité en ce moment : rien n'a été enregistré. Réessayez dans quelques secondes.".to_owned(),
            AppError::Internal(_) => {
                "Erreur interne : l'équipe technique a été prévenue.".to_owned()
            }
        }
    }

    fn log(&self) {
        match self {
            AppError::Internal(cause) => tracing::error!(cause = %cause, "internal error"),
            AppError::Unavailable(cause) => tracing::warn!(cause = %cause, "database busy"),
            _ => {}
        }
    }

    /// A store error met while doing `context`: the database being busy
    /// is [`AppError::Unavailable`], anything else internal; either way
    /// the log gets the whole chain of causes.
    pub(crate) fn store(context: &str, e: StoreError) -> AppError {
        match e {
            StoreError::Busy(_) => AppError::Unavailable(chain(context, &e)),
            other => AppError::Internal(chain(context, &other)),
        }
    }

    /// The response's status and headers besides the body's.
    fn respond(&self, body: impl IntoResponse) -> Response {
        let mut res = (self.status(), body).into_response();
        if matches!(self, AppError::Unavailable(_)) {
            res.headers_mut().insert(
                axum::http::header::RETRY_AFTER,
                axum::http::HeaderValue::from_static(RETRY_AFTER_SECONDS),
            );
        }
        res
    }

    /// The same error as a JSON API response.
    pub fn api(self) -> ApiError {
        ApiError(self)
    }
}

impl From<askama::Error> for AppError {
    fn from(e: askama::Error) -> Self {
        AppError::Internal(format!("template: {e}"))
    }
}

impl From<passerelle_search::SearchError> for AppError {
    fn from(e: passerelle_search::SearchError) -> Self {
        AppError::Internal(format!("search: {e}"))
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        self.log();
        let status = self.status();
        let page = ErrorPage::new(status, self.message());
        let mut res = match page.render_html() {
            Ok(html) => self.respond(Html(html)),
            Err(_) => self.respond(self.message()),
        };
        res.extensions_mut().insert(ErrorShown {
            status,
            message: self.message(),
        });
        res
    }
}

/// The body of every API error.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// The HTTP status.
    pub status: u16,
    /// `not-found`, `bad-request`, `method-not-allowed`, `unauthorized`,
    /// `forbidden`, `conflict`, `unprocessable`, `gone`, `unavailable`
    /// (try again after the `Retry-After` seconds) or `internal`.
    pub code: String,
    /// In French, for people.
    pub message: String,
    /// The query parameter (`bad-request`) or field (`unprocessable`) at fault.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parameter: Option<String>,
}

/// An [`AppError`] answered as JSON.
#[derive(Debug)]
pub struct ApiError(pub AppError);

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        ApiError(e)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        self.0.log();
        let status = self.0.status();
        let (code, parameter) = match &self.0 {
            AppError::NotFound(_) => ("not-found", None),
            AppError::BadRequest(p, _) => ("bad-request", Some(p.clone())),
            AppError::MethodNotAllowed => ("method-not-allowed", None),
            AppError::Unauthorized(_) => ("unauthorized", None),
            AppError::Forbidden(_) => ("forbidden", None),
            AppError::Conflict(_) => ("conflict", None),
            AppError::Unprocessable(f, _) => ("unprocessable", Some(f.clone())),
            AppError::Gone(_) => ("gone", None),
            AppError::Unavailable(_) => ("unavailable", None),
            AppError::Internal(_) => ("internal", None),
        };
        let body = ErrorBody {
            error: ErrorDetail {
                status: status.as_u16(),
                code: code.to_owned(),
                message: self.0.message(),
                parameter,
            },
        };
        self.0.respond(Json(body))
    }
}

/// A store error as the web shows it: a missing entity is a 404, anything
/// else an internal error (its cause logged).
pub(crate) fn store_error(e: StoreError) -> AppError {
    match e {
        StoreError::NotFound { .. } => AppError::NotFound("Cette fiche n'existe pas.".into()),
        other => AppError::store("store", other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn body(res: Response) -> String {
        let bytes = axum::body::to_bytes(res.into_body(), usize::MAX)
            .await
            .unwrap_or_default();
        String::from_utf8_lossy(&bytes).into_owned()
    }

    #[tokio::test]
    async fn internal_errors_never_show_their_cause() {
        let res = AppError::Internal("secret: db at /var/lib".into()).into_response();
        assert_eq!(res.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let html = body(res).await;
        assert!(html.contains("<h1>Erreur du serveur</h1>"));
        assert!(!html.contains("secret"));
        let res = AppError::Internal("secret".into()).api().into_response();
        let json = body(res).await;
        assert!(json.contains("\"code\":\"internal\"") && !json.contains("secret"));
    }

    #[derive(Debug, thiserror::Error)]
    #[error("(code: 5) database is locked")]
    struct Locked;

    #[tokio::test]
    async fn a_busy_database_is_a_503_to_try_again_with_its_cause_kept_for_the_log() {
        let e = AppError::store("participation", StoreError::Busy(Box::new(Locked)));
        let AppError::Unavailable(cause) = &e else {
            panic!("a busy database is not an internal error: {e:?}");
        };
        assert_eq!(
            cause,
            "participation: la base de données est occupée : rien n'a été écrit: (code: 5) database is locked"
        );
        let res = e.into_response();
        assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(res.headers()["retry-after"], "2");
        let html = body(res).await;
        assert!(html.contains("Réessayez dans quelques secondes") && !html.contains("locked"));
        let res = AppError::store("x", StoreError::Busy(Box::new(Locked)))
            .api()
            .into_response();
        assert_eq!(res.headers()["retry-after"], "2");
        assert!(body(res).await.contains("\"code\":\"unavailable\""));
    }

    #[test]
    fn other_store_errors_are_internal_with_their_whole_cause() {
        let e = AppError::store("board", StoreError::Database(Box::new(Locked)));
        let AppError::Internal(cause) = e else {
            panic!("internal expected");
        };
        assert!(cause.ends_with(
            "une opération de la base de données a échoué: (code: 5) database is locked"
        ));
    }
}
