#![doc = include_str!("../README.md")]

use std::sync::RwLock;
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde::Deserialize;
use serde::de::DeserializeOwned;

/// Why a sign-in with the provider failed (French: the refusal page shows it).
#[derive(Debug, thiserror::Error)]
pub enum OidcError {
    #[error("le fournisseur d'identité ne répond pas ({0})")]
    Unreachable(String),
    #[error("la configuration du fournisseur d'identité est invalide : {0}")]
    Discovery(String),
    #[error("le fournisseur d'identité a refusé l'échange du code ({0})")]
    Token(String),
    #[error("le jeton d'identité est refusé : {0}")]
    IdToken(String),
    #[error("les informations de l'utilisateur sont refusées : {0}")]
    UserInfo(String),
}

/// What a cité team declares to the provider and configures here.
#[derive(Debug, Clone)]
pub struct ClientConfig {
    /// The issuer, as discovery must announce it (ProConnect:
    /// `https://auth.agentconnect.gouv.fr/api/v2`).
    pub issuer: String,
    pub client_id: String,
    pub client_secret: String,
    /// Where the provider sends the browser back (`…/connexion/proconnect/retour`).
    pub redirect_uri: String,
    /// Where the provider sends the browser after logout (`…/deconnexion/proconnect`).
    pub post_logout_redirect_uri: String,
    /// The `acr` values accepted in the ID token (none: any); asked for,
    /// not required, in the authorisation request.
    pub acr_values: Vec<String>,
    /// The scopes asked for.
    pub scopes: Vec<String>,
}

/// ProConnect's scopes: its mandatory identity data and the organisation.
pub const PROCONNECT_SCOPES: &[&str] = &[
    "openid",
    "email",
    "given_name",
    "usual_name",
    "uid",
    "siret",
    "idp_id",
    "organization_label",
];

/// The part of discovery this client uses.
#[derive(Debug, Clone, Deserialize)]
pub struct Metadata {
    pub issuer: String,
    pub authorization_endpoint: String,
    pub token_endpoint: String,
    pub userinfo_endpoint: String,
    pub jwks_uri: String,
    #[serde(default)]
    pub end_session_endpoint: Option<String>,
}

/// The ID token's claims this client reads.
#[derive(Debug, Clone, Deserialize)]
pub struct IdClaims {
    pub iss: String,
    pub sub: String,
    pub exp: i64,
    pub iat: i64,
    #[serde(default)]
    pub nonce: Option<String>,
    #[serde(default)]
    pub azp: Option<String>,
    #[serde(default)]
    pub acr: Option<String>,
    /// How the person authenticated (`pwd`, `otp`, `mfa`…), when asked for.
    #[serde(default)]
    pub amr: Vec<String>,
    #[serde(default)]
    pub idp_id: Option<String>,
}

impl IdClaims {
    /// Whether the provider vouches for two factors.
    pub fn multi_factor(&self) -> bool {
        self.amr.iter().any(|a| a == "mfa")
    }
}

/// Who the person is, from userinfo (ProConnect's claims).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct UserInfo {
    pub sub: String,
    #[serde(default)]
    pub email: Option<String>,
    /// ProConnect's emails are verified by the identity providers it
    /// federates; a provider that says otherwise is believed.
    #[serde(default)]
    pub email_verified: Option<bool>,
    #[serde(default)]
    pub given_name: Option<String>,
    #[serde(default)]
    pub usual_name: Option<String>,
    #[serde(default)]
    pub uid: Option<String>,
    #[serde(default)]
    pub siret: Option<String>,
    #[serde(default)]
    pub idp_id: Option<String>,
    #[serde(default)]
    pub organization_label: Option<String>,
}

impl UserInfo {
    /// The name to show: given name and usual name.
    pub fn display_name(&self) -> String {
        [self.given_name.as_deref(), self.usual_name.as_deref()]
            .into_iter()
            .flatten()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// What the token endpoint answers.
#[derive(Debug, Clone, Deserialize)]
pub struct Tokens {
    pub id_token: String,
    pub access_token: String,
}

/// The S256 challenge of a PKCE verifier (RFC 7636).
pub fn pkce_challenge(verifier: &str) -> String {
    use sha2::Digest;
    URL_SAFE_NO_PAD.encode(sha2::Sha256::digest(verifier.as_bytes()))
}

/// The seconds of clock difference tolerated on `exp` and `iat`.
const LEEWAY_SECS: u64 = 30;

/// A provider discovered: its endpoints and keys.
#[derive(Debug)]
pub struct Provider {
    config: ClientConfig,
    metadata: Metadata,
    keys: RwLock<JwkSet>,
    agent: ureq::Agent,
}

impl Provider {
    /// Reads the provider's discovery document and keys. Its `issuer` must
    /// be the configured one, exactly (OWASP ASVS 10.5.3).
    pub fn discover(config: ClientConfig) -> Result<Provider, OidcError> {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(15)))
            .build()
            .into();
        let url = format!(
            "{}/.well-known/openid-configuration",
            config.issuer.trim_end_matches('/')
        );
        let metadata: Metadata = get_json(&agent, &url)?;
        if metadata.issuer != config.issuer {
            return Err(OidcError::Discovery(format!(
                "l'émetteur annoncé ({}) n'est pas celui configuré ({})",
                metadata.issuer, config.issuer
            )));
        }
        let keys: JwkSet = get_json(&agent, &metadata.jwks_uri)?;
        Ok(Provider {
            config,
            metadata,
            keys: RwLock::new(keys),
            agent,
        })
    }

    pub fn config(&self) -> &ClientConfig {
        &self.config
    }

    pub fn metadata(&self) -> &Metadata {
        &self.metadata
    }

    /// The address the browser goes to, with only the parameters
    /// ProConnect accepts: any other is an error there.
    pub fn authorize_url(&self, state: &str, nonce: &str, pkce_verifier: &str) -> String {
        let mut id_token = serde_json::json!({ "amr": { "essential": true } });
        if !self.config.acr_values.is_empty() {
            id_token["acr"] =
                serde_json::json!({ "essential": false, "values": self.config.acr_values });
        }
        let claims = serde_json::json!({ "id_token": id_token }).to_string();
        let params = [
            ("response_type", "code"),
            ("client_id", &self.config.client_id),
            ("redirect_uri", &self.config.redirect_uri),
            ("scope", &self.config.scopes.join(" ")),
            ("state", state),
            ("nonce", nonce),
            ("claims", &claims),
            ("code_challenge", &pkce_challenge(pkce_verifier)),
            ("code_challenge_method", "S256"),
        ];
        with_query(&self.metadata.authorization_endpoint, &params)
    }

    /// Exchanges the code for tokens (`client_secret_post`, PKCE verifier).
    pub fn exchange(&self, code: &str, pkce_verifier: &str) -> Result<Tokens, OidcError> {
        let form = [
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", &self.config.redirect_uri),
            ("client_id", &self.config.client_id),
            ("client_secret", &self.config.client_secret),
            ("code_verifier", pkce_verifier),
        ];
        let mut res = self
            .agent
            .post(&self.metadata.token_endpoint)
            .header("accept", "application/json")
            .send_form(form)
            .map_err(|e| OidcError::Unreachable(e.to_string()))?;
        let status = res.status().as_u16();
        let body = res
            .body_mut()
            .read_to_string()
            .map_err(|e| OidcError::Unreachable(e.to_string()))?;
        if status != 200 {
            let error = serde_json::from_str::<serde_json::Value>(&body)
                .ok()
                .and_then(|v| v["error"].as_str().map(str::to_owned))
                .unwrap_or_else(|| format!("statut {status}"));
            return Err(OidcError::Token(error));
        }
        serde_json::from_str(&body).map_err(|e| OidcError::Token(e.to_string()))
    }

    /// Verifies the ID token: signature by one of the provider's keys
    /// (ES256 or RS256), `iss` exactly, `aud` (and `azp`), expiry, the
    /// `nonce` of this sign-in, `acr` among those accepted.
    pub fn verify_id_token(&self, token: &str, nonce: &str) -> Result<IdClaims, OidcError> {
        let claims: IdClaims = self.verified(token, true).map_err(OidcError::IdToken)?;
        if claims.nonce.as_deref() != Some(nonce) {
            return Err(OidcError::IdToken(
                "le nonce n'est pas celui de cette connexion".into(),
            ));
        }
        if let Some(azp) = &claims.azp
            && azp != &self.config.client_id
        {
            return Err(OidcError::IdToken(
                "il a été émis pour un autre service (azp)".into(),
            ));
        }
        if !self.config.acr_values.is_empty() {
            let acr = claims.acr.as_deref().unwrap_or("");
            if !self.config.acr_values.iter().any(|a| a == acr) {
                return Err(OidcError::IdToken(format!(
                    "le niveau d'authentification « {acr} » n'est pas accepté"
                )));
            }
        }
        Ok(claims)
    }

    /// Reads userinfo with the access token: a signed JWT (verified like the
    /// ID token) or JSON. Its `sub` must be the ID token's.
    pub fn userinfo(&self, access_token: &str, sub: &str) -> Result<UserInfo, OidcError> {
        let mut res = self
            .agent
            .get(&self.metadata.userinfo_endpoint)
            .header("authorization", &format!("Bearer {access_token}"))
            .call()
            .map_err(|e| OidcError::Unreachable(e.to_string()))?;
        let status = res.status().as_u16();
        let jwt = res
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|t| t.starts_with("application/jwt"));
        let body = res
            .body_mut()
            .read_to_string()
            .map_err(|e| OidcError::Unreachable(e.to_string()))?;
        if status != 200 {
            return Err(OidcError::UserInfo(format!("statut {status}")));
        }
        let info: UserInfo = if jwt {
            self.verified(body.trim(), false)
                .map_err(OidcError::UserInfo)?
        } else {
            serde_json::from_str(&body).map_err(|e| OidcError::UserInfo(e.to_string()))?
        };
        if info.sub != sub {
            return Err(OidcError::UserInfo(
                "elles concernent une autre personne que le jeton d'identité".into(),
            ));
        }
        Ok(info)
    }

    /// Where the browser goes to end the provider's session too, when the
    /// provider has an `end_session_endpoint`.
    pub fn logout_url(&self, id_token: &str, state: &str) -> Option<String> {
        let end = self.metadata.end_session_endpoint.as_deref()?;
        Some(with_query(
            end,
            &[
                ("id_token_hint", id_token),
                ("state", state),
                (
                    "post_logout_redirect_uri",
                    &self.config.post_logout_redirect_uri,
                ),
            ],
        ))
    }

    /// A JWT's claims, once its signature, issuer and audience are checked
    /// (and, for an ID token, its expiry and issue time). A key the token
    /// names but the set lacks makes the set be read again, once (the
    /// provider rotated its keys).
    fn verified<T: DeserializeOwned>(&self, token: &str, id_token: bool) -> Result<T, String> {
        let header = jsonwebtoken::decode_header(token).map_err(|e| format!("illisible ({e})"))?;
        if !matches!(header.alg, Algorithm::ES256 | Algorithm::RS256) {
            return Err(format!("algorithme {:?} non accepté", header.alg));
        }
        let key = match self.key(header.kid.as_deref(), header.alg) {
            Some(key) => key,
            None => {
                let fresh: JwkSet =
                    get_json(&self.agent, &self.metadata.jwks_uri).map_err(|e| e.to_string())?;
                if let Ok(mut keys) = self.keys.write() {
                    *keys = fresh;
                }
                self.key(header.kid.as_deref(), header.alg)
                    .ok_or("signé par une clé que le fournisseur ne publie pas")?
            }
        };
        let mut validation = Validation::new(header.alg);
        validation.set_issuer(&[&self.config.issuer]);
        validation.set_audience(&[&self.config.client_id]);
        validation.leeway = LEEWAY_SECS;
        if id_token {
            validation.set_required_spec_claims(&["exp", "iat", "iss", "aud", "sub"]);
        } else {
            validation.set_required_spec_claims::<&str>(&[]);
            validation.validate_exp = false;
            validation.validate_aud = false;
        }
        let data = jsonwebtoken::decode::<serde_json::Value>(token, &key, &validation).map_err(
            |e| match e.kind() {
                jsonwebtoken::errors::ErrorKind::InvalidSignature => {
                    "la signature n'est pas celle du fournisseur".to_owned()
                }
                jsonwebtoken::errors::ErrorKind::ExpiredSignature => "il a expiré".to_owned(),
                jsonwebtoken::errors::ErrorKind::InvalidAudience => {
                    "il a été émis pour un autre service (aud)".to_owned()
                }
                jsonwebtoken::errors::ErrorKind::InvalidIssuer => {
                    "il a été émis par un autre fournisseur (iss)".to_owned()
                }
                other => format!("invalide ({other:?})"),
            },
        )?;
        let claims = data.claims;
        if !id_token {
            // A signed userinfo names its issuer and audience when it can.
            if claims
                .get("iss")
                .is_some_and(|i| i != self.config.issuer.as_str())
            {
                return Err("émises par un autre fournisseur (iss)".into());
            }
            if let Some(aud) = claims.get("aud")
                && !audience_has(aud, &self.config.client_id)
            {
                return Err("émises pour un autre service (aud)".into());
            }
        } else if claims["iat"]
            .as_i64()
            .is_some_and(|iat| iat > now() + i64::try_from(LEEWAY_SECS).unwrap_or(0))
        {
            return Err("émis dans le futur (iat)".into());
        }
        // The claims' types are checked here: a string where a number is
        // expected is refused, not read as missing.
        serde_json::from_value(claims).map_err(|e| format!("contenu invalide ({e})"))
    }

    fn key(&self, kid: Option<&str>, alg: Algorithm) -> Option<DecodingKey> {
        let keys = self.keys.read().ok()?;
        let jwk = keys.keys.iter().find(|k| {
            let kid_ok = match (kid, k.common.key_id.as_deref()) {
                (Some(wanted), Some(have)) => wanted == have,
                (None, _) => true,
                (Some(_), None) => false,
            };
            let kind_ok = matches!(
                (&k.algorithm, alg),
                (
                    jsonwebtoken::jwk::AlgorithmParameters::EllipticCurve(_),
                    Algorithm::ES256
                ) | (
                    jsonwebtoken::jwk::AlgorithmParameters::RSA(_),
                    Algorithm::RS256
                )
            );
            kid_ok && kind_ok
        })?;
        DecodingKey::from_jwk(jwk).ok()
    }
}

fn audience_has(aud: &serde_json::Value, client_id: &str) -> bool {
    match aud {
        serde_json::Value::String(s) => s == client_id,
        serde_json::Value::Array(a) => a.iter().any(|v| v == client_id),
        _ => false,
    }
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(0))
}

fn get_json<T: DeserializeOwned>(agent: &ureq::Agent, url: &str) -> Result<T, OidcError> {
    let mut res = agent
        .get(url)
        .header("accept", "application/json")
        .call()
        .map_err(|e| OidcError::Unreachable(e.to_string()))?;
    let status = res.status().as_u16();
    if status != 200 {
        return Err(OidcError::Discovery(format!("{url} : statut {status}")));
    }
    let body = res
        .body_mut()
        .read_to_string()
        .map_err(|e| OidcError::Unreachable(e.to_string()))?;
    serde_json::from_str(&body).map_err(|e| OidcError::Discovery(format!("{url} : {e}")))
}

/// `base` with the parameters added to its query, percent-encoded.
fn with_query(base: &str, params: &[(&str, &str)]) -> String {
    let encode = |s: &str| -> String {
        s.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                    char::from(b).to_string()
                }
                _ => format!("%{b:02X}"),
            })
            .collect()
    };
    let query = params
        .iter()
        .map(|(k, v)| format!("{k}={}", encode(v)))
        .collect::<Vec<_>>()
        .join("&");
    let sep = if base.contains('?') { '&' } else { '?' };
    format!("{base}{sep}{query}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pkce_is_unpadded_base64url_sha256() {
        // Computed independently: Python's hashlib.sha256 and
        // base64.urlsafe_b64encode, padding removed (RFC 7636 section 4.2).
        assert_eq!(
            pkce_challenge("dBjftJeZ4CVP-mB92K1uhbUJU1p1r_wW1gFWFOEjXk"),
            "DpW_nzyKLmXOCjIx2Ik4CEMHAv6AF_zNMXGb5Z9P0oI"
        );
    }

    #[test]
    fn parameters_are_percent_encoded() {
        assert_eq!(
            with_query(
                "https://op/authorize",
                &[("scope", "openid email"), ("claims", "{\"a\":1}")]
            ),
            "https://op/authorize?scope=openid%20email&claims=%7B%22a%22%3A1%7D"
        );
        assert_eq!(
            with_query("https://op/a?x=1", &[("b", "é")]),
            "https://op/a?x=1&b=%C3%A9"
        );
    }

    #[test]
    fn the_name_is_given_then_usual() {
        let info = UserInfo {
            given_name: Some("Julia ".into()),
            usual_name: Some("Camus".into()),
            ..UserInfo::default()
        };
        assert_eq!(info.display_name(), "Julia Camus");
        assert_eq!(UserInfo::default().display_name(), "");
    }
}
