//! How people sign in, as the instance configures it: session lifetimes,
//! who needs a second factor, ProConnect (its client, the cités'
//! allow-lists, the provider discovered on first use), and the
//! `security.txt` contact.

use std::sync::Arc;

use passerelle_domain::{Account, InstanceRole, Role};
use passerelle_oidc::{ClientConfig, OidcError, Provider};

/// The enrolment of a second factor: the one page an administrator
/// without one may see.
pub(crate) const ENROLMENT: &str = "/connexion/second-facteur";

/// Session lifetimes and the second factor's reach.
#[derive(Debug, Clone)]
pub struct SignInPolicy {
    /// A session unused this long ends (seconds).
    pub idle_secs: i64,
    /// A session ends this long after it began, however used (seconds).
    pub absolute_secs: i64,
    /// Every account needs a second factor, not only administrators.
    pub second_factor_for_everyone: bool,
}

/// One hour idle: NIST SP 800-63B's AAL2 asks 30 minutes, but a teacher
/// called away mid-form would lose it; one hour bounds an abandoned
/// session while keeping a lesson's interruption survivable.
pub const DEFAULT_IDLE_SECS: i64 = 3600;
/// Twelve hours: a working day, as ProConnect's own session (and NIST's
/// AAL2 re-authentication once per 12 hours).
pub const DEFAULT_ABSOLUTE_SECS: i64 = 12 * 3600;

impl Default for SignInPolicy {
    fn default() -> Self {
        SignInPolicy {
            idle_secs: DEFAULT_IDLE_SECS,
            absolute_secs: DEFAULT_ABSOLUTE_SECS,
            second_factor_for_everyone: false,
        }
    }
}

impl SignInPolicy {
    /// Instance and cité administrators need a second factor (and everyone
    /// when the instance says so).
    pub(crate) fn requires_second_factor(&self, account: &Account) -> bool {
        self.second_factor_for_everyone || is_administrator(account)
    }
}

/// An administrator of the instance or of any cité: the stronger password
/// and the second factor are theirs.
pub(crate) fn is_administrator(account: &Account) -> bool {
    account.is(InstanceRole::Administrateur)
        || account
            .memberships
            .iter()
            .any(|m| m.role == Role::Administrateur)
}

/// Whether a sign-in of this account waits for a TOTP code: it has
/// enrolled one.
pub(crate) async fn requires_code(
    store: &dyn passerelle_store::AccountStore,
    account: &Account,
) -> Result<bool, passerelle_store::StoreError> {
    Ok(store
        .second_factor(account.email.as_str())
        .await?
        .is_some_and(|f| f.confirmed))
}

/// The password strength an account needs.
pub(crate) fn strength(account: &Account) -> passerelle_auth::Strength {
    if is_administrator(account) {
        passerelle_auth::Strength::Administrator
    } else {
        passerelle_auth::Strength::Everyone
    }
}

/// Who a cité lets in through ProConnect without an invitation: email
/// domains (`ville-roubaix.fr`, which also admits its subdomains' addresses
/// only when listed) and organisations' SIRETs.
#[derive(Debug, Clone, Default)]
pub struct AllowList {
    pub domains: Vec<String>,
    pub sirets: Vec<String>,
}

impl AllowList {
    /// Whether this email (its exact domain) or this SIRET is listed.
    pub(crate) fn admits(&self, email: &str, siret: Option<&str>) -> bool {
        let domain = email.rsplit_once('@').map(|(_, d)| d.to_lowercase());
        let by_domain = domain.is_some_and(|d| {
            self.domains
                .iter()
                .any(|allowed| allowed.trim_start_matches('@').eq_ignore_ascii_case(&d))
        });
        let by_siret = siret.is_some_and(|s| {
            let s: String = s.chars().filter(char::is_ascii_digit).collect();
            !s.is_empty() && self.sirets.contains(&s)
        });
        by_domain || by_siret
    }
}

/// ProConnect as configured: the client, and each cité's allow-list (in
/// the configuration's order: the first that admits someone is where
/// their account waits for a role).
#[derive(Debug)]
pub struct ProConnect {
    pub(crate) client: ClientConfig,
    pub(crate) allow: Vec<(String, AllowList)>,
    /// Discovered on first use (the provider may be down when the server
    /// starts), then kept.
    provider: tokio::sync::Mutex<Option<Arc<Provider>>>,
}

impl ProConnect {
    pub fn new(client: ClientConfig, allow: Vec<(String, AllowList)>) -> ProConnect {
        ProConnect {
            client,
            allow,
            provider: tokio::sync::Mutex::new(None),
        }
    }

    /// The provider, discovered now if it was not yet.
    pub(crate) async fn provider(&self) -> Result<Arc<Provider>, OidcError> {
        let mut kept = self.provider.lock().await;
        if let Some(p) = kept.as_ref() {
            return Ok(Arc::clone(p));
        }
        let client = self.client.clone();
        let discovered = tokio::task::spawn_blocking(move || Provider::discover(client))
            .await
            .map_err(|e| OidcError::Unreachable(e.to_string()))??;
        let provider = Arc::new(discovered);
        *kept = Some(Arc::clone(&provider));
        Ok(provider)
    }

    /// The cité whose allow-list admits this person, if any.
    pub(crate) fn admitting_cite(&self, email: &str, siret: Option<&str>) -> Option<&str> {
        self.allow
            .iter()
            .find(|(_, list)| list.admits(email, siret))
            .map(|(cite, _)| cite.as_str())
    }
}

/// `/.well-known/security.txt` (RFC 9116): whom to tell of a vulnerability.
#[derive(Debug, Clone)]
pub struct SecurityTxt {
    /// `mailto:` or `https:` addresses, one `Contact:` line each.
    pub contacts: Vec<String>,
    /// When the file stops being valid (RFC 3339).
    pub expires: time::OffsetDateTime,
    /// A disclosure policy's address.
    pub policy: Option<String>,
    /// `fr, en` by default.
    pub preferred_languages: String,
    /// The file's own address (`https://…/.well-known/security.txt`).
    pub canonical: Option<String>,
}

impl SecurityTxt {
    /// The file's text.
    pub(crate) fn render(&self) -> String {
        let mut out = String::new();
        for c in &self.contacts {
            out.push_str(&format!("Contact: {c}\n"));
        }
        let expires = self
            .expires
            .to_offset(time::UtcOffset::UTC)
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_default();
        out.push_str(&format!("Expires: {expires}\n"));
        if let Some(p) = &self.policy {
            out.push_str(&format!("Policy: {p}\n"));
        }
        out.push_str(&format!(
            "Preferred-Languages: {}\n",
            self.preferred_languages
        ));
        if let Some(c) = &self.canonical {
            out.push_str(&format!("Canonical: {c}\n"));
        }
        out
    }

    /// Days left before it expires (negative once expired).
    pub fn days_left(&self, now: time::OffsetDateTime) -> i64 {
        (self.expires - now).whole_days()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_allow_list_admits_its_domains_and_sirets_only() {
        let list = AllowList {
            domains: vec!["ville-roubaix.fr".into(), "@ac-lille.fr".into()],
            sirets: vec!["21590512800015".into()],
        };
        assert!(list.admits("julia@ville-roubaix.fr", None));
        assert!(list.admits("Prof@AC-Lille.fr", None));
        assert!(!list.admits("x@roubaix.fr", None));
        assert!(!list.admits("x@ville-roubaix.fr.example.com", None));
        assert!(!list.admits("x@evil-ville-roubaix.fr", None));
        assert!(list.admits("x@gmail.com", Some("215 905 128 00015")));
        assert!(!list.admits("x@gmail.com", Some("")));
        assert!(!AllowList::default().admits("a@b.fr", Some("21590512800015")));
    }
}
