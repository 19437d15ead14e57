//! Configuration, in layers: built-in defaults, then a TOML file
//! (`--config`, or `passerelle.toml` if present), then `PASSERELLE_*`
//! environment variables and command-line flags (clap reads both).

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::Deserialize;

/// The file's keys; every one is optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    data_dir: Option<PathBuf>,
    database_url: Option<String>,
    bind: Option<SocketAddr>,
    secure_cookies: Option<bool>,
    base_url: Option<String>,
    smtp_url: Option<String>,
    mail_from: Option<String>,
    newsletter_from: Option<String>,
    newsletter_rate: Option<f64>,
    newsletter_max_bounces: Option<u32>,
    retention_days: Option<u32>,
    referral_retention_days: Option<u32>,
    cache_mib: Option<usize>,
    header_read_timeout_secs: Option<u64>,
    max_connections: Option<usize>,
    max_connections_per_address: Option<usize>,
    change_feed: Option<String>,
    default_cite: Option<String>,
    session_idle_minutes: Option<i64>,
    session_absolute_hours: Option<i64>,
    second_factor_for_everyone: Option<bool>,
    proconnect: Option<crate::signin_config::ProConnectFile>,
    security_txt: Option<crate::signin_config::SecurityTxtFile>,
    metrics: Option<MetricsFile>,
    #[serde(default)]
    cites: std::collections::BTreeMap<String, CiteFile>,
}

/// `[cites.<slug>]`: how one cité is served.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct CiteFile {
    /// A host name serving this cité at its root (`cite-educative.ville-roubaix.fr`).
    host: Option<String>,
    /// Email domains whose ProConnect users get an account (without a
    /// role, until an administrator gives one) without an invitation.
    #[serde(default)]
    proconnect_domains: Vec<String>,
    /// Organisations (SIRET) whose ProConnect users get one likewise.
    #[serde(default)]
    proconnect_sirets: Vec<String>,
}

/// `[metrics]`: off unless a token or a listener of their own is set.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct MetricsFile {
    token: Option<String>,
    listen: Option<SocketAddr>,
}

/// Where the metrics are served, if anywhere.
#[derive(Debug, Clone, Default)]
pub(crate) struct MetricsSettings {
    /// `/metrics` on the main listener, behind `Authorization: Bearer`
    /// this token (and on `listen` too, when both are set).
    pub(crate) token: Option<String>,
    /// A listener of their own (`127.0.0.1:9464`), for the scraper only.
    pub(crate) listen: Option<SocketAddr>,
}

/// The shortest metrics token accepted: 128 bits as hex.
const METRICS_TOKEN_MIN: usize = 32;

impl MetricsSettings {
    pub(crate) fn enabled(&self) -> bool {
        self.token.is_some() || self.listen.is_some()
    }

    fn load(file: Option<MetricsFile>) -> anyhow::Result<MetricsSettings> {
        let file = file.unwrap_or_default();
        let token = env("PASSERELLE_METRICS_TOKEN").or(file.token);
        if let Some(t) = &token {
            anyhow::ensure!(
                t.chars().count() >= METRICS_TOKEN_MIN && t.chars().all(|c| c.is_ascii_graphic()),
                "[metrics] token : le jeton doit compter au moins {METRICS_TOKEN_MIN} caractères visibles, sans espace (par exemple : openssl rand -hex 32)"
            );
        }
        let listen = match env("PASSERELLE_METRICS_LISTEN") {
            Some(v) => Some(v.parse().with_context(|| {
                format!("PASSERELLE_METRICS_LISTEN : « {v} » n'est pas une adresse d'écoute (127.0.0.1:9464)")
            })?),
            None => file.listen,
        };
        Ok(MetricsSettings { token, listen })
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Config {
    pub(crate) data_dir: PathBuf,
    pub(crate) database_url: String,
    pub(crate) bind: SocketAddr,
    /// Mark session cookies `Secure`: set it when users reach Passerelle over HTTPS.
    pub(crate) secure_cookies: bool,
    /// The address users reach Passerelle at, for links sent by mail;
    /// `http://` + the address listened on by default.
    pub(crate) base_url: Option<String>,
    /// The SMTP server mail goes through (`smtp://host:25`,
    /// `smtps://user:pass@host:465`); without one, mail is written to the log.
    pub(crate) smtp_url: Option<String>,
    /// The sender of mail.
    pub(crate) mail_from: String,
    /// The sender of the newsletter: an address of its own, so that its
    /// answers and bounces do not mix with the invitations'.
    pub(crate) newsletter_from: String,
    /// The newsletter's mails per second at most (0: no limit).
    pub(crate) newsletter_rate: f64,
    /// Permanent failures after which a subscriber's address is suspended.
    pub(crate) newsletter_max_bounces: u32,
    /// Registrations are anonymised this many days after their event.
    pub(crate) retention_days: u32,
    /// A closed referral's personal fields are erased this many days after
    /// (180 by default, two years at most).
    pub(crate) referral_retention_days: u32,
    /// The memory rendered answers may hold, in MiB, for every cité together.
    pub(crate) cache_mib: usize,
    /// What connections may hold: the time to send a request's headers,
    /// how many at once, how many from one address.
    pub(crate) limits: crate::listen::Limits,
    /// How a server learns of other servers' writes to the same database.
    pub(crate) change_feed: ChangeFeed,
    /// The cité whose API keeps the single-cité paths, and where old
    /// single-cité URLs go; the first stored cité by default.
    pub(crate) default_cite: Option<String>,
    /// Host names serving one cité at their root, by cité slug.
    pub(crate) hosts: Vec<(String, String)>,
    /// Sessions, second factor, ProConnect, `security.txt`.
    pub(crate) signin: crate::signin_config::SignInSettings,
    /// `/metrics`, off by default.
    pub(crate) metrics: MetricsSettings,
}

pub(crate) const DEFAULT_BIND: &str = "127.0.0.1:8080";

/// `change_feed`: how a server follows the writes of the others.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ChangeFeed {
    /// The database's notifications (PostgreSQL `LISTEN`), when it has them.
    Notify,
    /// Every cité's version compared each second.
    Poll,
}

impl ChangeFeed {
    fn parse(value: &str) -> anyhow::Result<ChangeFeed> {
        match value {
            "notify" => Ok(ChangeFeed::Notify),
            "poll" => Ok(ChangeFeed::Poll),
            other => anyhow::bail!("change_feed : « {other} » n'est ni `notify` ni `poll`"),
        }
    }
}

impl Config {
    /// Merges the layers; `explicit` values (flags or environment) win.
    pub(crate) fn load(
        file: Option<&Path>,
        data_dir: Option<PathBuf>,
        database_url: Option<String>,
        bind: Option<SocketAddr>,
        secure_cookies: Option<bool>,
    ) -> anyhow::Result<Config> {
        let default_file = Path::new("passerelle.toml");
        let path = file.or_else(|| default_file.exists().then_some(default_file));
        let from_file: File = match path {
            Some(p) => {
                let text = crate::files::read_to_string(p)?;
                toml::from_str(&text).map_err(|e| {
                    let at = e.span().map_or_else(String::new, |s| {
                        let before = &text[..s.start.min(text.len())];
                        let line = before.matches('\n').count() + 1;
                        let column = before
                            .rsplit('\n')
                            .next()
                            .unwrap_or_default()
                            .chars()
                            .count()
                            + 1;
                        format!(", ligne {line}, colonne {column}")
                    });
                    anyhow::anyhow!(
                        "{}{at} : configuration invalide : {}",
                        p.display(),
                        passerelle_domain::text::serde_message_fr(e.message())
                    )
                })?
            }
            None => File::default(),
        };
        let data_dir = data_dir
            .or(from_file.data_dir)
            .unwrap_or_else(|| PathBuf::from("var"));
        let database_url = database_url
            .or(from_file.database_url)
            .unwrap_or_else(|| format!("sqlite://{}/passerelle.db", data_dir.display()));
        let bind = match bind.or(from_file.bind) {
            Some(b) => b,
            None => DEFAULT_BIND
                .parse()
                .context("adresse d'écoute par défaut")?,
        };
        let secure_cookies = secure_cookies.or(from_file.secure_cookies).unwrap_or(false);

        let base_url = env("PASSERELLE_BASE_URL").or(from_file.base_url);
        let smtp_url = env("PASSERELLE_SMTP_URL").or(from_file.smtp_url);
        let mail_from = env("PASSERELLE_MAIL_FROM")
            .or(from_file.mail_from)
            .unwrap_or_else(|| "Passerelle <passerelle@localhost>".to_owned());
        let newsletter_from = env("PASSERELLE_NEWSLETTER_FROM")
            .or(from_file.newsletter_from)
            .unwrap_or_else(|| {
                let domain = mail_from
                    .rsplit_once('@')
                    .map_or("localhost", |(_, d)| d.trim_end_matches('>').trim());
                format!("Lettre d'infos <lettre@{domain}>")
            });
        let newsletter_rate = match env("PASSERELLE_NEWSLETTER_RATE") {
            Some(v) => v.parse().with_context(|| {
                format!("PASSERELLE_NEWSLETTER_RATE : « {v} » n'est pas un nombre de courriels par seconde")
            })?,
            None => from_file.newsletter_rate.unwrap_or(10.0),
        };
        anyhow::ensure!(
            newsletter_rate.is_finite() && newsletter_rate >= 0.0,
            "newsletter_rate : {newsletter_rate} n'est pas un nombre de courriels par seconde (0 pour aucune limite)"
        );
        let newsletter_max_bounces = match env("PASSERELLE_NEWSLETTER_MAX_BOUNCES") {
            Some(v) => v.parse().with_context(|| {
                format!("PASSERELLE_NEWSLETTER_MAX_BOUNCES : « {v} » n'est pas un nombre")
            })?,
            None => from_file.newsletter_max_bounces.unwrap_or(3),
        }
        .max(1);
        let retention_days = setting(
            "PASSERELLE_RETENTION_DAYS",
            from_file.retention_days,
            365,
            "un nombre de jours",
        )?;
        let max = passerelle_domain::referral::MAX_RETENTION_DAYS;
        let referral_retention_days = match env("PASSERELLE_REFERRAL_RETENTION_DAYS") {
            Some(v) => v.parse().with_context(|| {
                format!("PASSERELLE_REFERRAL_RETENTION_DAYS : « {v} » n'est pas un nombre de jours")
            })?,
            None => from_file
                .referral_retention_days
                .unwrap_or(passerelle_domain::referral::DEFAULT_RETENTION_DAYS),
        };
        if referral_retention_days > max {
            anyhow::bail!(
                "referral_retention_days : {referral_retention_days} jours dépassent le maximum de {max} (deux ans)"
            );
        }
        let cache_mib = setting(
            "PASSERELLE_CACHE_MIB",
            from_file.cache_mib,
            32,
            "un nombre de Mio",
        )?;
        let max_connections = setting(
            "PASSERELLE_MAX_CONNECTIONS",
            from_file.max_connections,
            crate::listen::default_max_connections(),
            "un nombre de connexions",
        )?
        .max(1);
        let limits = crate::listen::Limits {
            header_read_timeout: std::time::Duration::from_secs(
                setting(
                    "PASSERELLE_HEADER_READ_TIMEOUT_SECS",
                    from_file.header_read_timeout_secs,
                    10,
                    "un nombre de secondes",
                )?
                .max(1),
            ),
            max_connections,
            max_per_address: setting(
                "PASSERELLE_MAX_CONNECTIONS_PER_ADDRESS",
                from_file.max_connections_per_address,
                (max_connections / 4).max(16),
                "un nombre de connexions",
            )?,
        };
        let change_feed = match env("PASSERELLE_CHANGE_FEED").or(from_file.change_feed) {
            Some(v) => ChangeFeed::parse(&v)?,
            None => ChangeFeed::Notify,
        };
        let allow = from_file
            .cites
            .iter()
            .filter(|(_, c)| !c.proconnect_domains.is_empty() || !c.proconnect_sirets.is_empty())
            .map(|(slug, c)| {
                (
                    slug.clone(),
                    c.proconnect_domains.clone(),
                    c.proconnect_sirets.clone(),
                )
            })
            .collect();
        let signin = crate::signin_config::SignInSettings::load(
            crate::signin_config::Raw {
                idle_minutes: from_file.session_idle_minutes,
                absolute_hours: from_file.session_absolute_hours,
                everyone: from_file.second_factor_for_everyone,
                proconnect: from_file.proconnect,
                security_txt: from_file.security_txt,
                allow,
            },
            base_url.as_deref(),
        )?;
        let hosts = from_file
            .cites
            .into_iter()
            .filter_map(|(slug, c)| c.host.map(|h| (h, slug)))
            .collect();
        Ok(Config {
            metrics: MetricsSettings::load(from_file.metrics)?,
            signin,
            default_cite: env("PASSERELLE_DEFAULT_CITE").or(from_file.default_cite),
            hosts,
            retention_days,
            referral_retention_days,
            cache_mib,
            limits,
            change_feed,
            data_dir,
            database_url,
            bind,
            secure_cookies,
            base_url,
            smtp_url,
            mail_from,
            newsletter_from,
            newsletter_rate,
            newsletter_max_bounces,
        })
    }
}

/// The environment variable `name`, unless unset or empty.
fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

/// A number set by the environment variable `var`, else by the file, else
/// `default`; `what` says in French what it counts, for the error.
fn setting<T: std::str::FromStr>(
    var: &str,
    from_file: Option<T>,
    default: T,
    what: &str,
) -> anyhow::Result<T> {
    match env(var) {
        Some(v) => v
            .trim()
            .parse()
            .map_err(|_| anyhow::anyhow!("{var} : « {v} » n'est pas {what}")),
        None => Ok(from_file.unwrap_or(default)),
    }
}
