//! `passerelle referrals`: an operator (or a professional) follows and
//! answers referrals from the command line, through a server's JSON API
//! with a personal token — the same rules as the pages, nothing read from
//! the database directly.

use std::io::Write;

use anyhow::Context;
use clap::{Args as ClapArgs, Subcommand, ValueEnum};
use serde_json::Value;

use crate::cli::ReportFormat;

#[derive(Debug, ClapArgs)]
pub(crate) struct ReferralsArgs {
    /// L'adresse du serveur (`https://passerelle.exemple.fr`) ; par défaut
    /// le `base_url` de la configuration.
    #[arg(long, env = "PASSERELLE_SERVER")]
    server: Option<String>,
    /// Un jeton d'API personnel, créé sur la page /compte du serveur.
    #[arg(long, env = "PASSERELLE_TOKEN", hide_env_values = true)]
    token: String,
    /// Le format de sortie.
    #[arg(long, value_enum, default_value = "text", global = true)]
    format: ReportFormat,
    #[command(subcommand)]
    command: ReferralsCommand,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum Decision {
    /// Accept, with the next step (date, place, who calls whom).
    Accepter,
    /// Refuse, with the reason (for the professional; the family is told kindly, without it).
    Refuser,
    /// Ask the professional for details, with the question.
    Preciser,
}

#[derive(Debug, Subcommand)]
pub(crate) enum ReferralsCommand {
    /// Les orientations envoyées par le compte du jeton, puis celles reçues
    /// par les actions qu'il porte, les plus récentes d'abord.
    List,
    /// Une orientation : la demande de la famille et son historique.
    Show {
        /// Le numéro de l'orientation.
        id: i64,
    },
    /// Répond à une orientation reçue par une action que porte le compte.
    Answer {
        /// Le numéro de l'orientation.
        id: i64,
        /// La réponse : accepter (avec la suite), refuser (avec la raison,
        /// pour le professionnel seul) ou preciser (avec la question).
        #[arg(long, value_enum)]
        decision: Decision,
        /// La suite, la raison ou la question.
        #[arg(long)]
        text: String,
    },
}

/// What the server answered: its status and body.
struct Reply {
    status: u16,
    body: Value,
}

fn call(url: &str, token: &str, body: Option<&Value>) -> anyhow::Result<Reply> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(std::time::Duration::from_secs(30)))
        .build()
        .into();
    let auth = format!("Bearer {token}");
    let sent = match body {
        Some(b) => agent
            .post(url)
            .header("authorization", &auth)
            .header("content-type", "application/json")
            .send(b.to_string()),
        None => agent
            .get(url)
            .header("authorization", &auth)
            .header("accept", "application/json")
            .call(),
    };
    let mut res = sent.with_context(|| format!("le serveur {url} ne répond pas"))?;
    let status = res.status().as_u16();
    let text = res
        .body_mut()
        .read_to_string()
        .with_context(|| format!("réponse illisible de {url}"))?;
    let body = serde_json::from_str(&text).with_context(|| {
        format!(
            "{url} n'a pas répondu en JSON (statut {status}) : est-ce bien un serveur Passerelle ?"
        )
    })?;
    Ok(Reply { status, body })
}

/// The server's refusal, in its words.
fn refused(r: &Reply) -> anyhow::Error {
    let message = r.body["error"]["message"]
        .as_str()
        .unwrap_or("refus sans message");
    anyhow::anyhow!("le serveur refuse (statut {}) : {message}", r.status)
}

fn text(v: &Value, key: &str) -> String {
    match &v[key] {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn write_summary(out: &mut dyn Write, r: &Value) -> anyhow::Result<()> {
    let role = match r["role"].as_str() {
        Some("sender") => "envoyée par vous",
        Some("operator") => "reçue par votre action",
        _ => "consultée pour l'assistance",
    };
    writeln!(
        out,
        "n° {} — {} — fiche {} « {} » — envoyée le {} ({role})",
        text(r, "id"),
        text(r, "state_label"),
        text(r, "fiche"),
        text(r, "action"),
        text(r, "sent_at"),
    )?;
    Ok(())
}

fn write_referral(out: &mut dyn Write, r: &Value) -> anyhow::Result<()> {
    write_summary(out, r)?;
    let d = &r["details"];
    if d.is_null() {
        writeln!(
            out,
            "Données personnelles effacées le {}.",
            text(r, "erased_at")
        )?;
    } else {
        writeln!(out, "Enfant : {}, {} ans", text(d, "child"), text(d, "age"))?;
        writeln!(out, "Lieu : {}", text(d, "place"))?;
        writeln!(out, "Besoin : {}", text(d, "need"))?;
        if !text(d, "message").is_empty() {
            writeln!(out, "Message : {}", text(d, "message"))?;
        }
        let contact = match d["contact_by"].as_str() {
            Some("Phone") => format!("par téléphone, {}", text(d, "family_phone")),
            Some("Email") => format!("par courriel, {}", text(d, "family_email")),
            _ => "par l'intermédiaire du professionnel".to_owned(),
        };
        writeln!(out, "Contacter la famille : {contact}")?;
    }
    writeln!(out, "Historique :")?;
    for h in r["history"].as_array().into_iter().flatten() {
        let note = text(h, "note");
        let note = if note.is_empty() {
            String::new()
        } else {
            format!(" : {note}")
        };
        writeln!(
            out,
            "  {} {} ({}) → {}{note}",
            text(h, "at"),
            text(h, "event"),
            text(h, "actor"),
            text(h, "state"),
        )?;
    }
    let answers: Vec<&str> = r["answers"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    if !answers.is_empty() {
        writeln!(
            out,
            "Réponses possibles : {} (passerelle referrals answer {} --decision …)",
            answers.join(", "),
            text(r, "id")
        )?;
    }
    Ok(())
}

pub(crate) async fn run(
    out: &mut dyn Write,
    base_url: Option<&str>,
    cite: Option<&str>,
    args: &ReferralsArgs,
) -> anyhow::Result<()> {
    let server = args
        .server
        .as_deref()
        .or(base_url)
        .context("donnez l'adresse du serveur : --server https://… (ou PASSERELLE_SERVER)")?
        .trim_end_matches('/');
    let root = match cite {
        Some(c) => format!("{server}/api/v1/cites/{c}/orientations"),
        None => format!("{server}/api/v1/orientations"),
    };
    let (url, body) = match &args.command {
        ReferralsCommand::List => (root, None),
        ReferralsCommand::Show { id } => (format!("{root}/{id}"), None),
        ReferralsCommand::Answer { id, decision, text } => {
            let decision = match decision {
                Decision::Accepter => "accepter",
                Decision::Refuser => "refuser",
                Decision::Preciser => "preciser",
            };
            (
                format!("{root}/{id}/reponse"),
                Some(serde_json::json!({"decision": decision, "text": text})),
            )
        }
    };
    let token = args.token.clone();
    let reply = tokio::task::spawn_blocking(move || call(&url, &token, body.as_ref()))
        .await
        .context("requête interrompue")??;
    if reply.status != 200 {
        return Err(refused(&reply));
    }
    if let ReportFormat::Json = args.format {
        writeln!(out, "{}", serde_json::to_string_pretty(&reply.body)?)?;
        return Ok(());
    }
    match &args.command {
        ReferralsCommand::List => {
            let all = reply.body.as_array().map_or(&[][..], Vec::as_slice);
            for r in all {
                write_summary(out, r)?;
            }
            writeln!(out, "{} orientation(s)", all.len())?;
        }
        ReferralsCommand::Show { .. } => write_referral(out, &reply.body)?,
        ReferralsCommand::Answer { .. } => {
            writeln!(
                out,
                "Réponse enregistrée : l'orientation n° {} est {}.",
                text(&reply.body, "id"),
                text(&reply.body, "state_label")
            )?;
        }
    }
    Ok(())
}
