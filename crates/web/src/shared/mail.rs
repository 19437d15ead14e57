//! Sending the one-time links: by SMTP when a server is configured, written
//! to the log otherwise (so that an administrator can pass the link on).

use std::sync::Mutex;

use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

/// A message as sent (or logged).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mail {
    pub to: String,
    pub subject: String,
    pub body: String,
}

#[derive(Debug)]
enum Transport {
    Smtp {
        smtp: Box<AsyncSmtpTransport<Tokio1Executor>>,
        from: Box<Mailbox>,
    },
    Log,
}

/// Where mail goes.
#[derive(Debug)]
pub struct Mailer {
    transport: Transport,
    /// The last messages written to the log (log mode only), newest last.
    logged: Mutex<Vec<Mail>>,
}

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("the SMTP address `{0}` is not usable: {1}")]
    Config(String, String),
    #[error("the message could not be sent: {0}")]
    Send(String),
}

impl Mailer {
    /// Mail written to the log only.
    pub fn log() -> Mailer {
        Mailer {
            transport: Transport::Log,
            logged: Mutex::new(Vec::new()),
        }
    }

    /// Mail sent through the SMTP server at `url` (`smtp://host:25`,
    /// `smtp://user:pass@host:587?tls=required`, `smtps://host:465`), from
    /// the address `from`.
    pub fn smtp(url: &str, from: &str) -> Result<Mailer, MailError> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| MailError::Config(redact(url), e.to_string()))?
            .build();
        let from: Mailbox = from.parse().map_err(|e: lettre::address::AddressError| {
            MailError::Config(from.to_owned(), e.to_string())
        })?;
        Ok(Mailer {
            transport: Transport::Smtp {
                smtp: Box::new(transport),
                from: Box::new(from),
            },
            logged: Mutex::new(Vec::new()),
        })
    }

    /// Sends (or logs) one message.
    pub async fn send(&self, mail: Mail) -> Result<(), MailError> {
        match &self.transport {
            Transport::Log => {
                tracing::info!(to = %mail.to, subject = %mail.subject, body = %mail.body, "mail (no SMTP server configured: written here)");
                if let Ok(mut logged) = self.logged.lock() {
                    if logged.len() >= 50 {
                        logged.remove(0);
                    }
                    logged.push(mail);
                }
                Ok(())
            }
            Transport::Smtp { smtp, from } => {
                let to: Mailbox = mail
                    .to
                    .parse()
                    .map_err(|e: lettre::address::AddressError| MailError::Send(e.to_string()))?;
                let message = Message::builder()
                    .from(from.as_ref().clone())
                    .to(to)
                    .subject(mail.subject)
                    .header(lettre::message::header::ContentType::TEXT_PLAIN)
                    .body(mail.body)
                    .map_err(|e| MailError::Send(e.to_string()))?;
                smtp.send(message)
                    .await
                    .map(|_| ())
                    .map_err(|e| MailError::Send(e.to_string()))
            }
        }
    }

    /// The messages written to the log, oldest first (empty with SMTP).
    pub fn logged(&self) -> Vec<Mail> {
        self.logged.lock().map(|l| l.clone()).unwrap_or_default()
    }
}

/// The URL without its password, for messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            format!("{}://…@{}", &url[..scheme], &url[at + 1..])
        }
        _ => url.to_owned(),
    }
}
