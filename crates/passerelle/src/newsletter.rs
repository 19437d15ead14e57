//! `passerelle newsletter`: sending an issue from the command line (the
//! queue is the servers' own: a server running meanwhile takes its share),
//! the delivery of every issue, and the export of a list's subscribers.

use std::io::Write;

use anyhow::Context;
use clap::Subcommand;
use passerelle_domain::newsletter::{Progress, SubscriberStatus};

use crate::cli::Db;
use crate::config::Config;

#[derive(Debug, Subcommand)]
pub(crate) enum NewsletterCommand {
    /// Met un numéro en file (s'il ne l'est pas) et l'envoie d'ici, en
    /// écrivant sa progression, jusqu'à ce qu'il ne reste rien à envoyer.
    Send {
        /// Le numéro, tel que sa page le montre (`/admin/lettre/3`).
        issue: i64,
    },
    /// Où en est chaque numéro de la cité : envoyé, en attente, en échec.
    Status,
    /// Les abonnés.
    Subscribers {
        #[command(subcommand)]
        command: SubscribersCommand,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum SubscribersCommand {
    /// Écrit les abonnés confirmés d'une liste en CSV (adresse, depuis quand,
    /// origine et date du consentement) sur la sortie standard.
    Export {
        /// L'identifiant de la liste (tel que `status` et la page des listes le donnent).
        #[arg(long)]
        list: String,
    },
}

fn progress_line(p: &Progress) -> String {
    format!(
        "{} envoyées, {} en attente, {} en échec, {} annulées (sur {})",
        p.sent,
        p.waiting + p.sending,
        p.failed,
        p.cancelled,
        p.total()
    )
}

/// The web application's state over the whole database, with its mailer:
/// what a command that mails as the server would needs.
pub(crate) async fn web_state(
    store: Db,
    config: &Config,
) -> anyhow::Result<passerelle_web::AppState> {
    let loaded = crate::catalogue::load_all_for_web(&*store).await?;
    let snapshots = crate::serve::build_snapshots(loaded)?;
    let base_url = config
        .base_url
        .clone()
        .unwrap_or_else(|| format!("http://{}", config.bind));
    Ok(passerelle_web::AppState::several(snapshots)
        .with_accounts(store.clone(), config.secure_cookies)
        .with_editing(crate::serve::editing(
            config,
            store.clone(),
            crate::serve::mailer(config)?,
            base_url,
        )))
}

pub(crate) async fn run(
    out: &mut impl Write,
    store: Db,
    config: &Config,
    cite: &str,
    command: &NewsletterCommand,
) -> anyhow::Result<()> {
    match command {
        NewsletterCommand::Send { issue } => {
            let found = store
                .issue(cite, *issue)
                .await?
                .with_context(|| format!("aucune lettre n° {issue} dans la cité « {cite} »"))?;
            let state = web_state(store.clone(), config).await?;
            writeln!(out, "Lettre n° {issue} : « {} »", found.title)?;
            let mut last = String::new();
            let done = passerelle_web::send_issue(&state, cite, *issue, |p| {
                let line = progress_line(p);
                if line != last {
                    let _ = writeln!(std::io::stderr(), "{line}");
                    last = line;
                }
            })
            .await
            .map_err(|e| anyhow::anyhow!("{e:?}"))?;
            writeln!(out, "Terminé : {}", progress_line(&done))?;
        }
        NewsletterCommand::Status => {
            let lists = store.lists(cite).await?;
            let issues = store.issues(cite).await?;
            if issues.is_empty() {
                writeln!(out, "Aucune lettre dans la cité « {cite} ».")?;
            }
            for i in issues {
                let p = store.progress(cite, i.id).await?;
                let list = lists
                    .iter()
                    .find(|l| l.id == i.list)
                    .map_or("?", |l| l.slug.as_str());
                writeln!(
                    out,
                    "n° {}\t{list}\t{}\t{}\t{}",
                    i.id,
                    i.status.label(),
                    i.title,
                    if p.total() == 0 {
                        String::new()
                    } else {
                        progress_line(&p)
                    }
                )?;
            }
        }
        NewsletterCommand::Subscribers {
            command: SubscribersCommand::Export { list },
        } => {
            let lists = store.lists(cite).await?;
            let Some(l) = lists.iter().find(|l| l.slug == *list) else {
                let known: Vec<&str> = lists.iter().map(|l| l.slug.as_str()).collect();
                anyhow::bail!(
                    "aucune liste « {list} » dans la cité « {cite} » (listes : {})",
                    if known.is_empty() {
                        "aucune".to_owned()
                    } else {
                        known.join(", ")
                    }
                );
            };
            let mut w = csv::Writer::from_writer(Vec::new());
            w.write_record(["email", "confirme_le", "consentement", "consentement_le"])?;
            for s in store.subscribers(cite).await? {
                if s.status == SubscriberStatus::Confirmed && s.lists.contains(&l.id) {
                    w.write_record([
                        s.email.as_str(),
                        s.confirmed_at.as_deref().unwrap_or_default(),
                        s.consent_source.as_str(),
                        s.consent_at.as_str(),
                    ])?;
                }
            }
            out.write_all(&w.into_inner().context("CSV")?)?;
        }
    }
    Ok(())
}
