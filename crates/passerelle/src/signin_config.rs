//! The sign-in part of the configuration: session lifetimes, the second
//! factor's reach, ProConnect (the client, and each cité's allow-list), and
//! `security.txt`.
//!
//! ```toml
//! session_idle_minutes = 60          # a session unused this long ends
//! session_absolute_hours = 12        # and ends this long after sign-in
//! second_factor_for_everyone = false # administrators always need one
//!
//! [proconnect]
//! issuer = "https://auth.agentconnect.gouv.fr/api/v2"
//! client_id = "…"
//! client_secret = "…"   # or PASSERELLE_PROCONNECT_CLIENT_SECRET
//! acr_values = ["eidas1", "eidas1-mfa", "eidas2", "eidas3"]
//!
//! [cites.roubaix]
//! proconnect_domains = ["ville-roubaix.fr", "ac-lille.fr", "nord.gouv.fr"]
//! proconnect_sirets = ["21590512800015"]
//!
//! [security_txt]
//! contact = ["mailto:rssi@ville-roubaix.fr"]
//! expires = "2027-11-30T00:00:00Z"
//! ```

use anyhow::Context;
use serde::Deserialize;

/// `[proconnect]`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ProConnectFile {
    issuer: String,
    client_id: String,
    #[serde(default)]
    client_secret: Option<String>,
    /// `…/connexion/proconnect/retour` under `base_url` by default.
    #[serde(default)]
    redirect_uri: Option<String>,
    /// `…/deconnexion/proconnect` under `base_url` by default.
    #[serde(default)]
    post_logout_redirect_uri: Option<String>,
    #[serde(default)]
    acr_values: Vec<String>,
}

/// `[security_txt]`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SecurityTxtFile {
    contact: Vec<String>,
    expires: String,
    #[serde(default)]
    policy: Option<String>,
    #[serde(default)]
    preferred_languages: Option<String>,
}

/// ProConnect as configured (the web builds its client from it).
#[derive(Debug, Clone)]
pub(crate) struct ProConnectSettings {
    pub(crate) client: passerelle_oidc::ClientConfig,
    pub(crate) allow: Vec<(String, passerelle_web::AllowList)>,
}

/// The sign-in settings.
#[derive(Debug, Clone, Default)]
pub(crate) struct SignInSettings {
    pub(crate) policy: passerelle_web::SignInPolicy,
    pub(crate) proconnect: Option<ProConnectSettings>,
    pub(crate) security_txt: Option<passerelle_web::SecurityTxt>,
}

/// What the file says of sign-in, checked.
pub(crate) struct Raw {
    pub(crate) idle_minutes: Option<i64>,
    pub(crate) absolute_hours: Option<i64>,
    pub(crate) everyone: Option<bool>,
    pub(crate) proconnect: Option<ProConnectFile>,
    pub(crate) security_txt: Option<SecurityTxtFile>,
    /// Each cité's allow-list: (slug, domains, SIRETs).
    pub(crate) allow: Vec<(String, Vec<String>, Vec<String>)>,
}

fn loopback(url: &str) -> bool {
    ["http://127.0.0.1", "http://localhost", "http://[::1]"]
        .iter()
        .any(|p| url.starts_with(p))
}

impl SignInSettings {
    pub(crate) fn load(raw: Raw, base_url: Option<&str>) -> anyhow::Result<SignInSettings> {
        let idle = raw
            .idle_minutes
            .unwrap_or(passerelle_web::DEFAULT_IDLE_SECS / 60);
        let absolute = raw
            .absolute_hours
            .unwrap_or(passerelle_web::DEFAULT_ABSOLUTE_SECS / 3600);
        anyhow::ensure!(
            (1..=24 * 60).contains(&idle),
            "session_idle_minutes : {idle} n'est pas une durée entre 1 minute et 24 heures"
        );
        anyhow::ensure!(
            (1..=24 * 30).contains(&absolute),
            "session_absolute_hours : {absolute} n'est pas une durée entre 1 heure et 30 jours"
        );
        let policy = passerelle_web::SignInPolicy {
            idle_secs: idle * 60,
            absolute_secs: absolute * 3600,
            second_factor_for_everyone: raw.everyone.unwrap_or(false),
        };
        let proconnect = raw
            .proconnect
            .map(|p| proconnect(p, base_url, raw.allow))
            .transpose()?;
        let security_txt = raw.security_txt.map(security_txt).transpose()?;
        Ok(SignInSettings {
            policy,
            proconnect,
            security_txt,
        })
    }
}

fn proconnect(
    p: ProConnectFile,
    base_url: Option<&str>,
    allow: Vec<(String, Vec<String>, Vec<String>)>,
) -> anyhow::Result<ProConnectSettings> {
    let secret = std::env::var("PASSERELLE_PROCONNECT_CLIENT_SECRET")
        .ok()
        .filter(|s| !s.is_empty())
        .or(p.client_secret)
        .context("[proconnect] client_secret (ou PASSERELLE_PROCONNECT_CLIENT_SECRET) manque")?;
    let under_base = |path: &str| {
        base_url
            .map(|b| format!("{}{path}", b.trim_end_matches('/')))
            .with_context(|| {
                format!("[proconnect] : indiquez base_url (ou l'adresse {path} complète)")
            })
    };
    let redirect_uri = match p.redirect_uri {
        Some(u) => u,
        None => under_base("/connexion/proconnect/retour")?,
    };
    let post_logout_redirect_uri = match p.post_logout_redirect_uri {
        Some(u) => u,
        None => under_base("/deconnexion/proconnect")?,
    };
    for (key, url) in [
        ("issuer", &p.issuer),
        ("redirect_uri", &redirect_uri),
        ("post_logout_redirect_uri", &post_logout_redirect_uri),
    ] {
        anyhow::ensure!(
            url.starts_with("https://") || loopback(url),
            "[proconnect] {key} : « {url} » doit commencer par https:// (ProConnect refuse http hors de la machine elle-même)"
        );
    }
    anyhow::ensure!(!p.client_id.is_empty(), "[proconnect] client_id est vide");
    let allow = allow
        .into_iter()
        .map(|(cite, domains, sirets)| {
            for s in &sirets {
                anyhow::ensure!(
                    s.len() == 14 && s.bytes().all(|b| b.is_ascii_digit()),
                    "[cites.{cite}] proconnect_sirets : « {s} » n'est pas un SIRET (14 chiffres)"
                );
            }
            for d in &domains {
                anyhow::ensure!(
                    d.contains('.') && !d.contains(char::is_whitespace),
                    "[cites.{cite}] proconnect_domains : « {d} » n'est pas un nom de domaine"
                );
            }
            Ok((cite, passerelle_web::AllowList { domains, sirets }))
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    Ok(ProConnectSettings {
        client: passerelle_oidc::ClientConfig {
            issuer: p.issuer,
            client_id: p.client_id,
            client_secret: secret,
            redirect_uri,
            post_logout_redirect_uri,
            acr_values: p.acr_values,
            scopes: passerelle_oidc::PROCONNECT_SCOPES
                .iter()
                .map(|s| (*s).to_owned())
                .collect(),
        },
        allow,
    })
}

fn security_txt(s: SecurityTxtFile) -> anyhow::Result<passerelle_web::SecurityTxt> {
    anyhow::ensure!(
        !s.contact.is_empty(),
        "[security_txt] contact : au moins une adresse (mailto: ou https:) est requise (RFC 9116)"
    );
    for c in &s.contact {
        anyhow::ensure!(
            c.starts_with("mailto:") || c.starts_with("https://") || c.starts_with("tel:"),
            "[security_txt] contact : « {c} » doit commencer par mailto:, https:// ou tel:"
        );
    }
    let expires = time::OffsetDateTime::parse(
        &s.expires,
        &time::format_description::well_known::Rfc3339,
    )
    .map_err(|_| {
        anyhow::anyhow!(
            "[security_txt] expires : « {} » n'est pas une date RFC 3339 (2027-11-30T00:00:00Z)",
            s.expires
        )
    })?;
    Ok(passerelle_web::SecurityTxt {
        contacts: s.contact,
        expires,
        policy: s.policy,
        preferred_languages: s.preferred_languages.unwrap_or_else(|| "fr, en".into()),
        canonical: None,
    })
}
