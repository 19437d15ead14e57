//! Every stored row, in a form both databases read and write: what
//! `passerelle migrate` copies from one database to another, and what a
//! PostgreSQL backup is written from (a backup is a SQLite file, whichever
//! the database).

/// How a column's values are typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    Int,
    Bool,
    /// A file's bytes (SQLite's `BLOB`, PostgreSQL's `BYTEA`).
    Bytes,
}

/// One table: its name, and its columns with their kinds, in the order
/// rows hold them. Tables are listed so that a row's references come
/// before it (accounts before sessions, contributions before supports).
#[derive(Debug)]
pub struct Table {
    pub name: &'static str,
    pub columns: &'static [(&'static str, Kind)],
    /// Whether its first column is an identity (`id`) to keep as it is.
    pub keeps_id: bool,
}

use Kind::{Bool, Bytes, Int, Text};

/// Every table of the schema (both databases have them, with these columns).
pub const TABLES: &[Table] = &[
    Table {
        name: "entities",
        columns: &[
            ("cite", Text),
            ("kind", Text),
            ("key", Text),
            ("body", Text),
            ("version", Int),
            ("updated_at", Text),
            ("archived", Bool),
        ],
        keeps_id: false,
    },
    Table {
        name: "imports",
        columns: &[
            ("id", Int),
            ("cite", Text),
            ("source", Text),
            ("at", Text),
            ("added", Int),
            ("updated", Int),
            ("removed", Int),
            ("report", Text),
        ],
        keeps_id: true,
    },
    Table {
        name: "history",
        columns: &[
            ("id", Int),
            ("cite", Text),
            ("kind", Text),
            ("key", Text),
            ("version", Int),
            ("body", Text),
            ("actor", Text),
            ("at", Text),
            ("event", Text),
        ],
        keeps_id: true,
    },
    Table {
        name: "activity",
        columns: &[
            ("id", Int),
            ("cite", Text),
            ("actor", Text),
            ("at", Text),
            ("action", Text),
            ("target", Text),
            ("detail", Text),
        ],
        keeps_id: true,
    },
    Table {
        name: "accounts",
        columns: &[
            ("email", Text),
            ("name", Text),
            ("active", Bool),
            ("instance_role", Text),
            ("password_hash", Text),
            ("created_at", Text),
            ("awaiting_cite", Text),
        ],
        keeps_id: false,
    },
    Table {
        name: "memberships",
        columns: &[
            ("email", Text),
            ("cite", Text),
            ("role", Text),
            ("organisation", Text),
            ("created_at", Text),
        ],
        keeps_id: false,
    },
    Table {
        name: "sessions",
        columns: &[
            ("token_hash", Text),
            ("email", Text),
            ("csrf", Text),
            ("created_at", Text),
            ("expires_at", Int),
            ("started_at", Int),
            ("last_seen_at", Int),
            ("user_agent", Text),
            ("ip", Text),
            ("pending", Bool),
            ("second_factor", Bool),
            ("id_token", Text),
        ],
        keeps_id: false,
    },
    Table {
        name: "second_factors",
        columns: &[
            ("email", Text),
            ("secret", Text),
            ("created_at", Int),
            ("confirmed_at", Int),
            ("last_step", Int),
        ],
        keeps_id: false,
    },
    Table {
        name: "recovery_codes",
        columns: &[("email", Text), ("code_hash", Text), ("used_at", Int)],
        keeps_id: false,
    },
    Table {
        name: "identities",
        columns: &[
            ("issuer", Text),
            ("subject", Text),
            ("email", Text),
            ("idp_id", Text),
            ("siret", Text),
            ("created_at", Int),
            ("last_used_at", Int),
        ],
        keeps_id: false,
    },
    Table {
        name: "oidc_requests",
        columns: &[
            ("state_hash", Text),
            ("nonce", Text),
            ("verifier", Text),
            ("created_at", Int),
        ],
        keeps_id: false,
    },
    Table {
        name: "identity_conflicts",
        columns: &[
            ("id", Int),
            ("issuer", Text),
            ("subject", Text),
            ("account_email", Text),
            ("claimed_email", Text),
            ("seen_at", Int),
            ("resolved_by", Text),
            ("resolved_at", Int),
        ],
        keeps_id: true,
    },
    Table {
        name: "links",
        columns: &[
            ("token_hash", Text),
            ("purpose", Text),
            ("email", Text),
            ("name", Text),
            ("cite", Text),
            ("role", Text),
            ("organisation", Text),
            ("instance_role", Text),
            ("created_by", Text),
            ("created_at", Text),
            ("expires_at", Int),
            ("used_at", Text),
        ],
        keeps_id: false,
    },
    Table {
        name: "api_tokens",
        columns: &[
            ("token_hash", Text),
            ("email", Text),
            ("label", Text),
            ("created_at", Text),
            ("expires_at", Int),
        ],
        keeps_id: false,
    },
    Table {
        name: "registrations",
        columns: &[
            ("id", Int),
            ("cite", Text),
            ("event", Text),
            ("event_date", Text),
            ("token_hash", Text),
            ("name", Text),
            ("email", Text),
            ("organisation", Text),
            ("kind", Text),
            ("choices", Text),
            ("status", Text),
            ("workshop", Int),
            ("created_at", Text),
            ("anonymised", Bool),
        ],
        keeps_id: true,
    },
    Table {
        name: "participants",
        columns: &[
            ("token_hash", Text),
            ("cite", Text),
            ("event", Text),
            ("csrf", Text),
            ("name", Text),
            ("created_at", Text),
        ],
        keeps_id: false,
    },
    Table {
        name: "contributions",
        columns: &[
            ("id", Int),
            ("cite", Text),
            ("event", Text),
            ("question", Text),
            ("text", Text),
            ("author", Text),
            ("author_id", Text),
            ("fiche", Int),
            ("created_at", Text),
            ("hidden_reason", Text),
            ("hidden_by", Text),
        ],
        keeps_id: true,
    },
    Table {
        name: "supports",
        columns: &[
            ("contribution", Int),
            ("supporter", Text),
            ("created_at", Text),
        ],
        keeps_id: false,
    },
    Table {
        name: "syntheses",
        columns: &[
            ("cite", Text),
            ("event", Text),
            ("question", Text),
            ("text", Text),
            ("updated_by", Text),
            ("updated_at", Text),
        ],
        keeps_id: false,
    },
    Table {
        name: "newsletter_lists",
        columns: &[
            ("id", Int),
            ("cite", Text),
            ("slug", Text),
            ("name", Text),
            ("description", Text),
            ("public", Bool),
            ("created_at", Text),
        ],
        keeps_id: true,
    },
    Table {
        name: "subscribers",
        columns: &[
            ("id", Int),
            ("cite", Text),
            ("email", Text),
            ("status", Text),
            ("token", Text),
            ("consent_source", Text),
            ("consent_at", Text),
            ("confirm_hash", Text),
            ("confirm_expires", Int),
            ("confirmed_at", Text),
            ("bounces", Int),
            ("created_at", Text),
        ],
        keeps_id: true,
    },
    Table {
        name: "subscriptions",
        columns: &[
            ("subscriber", Int),
            ("list", Int),
            ("since", Text),
            ("confirmed", Bool),
        ],
        keeps_id: false,
    },
    Table {
        name: "subscriber_events",
        columns: &[
            ("id", Int),
            ("subscriber", Int),
            ("at", Text),
            ("event", Text),
            ("detail", Text),
        ],
        keeps_id: true,
    },
    Table {
        name: "newsletter_issues",
        columns: &[
            ("id", Int),
            ("cite", Text),
            ("list", Int),
            ("title", Text),
            ("intro", Text),
            ("blocks", Text),
            ("status", Text),
            ("scheduled_at", Text),
            ("html", Text),
            ("text", Text),
            ("created_at", Text),
            ("queued_at", Text),
            ("sent_at", Text),
        ],
        keeps_id: true,
    },
    Table {
        name: "deliveries",
        columns: &[
            ("issue", Int),
            ("subscriber", Int),
            ("status", Text),
            ("attempts", Int),
            ("next_at", Int),
            ("answer", Text),
            ("updated_at", Text),
        ],
        keeps_id: false,
    },
    Table {
        name: "referrals",
        columns: &[
            ("id", Int),
            ("cite", Text),
            ("fiche", Int),
            ("sender", Text),
            ("state", Text),
            ("sent_at", Int),
            ("since", Int),
            ("answered_at", Int),
            ("closed_at", Int),
            ("reminded_at", Int),
            ("erased_at", Int),
            ("details", Text),
            ("link_hash", Text),
            ("link_expires", Int),
        ],
        keeps_id: true,
    },
    Table {
        name: "referral_events",
        columns: &[
            ("id", Int),
            ("referral", Int),
            ("at", Int),
            ("actor", Text),
            ("event", Text),
            ("state", Text),
            ("note", Text),
        ],
        keeps_id: true,
    },
    Table {
        name: "calls",
        columns: &[
            ("id", Int),
            ("cite", Text),
            ("body", Text),
            ("version", Int),
            ("created_at", Int),
            ("updated_at", Int),
            ("published_at", Int),
            ("reviewers", Text),
            ("revision", Int),
        ],
        keeps_id: true,
    },
    Table {
        name: "applications",
        columns: &[
            ("id", Int),
            ("cite", Text),
            ("call_id", Int),
            ("applicant", Text),
            ("state", Text),
            ("step", Text),
            ("form", Text),
            ("created_at", Int),
            ("updated_at", Int),
            ("submitted_at", Int),
            ("since", Int),
            ("erased_at", Int),
        ],
        keeps_id: true,
    },
    Table {
        name: "application_events",
        columns: &[
            ("id", Int),
            ("application", Int),
            ("at", Int),
            ("actor", Text),
            ("event", Text),
            ("state", Text),
            ("note", Text),
        ],
        keeps_id: true,
    },
    Table {
        name: "scores",
        columns: &[
            ("application", Int),
            ("reviewer", Text),
            ("criterion", Text),
            ("value", Int),
            ("comment", Text),
            ("at", Int),
        ],
        keeps_id: false,
    },
    Table {
        name: "review_conflicts",
        columns: &[("application", Int), ("reviewer", Text), ("at", Int)],
        keeps_id: false,
    },
    Table {
        name: "annotations",
        columns: &[
            ("id", Int),
            ("application", Int),
            ("author", Text),
            ("at", Int),
            ("text", Text),
        ],
        keeps_id: true,
    },
    Table {
        name: "attachments",
        columns: &[
            ("id", Int),
            ("application", Int),
            ("name", Text),
            ("media_type", Text),
            ("size", Int),
            ("sha256", Text),
            ("at", Int),
            ("data", Bytes),
        ],
        keeps_id: true,
    },
    Table {
        name: "committees",
        columns: &[
            ("id", Int),
            ("cite", Text),
            ("call_id", Int),
            ("held_on", Text),
            ("members", Text),
            ("created_at", Int),
            ("actor", Text),
        ],
        keeps_id: true,
    },
    Table {
        name: "decisions",
        columns: &[
            ("application", Int),
            ("committee", Int),
            ("decision", Text),
            ("reason", Text),
            ("at", Int),
            ("actor", Text),
        ],
        keeps_id: false,
    },
    Table {
        name: "decision_amounts",
        columns: &[
            ("application", Int),
            ("line", Int),
            ("funder", Text),
            ("cents", Int),
        ],
        keeps_id: false,
    },
    Table {
        name: "funding_lines",
        columns: &[
            ("id", Int),
            ("cite", Text),
            ("fiche", Int),
            ("year", Int),
            ("funder", Text),
            ("scheme", Text),
            ("nature", Text),
            ("requested", Int),
            ("proposed", Int),
            ("voted", Int),
            ("committed", Int),
            ("paid", Int),
            ("decision_date", Text),
            ("decision_ref", Text),
            ("convention_ref", Text),
            ("convention_date", Text),
            ("payments", Text),
            ("version", Int),
            ("updated_at", Int),
        ],
        keeps_id: true,
    },
    Table {
        name: "funding_sums",
        columns: &[
            ("cite", Text),
            ("year", Int),
            ("funder", Text),
            ("lines", Int),
            ("requested", Int),
            ("proposed", Int),
            ("voted", Int),
            ("committed", Int),
            ("paid", Int),
        ],
        keeps_id: false,
    },
    Table {
        name: "envelopes",
        columns: &[
            ("cite", Text),
            ("year", Int),
            ("source", Text),
            ("amount", Int),
            ("updated_at", Int),
        ],
        keeps_id: false,
    },
    Table {
        name: "funding_history",
        columns: &[
            ("id", Int),
            ("cite", Text),
            ("subject", Text),
            ("at", Int),
            ("actor", Text),
            ("origin", Text),
            ("old_body", Text),
            ("new_body", Text),
        ],
        keeps_id: true,
    },
    Table {
        name: "funding_reports",
        columns: &[
            ("cite", Text),
            ("fiche", Int),
            ("year", Int),
            ("funder", Text),
            ("body", Text),
            ("state", Text),
            ("version", Int),
            ("updated_at", Int),
            ("updated_by", Text),
            ("submitted_at", Int),
            ("submitted_by", Text),
            ("accepted_at", Int),
            ("accepted_by", Text),
        ],
        keeps_id: false,
    },
    Table {
        name: "funding_reminders",
        columns: &[
            ("cite", Text),
            ("fiche", Int),
            ("year", Int),
            ("funder", Text),
            ("kind", Text),
            ("sent_at", Int),
        ],
        keeps_id: false,
    },
    Table {
        name: "revues",
        columns: &[
            ("cite", Text),
            ("year", Int),
            ("body", Text),
            ("version", Int),
            ("updated_at", Int),
            ("updated_by", Text),
        ],
        keeps_id: false,
    },
    Table {
        name: "cite_versions",
        columns: &[("cite", Text), ("version", Int)],
        keeps_id: false,
    },
    Table {
        name: "failures",
        columns: &[("key", Text), ("count", Int), ("since", Int)],
        keeps_id: false,
    },
    Table {
        name: "server_keys",
        columns: &[("name", Text), ("value", Text), ("created_at", Text)],
        keeps_id: false,
    },
];

/// One value of a row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    Null,
    Text(String),
    Int(i64),
    Bool(bool),
    Bytes(Vec<u8>),
}

/// Every row of every table of [`TABLES`], in their order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Dump {
    /// By table, in the order of [`TABLES`].
    pub rows: Vec<Vec<Vec<Cell>>>,
}

impl Dump {
    /// How many rows each table holds.
    pub fn counts(&self) -> Vec<(&'static str, usize)> {
        TABLES
            .iter()
            .zip(&self.rows)
            .map(|(t, rows)| (t.name, rows.len()))
            .collect()
    }
}

/// `SELECT` of a table's columns (names from [`TABLES`] only).
pub fn select(table: &Table, order: &str) -> String {
    let columns: Vec<&str> = table.columns.iter().map(|(c, _)| *c).collect();
    format!(
        "SELECT {} FROM {} ORDER BY {order}",
        columns.join(", "),
        table.name
    )
}

/// `INSERT` of one row of a table, with numbered placeholders (`$1`);
/// `overriding` goes before `VALUES` (PostgreSQL's `OVERRIDING SYSTEM VALUE `
/// for the tables whose ids are kept).
pub fn insert(table: &Table, overriding: &str) -> String {
    let columns: Vec<&str> = table.columns.iter().map(|(c, _)| *c).collect();
    let marks: Vec<String> = (1..=columns.len()).map(|i| format!("${i}")).collect();
    format!(
        "INSERT INTO {} ({}) {overriding}VALUES ({})",
        table.name,
        columns.join(", "),
        marks.join(", ")
    )
}
