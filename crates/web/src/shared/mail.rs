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
    pub kind: MailKind,
    pub to: String,
    pub subject: String,
    pub body: String,
}

/// What a mail is for: it decides what the log may say of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailKind {
    /// An invitation to create an account: without an SMTP server, its
    /// link is written to the log for an administrator to pass on.
    Invitation,
    /// A password reset link: the same.
    Reset,
    /// A new role given to an existing account.
    Role,
    /// A seminar registration's confirmation with its private link.
    Registration,
    /// A place freed for someone on the waiting list.
    Promotion,
    /// The newsletter's confirmation link.
    Subscription,
    /// A referral's mail: the operator's link, the sender's news, the family's.
    Referral,
    /// A call for projects' mail to an applicant: the sign-up link, the
    /// application's news (its submission, a request, the decision).
    Application,
    /// A reminder of a funding line's financial report to its operator.
    Funding,
}

impl MailKind {
    /// As the log names it.
    pub fn key(self) -> &'static str {
        match self {
            MailKind::Invitation => "invitation",
            MailKind::Reset => "reset",
            MailKind::Role => "role",
            MailKind::Registration => "registration",
            MailKind::Promotion => "promotion",
            MailKind::Subscription => "subscription",
            MailKind::Referral => "referral",
            MailKind::Application => "application",
            MailKind::Funding => "funding",
        }
    }

    /// Whether the log may hold the whole mail when no SMTP server is
    /// configured: only the invitations and resets an administrator passes
    /// on by hand. Nothing else — a family's, a registration's private
    /// link, an operator's link to a child's referral — ever goes there.
    fn may_be_logged(self) -> bool {
        matches!(self, MailKind::Invitation | MailKind::Reset)
    }
}

/// The domain of an address, all the log may say of a recipient.
pub(crate) fn domain_of(address: &str) -> &str {
    address
        .rsplit_once('@')
        .map_or("?", |(_, domain)| domain.trim_end_matches('>'))
}

/// An SMTP error's text without the recipient's address (servers quote
/// it when they refuse it).
fn without_address(error: &str, address: &str) -> String {
    if address.is_empty() {
        return error.to_owned();
    }
    error.replace(address, &format!("…@{}", domain_of(address)))
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
    /// The reason, without the recipient's address.
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
                tracing::info!(domain = %domain_of(&letter.to), "letter not sent: no SMTP server configured");
                if let Ok(mut logged) = self.logged.lock() {
                    if logged.len() >= 50 {
                        logged.remove(0);
                    }
                    logged.push(Mail {
                        kind: MailKind::Subscription,
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
                    Err(e) if e.is_permanent() => {
                        Outcome::Permanent(without_address(&e.to_string(), &letter.to))
                    }
                    Err(e) => Outcome::Temporary(without_address(&e.to_string(), &letter.to)),
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
                if mail.kind.may_be_logged() {
                    tracing::info!(to = %mail.to, subject = %mail.subject, body = %mail.body, "mail (no SMTP server configured: written here)");
                } else {
                    tracing::info!(kind = mail.kind.key(), domain = %domain_of(&mail.to), "mail not sent: no SMTP server configured");
                }
                if let Ok(mut logged) = self.logged.lock() {
                    if logged.len() >= 50 {
                        logged.remove(0);
                    }
                    logged.push(mail);
                }
                Ok(())
            }
            Transport::Smtp { smtp, from } => {
                let address = mail.to.clone();
                let failed = |e: String| MailError::Send(without_address(&e, &address));
                let to: Mailbox = mail
                    .to
                    .parse()
                    .map_err(|e: lettre::address::AddressError| failed(e.to_string()))?;
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
                    .map_err(|e| failed(e.to_string()))?;
                smtp.send(message)
                    .await
                    .map(|_| ())
                    .map_err(|e| failed(e.to_string()))
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

#[cfg(test)]
mod tests {
    use super::*;

    /// What the log says while `f` runs, at `info`.
    async fn logged<F: std::future::Future<Output = ()>>(f: F) -> String {
        #[derive(Clone, Default)]
        struct Buffer(std::sync::Arc<Mutex<Vec<u8>>>);
        impl std::io::Write for Buffer {
            fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
                if let Ok(mut v) = self.0.lock() {
                    v.extend_from_slice(b);
                }
                Ok(b.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let buffer = Buffer::default();
        let writer = buffer.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::INFO)
            .with_writer(move || writer.clone())
            .finish();
        let guard = tracing::subscriber::set_default(subscriber);
        f.await;
        drop(guard);
        let bytes = buffer.0.lock().map(|v| v.clone()).unwrap_or_default();
        String::from_utf8_lossy(&bytes).into_owned()
    }

    #[tokio::test]
    async fn without_smtp_the_log_holds_no_family_mail_nor_operators_link() {
        let mailer = Mailer::log();
        let link = "https://passerelle.example.fr/orientation/0123456789abcdef";
        let log = logged(async {
            for (kind, to) in [
                (MailKind::Referral, "parent.durand@famille.example"),
                (MailKind::Registration, "nadia@exemple.fr"),
                (MailKind::Promotion, "nadia@exemple.fr"),
                (MailKind::Subscription, "abonne@exemple.fr"),
                (MailKind::Role, "coord@ville-roubaix.fr"),
            ] {
                let mail = Mail {
                    kind,
                    to: to.into(),
                    subject: "Orientation de Lina, 9 ans".into(),
                    body: format!("Lina, 9 ans, école Jules Ferry : {link}"),
                };
                mailer.send(mail).await.unwrap_or_default();
            }
        })
        .await;
        for secret in [
            "orientation/0123",
            "Lina",
            "parent.durand",
            "nadia@",
            "abonne@",
            "coord@",
        ] {
            assert!(!log.contains(secret), "{secret} in the log: {log}");
        }
        assert!(
            log.contains("famille.example") && log.contains("referral"),
            "{log}"
        );
        // Kept for everyone to read in tests: the mails themselves.
        assert_eq!(mailer.logged().len(), 5);
    }

    #[tokio::test]
    async fn without_smtp_invitations_and_resets_are_logged_for_the_administrator() {
        let mailer = Mailer::log();
        let log = logged(async {
            for kind in [MailKind::Invitation, MailKind::Reset] {
                let mail = Mail {
                    kind,
                    to: "julia@ville-roubaix.fr".into(),
                    subject: "Invitation".into(),
                    body: format!("https://passerelle.example.fr/lien-{}", kind.key()),
                };
                mailer.send(mail).await.unwrap_or_default();
            }
        })
        .await;
        assert!(
            log.contains("lien-invitation") && log.contains("lien-reset"),
            "{log}"
        );
    }

    #[test]
    fn a_refusal_names_the_recipients_domain_not_their_address() {
        let said = without_address(
            "permanent error (550): <lina.parent@famille.example>: Recipient address rejected",
            "lina.parent@famille.example",
        );
        assert!(!said.contains("lina.parent"), "{said}");
        assert!(said.contains("…@famille.example"), "{said}");
        assert_eq!(domain_of("a@b.fr"), "b.fr");
    }
}
