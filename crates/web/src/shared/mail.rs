//! Sending mail: the one-time links, and the newsletter's letters (multipart,
//! with their list headers, from an address of their own). By SMTP when a
//! server is configured, written to the log otherwise (so that an
//! administrator can pass a link on).

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

/// One letter of the newsletter to one subscriber, as built by the
/// newsletter area: what the SMTP message is made of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Letter {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    /// Without angle brackets: `lettre-3-17@passerelle.example.fr`, the same
    /// each time this issue is sent to this subscriber.
    pub message_id: String,
    /// `<pros.roubaix.passerelle.example.fr>`, with its name in front.
    pub list_id: String,
    /// The one-click unsubscription address (RFC 8058).
    pub unsubscribe_url: String,
    /// `mailto:` to write to for unsubscribing.
    pub unsubscribe_mailto: String,
}

macro_rules! text_header {
    ($type:ident, $name:literal) => {
        #[derive(Debug, Clone)]
        struct $type(String);

        impl lettre::message::header::Header for $type {
            fn name() -> lettre::message::header::HeaderName {
                lettre::message::header::HeaderName::new_from_ascii_str($name)
            }

            fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
                Ok($type(s.to_owned()))
            }

            fn display(&self) -> lettre::message::header::HeaderValue {
                lettre::message::header::HeaderValue::new(Self::name(), self.0.clone())
            }
        }
    };
}

text_header!(ListId, "List-Id");
text_header!(ListUnsubscribe, "List-Unsubscribe");
text_header!(ListUnsubscribePost, "List-Unsubscribe-Post");

/// Where mail goes.
#[derive(Debug)]
pub struct Mailer {
    transport: Transport,
    /// The sender of the newsletter (the invitations' sender without one).
    newsletter_from: Option<Mailbox>,
    /// The last messages written to the log (log mode only), newest last.
    logged: Mutex<Vec<Mail>>,
}

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("l'adresse SMTP « {0} » est inutilisable : {1}")]
    Config(String, String),
    #[error("le message n'a pas pu être envoyé : {0}")]
    Send(String),
}

impl Mailer {
    /// Mail written to the log only.
    pub fn log() -> Mailer {
        Mailer {
            transport: Transport::Log,
            newsletter_from: None,
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
            newsletter_from: None,
            logged: Mutex::new(Vec::new()),
        })
    }

    /// Sends the newsletter from `from` (`Lettre d'infos <lettre@…>`), an
    /// address of its own: answers and bounces to it do not mix with the
    /// invitations'.
    pub fn newsletter_from(mut self, from: &str) -> Result<Mailer, MailError> {
        let from: Mailbox = from.parse().map_err(|e: lettre::address::AddressError| {
            MailError::Config(from.to_owned(), e.to_string())
        })?;
        self.newsletter_from = Some(from);
        Ok(self)
    }

    /// The domain of the newsletter's sender, for `Message-ID`s and `List-Id`s.
    pub fn newsletter_domain(&self) -> String {
        let from = match (&self.newsletter_from, &self.transport) {
            (Some(f), _) => Some(f.email.domain().to_owned()),
            (None, Transport::Smtp { from, .. }) => Some(from.email.domain().to_owned()),
            (None, Transport::Log) => None,
        };
        from.unwrap_or_else(|| "localhost".to_owned())
    }

    /// The newsletter's sender address (where unsubscription requests may
    /// be written to).
    pub fn newsletter_address(&self) -> String {
        match (&self.newsletter_from, &self.transport) {
            (Some(f), _) => f.email.to_string(),
            (None, Transport::Smtp { from, .. }) => from.email.to_string(),
            (None, Transport::Log) => "passerelle@localhost".to_owned(),
        }
    }

    /// Sends one letter; the answer says what to do next (retry, count a
    /// bounce). In log mode, the letter is written to the log.
    pub async fn send_letter(&self, letter: &Letter) -> passerelle_domain::newsletter::Outcome {
        use passerelle_domain::newsletter::Outcome;
        match &self.transport {
            Transport::Log => {
                tracing::info!(to = %letter.to, subject = %letter.subject, "letter (no SMTP server configured: written here)");
                if let Ok(mut logged) = self.logged.lock() {
                    if logged.len() >= 50 {
                        logged.remove(0);
                    }
                    logged.push(Mail {
                        to: letter.to.clone(),
                        subject: letter.subject.clone(),
                        body: letter.text.clone(),
                    });
                }
                Outcome::Sent("journal".into())
            }
            Transport::Smtp { smtp, from } => {
                let message = match self.letter_message(letter, from) {
                    Ok(m) => m,
                    // An address the server would refuse anyway.
                    Err(e) => return Outcome::Permanent(format!("message refusé : {e}")),
                };
                match smtp.send(message).await {
                    Ok(answer) => Outcome::Sent(format!(
                        "{} {}",
                        answer.code(),
                        answer.message().next().unwrap_or_default()
                    )),
                    Err(e) if e.is_permanent() => Outcome::Permanent(e.to_string()),
                    Err(e) => Outcome::Temporary(e.to_string()),
                }
            }
        }
    }

    fn letter_message(&self, letter: &Letter, from: &Mailbox) -> Result<Message, String> {
        use lettre::message::MultiPart;
        let to: Mailbox = letter
            .to
            .parse()
            .map_err(|e: lettre::address::AddressError| e.to_string())?;
        let from = self.newsletter_from.as_ref().unwrap_or(from).clone();
        Message::builder()
            .from(from)
            .to(to)
            .subject(letter.subject.clone())
            .message_id(Some(format!("<{}>", letter.message_id)))
            .date_now()
            .header(ListId(letter.list_id.clone()))
            .header(ListUnsubscribe(format!(
                "<{}>, <{}>",
                letter.unsubscribe_url, letter.unsubscribe_mailto
            )))
            .header(ListUnsubscribePost("List-Unsubscribe=One-Click".into()))
            .multipart(MultiPart::alternative_plain_html(
                letter.text.clone(),
                letter.html.clone(),
            ))
            .map_err(|e| e.to_string())
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
                    .message_id(Some(format!(
                        "<{}@{}>",
                        passerelle_auth::new_token(),
                        from.email.domain()
                    )))
                    .date_now()
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
