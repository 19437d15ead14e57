//! `passerelle serve`: loads the catalogue (seeding an empty database with
//! the bundled booklet), builds the index, and serves until told to stop.

use anyhow::Context;
use passerelle_web::{AppState, Editing, Following, Mailer, Snapshot, app};
use tokio::net::TcpListener;

use crate::catalogue;
use crate::config::Config;

/// Every cité's snapshot (catalogue, search index), built on all cores: at
/// national size (250 cités) this is most of the start-up.
pub(crate) fn build_snapshots(loaded: Vec<catalogue::Loaded>) -> anyhow::Result<Vec<Snapshot>> {
    let workers = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let chunk = loaded.len().div_ceil(workers).max(1);
    let mut chunks: Vec<Vec<catalogue::Loaded>> = Vec::new();
    let mut rest = loaded.into_iter().peekable();
    while rest.peek().is_some() {
        chunks.push(rest.by_ref().take(chunk).collect());
    }
    std::thread::scope(|scope| {
        let handles: Vec<_> = chunks
            .into_iter()
            .map(|part| {
                scope.spawn(move || {
                    part.into_iter()
                        .map(|l| {
                            let started = std::time::Instant::now();
                            let slug = l.catalogue.cite.slug.to_string();
                            let built = Snapshot::new(l.catalogue, l.report, l.source)
                                .map(|s| s.at_version(l.version));
                            passerelle_web::snapshot_built(&slug, started);
                            built
                        })
                        .collect::<Result<Vec<_>, _>>()
                })
            })
            .collect();
        let mut all = Vec::new();
        for h in handles {
            let built = h.join().map_err(|_| {
                anyhow::anyhow!("la préparation du catalogue en mémoire a échoué")
            })??;
            all.extend(built);
        }
        Ok(all)
    })
}

pub(crate) async fn serve(config: &Config) -> anyhow::Result<()> {
    // Installed first, for the start-up's snapshot builds to be counted.
    let metrics = match config.metrics.enabled() {
        true => Some(
            passerelle_web::MetricsAccess::new(config.metrics.token.clone())
                .context("le relevé des métriques n'a pas pu être installé")?,
        ),
        false => None,
    };
    let store = crate::cli::open_store(config).await?;
    // Listening before the first load: no other server's write can fall
    // between what is read and what the feed reports.
    let feed = match config.change_feed {
        crate::config::ChangeFeed::Notify => store.changes().await?,
        crate::config::ChangeFeed::Poll => None,
    };
    let loaded = catalogue::load_all_for_web(&*store).await?;
    let names: Vec<String> = loaded
        .iter()
        .map(|l| l.catalogue.cite.name.clone())
        .collect();
    if config.smtp_url.is_none() {
        tracing::info!(
            "no SMTP server configured: invitation and reset links are written to this log"
        );
    }
    let snapshots = build_snapshots(loaded)?;
    let listener = TcpListener::bind(config.bind)
        .await
        .with_context(|| format!("écoute impossible sur {}", config.bind))?;
    let addr = listener.local_addr()?;
    tracing::info!(%addr, cites = %names.join(", "), "serving");
    {
        use std::io::Write;
        let mut out = std::io::stdout().lock();
        match names.as_slice() {
            [one] => writeln!(out, "Passerelle sert la {one} sur http://{addr}/")?,
            several => writeln!(
                out,
                "Passerelle sert {} cités éducatives sur http://{addr}/ : {}",
                several.len(),
                several.join(", ")
            )?,
        }
        out.flush()?;
    }
    let mailer = mailer(config)?;
    let mut state = AppState::several(snapshots).cache_budget(config.cache_mib * 1024 * 1024);
    if let Some(slug) = &config.default_cite {
        state = state.default_cite(slug).context("default_cite")?;
    }
    for (host, slug) in &config.hosts {
        state = state
            .map_host(host, slug)
            .with_context(|| format!("[cites.{slug}] host = \"{host}\""))?;
    }
    // The key signing anonymous forms' CSRF tokens, the same on every server.
    let form_key = store
        .server_key("formulaires-anonymes", &passerelle_auth::new_token())
        .await
        .context("clé des formulaires")?;
    let mut state = state
        .with_form_key(&form_key)
        .with_accounts(store.clone(), config.secure_cookies)
        .with_signin_policy(config.signin.policy.clone());
    if let Some(pc) = &config.signin.proconnect {
        state = state.with_proconnect(passerelle_web::ProConnect::new(
            pc.client.clone(),
            pc.allow.clone(),
        ));
    }
    if let Some(file) = &config.signin.security_txt {
        let days = file.days_left(time::OffsetDateTime::now_utc());
        if days < 30 {
            tracing::warn!(
                days_left = days,
                "security.txt expires within 30 days: set a later [security_txt] expires"
            );
        }
        state = state.with_security_txt(file.clone());
    }
    if let Some(metrics) = metrics {
        metrics.keep_up();
        state = state.with_metrics(metrics);
    }
    let state = state.with_editing(editing(
        config,
        store.clone(),
        mailer,
        config
            .base_url
            .clone()
            .unwrap_or_else(|| format!("http://{addr}")),
    ));
    state.prepare_national();
    match (feed, config.change_feed) {
        (Some(feed), _) => state.follow(Following::Feed(feed)),
        (None, crate::config::ChangeFeed::Poll) => {
            state.follow(Following::Poll(std::time::Duration::from_secs(1)));
        }
        // SQLite: this server is the database's only writer.
        (None, crate::config::ChangeFeed::Notify) => {}
    }
    if let Some(addr) = config.metrics.listen {
        let listener = TcpListener::bind(addr)
            .await
            .with_context(|| format!("[metrics] listen : écoute impossible sur {addr}"))?;
        tracing::info!(addr = %listener.local_addr()?, "metrics served");
        tokio::spawn(crate::listen::serve(
            listener,
            passerelle_web::metrics_app(state.clone()),
            config.limits,
            shutdown(),
        ));
    }
    tokio::spawn(anonymise_daily(store.clone(), config.retention_days));
    tokio::spawn(passerelle_web::deliver(state.clone()));
    tokio::spawn(passerelle_web::sweep_every_minute(state.clone()));
    tokio::spawn(passerelle_web::erase_applications_every_hour(state.clone()));
    tokio::spawn(passerelle_web::remind_reports_every_hour(state.clone()));
    crate::listen::serve(listener, app(state), config.limits, shutdown()).await;
    store.close().await;
    tracing::info!("stopped");
    Ok(())
}

/// Where mail goes: the SMTP server configured, or the log.
pub(crate) fn mailer(config: &Config) -> anyhow::Result<Mailer> {
    let mailer = match &config.smtp_url {
        Some(url) => Mailer::smtp(url, &config.mail_from)?,
        None => Mailer::log(),
    };
    Ok(mailer.newsletter_from(&config.newsletter_from)?)
}

/// What editing and the newsletter need, from the configuration.
pub(crate) fn editing(
    config: &Config,
    store: crate::cli::Db,
    mailer: Mailer,
    base_url: String,
) -> Editing {
    Editing::new(store, mailer, base_url)
        .retention_days(config.retention_days)
        .referral_retention_days(config.referral_retention_days)
        .delivery(passerelle_web::Delivery {
            rate: config.newsletter_rate,
            max_bounces: config.newsletter_max_bounces,
        })
}

/// Anonymises, now and then every day, the registrations of events held more
/// than `days` ago.
async fn anonymise_daily(store: crate::cli::Db, days: u32) {
    loop {
        let cutoff = time::OffsetDateTime::now_utc().date() - time::Duration::days(i64::from(days));
        let before = format!(
            "{:04}-{:02}-{:02}",
            cutoff.year(),
            u8::from(cutoff.month()),
            cutoff.day()
        );
        match store.anonymise_registrations(&before).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(count = n, before = %before, "registrations anonymised"),
            Err(e) => tracing::error!(error = %e, "anonymising registrations failed"),
        }
        tokio::time::sleep(std::time::Duration::from_secs(24 * 3600)).await;
    }
}

/// Resolves on Ctrl-C or SIGTERM; requests under way are finished first.
async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}
