//! What a row's columns mean, for every store: the parsing of stored keys
//! into the domain's types (a value no longer known is
//! [`StoreError::Corrupt`], located), and what the activity log says of an
//! account. The stores read the columns; the meaning is written once here.

use passerelle_domain::{
    Account, Email, Entity, EntityDates, EntityKind, InstanceRole, Membership, ParticipantKind,
    Registration, RegistrationStatus, Role, Slug,
};

use crate::StoreError;

/// Now, as timestamps are stored (RFC 3339, UTC).
pub fn now() -> String {
    time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

/// Now, in Unix seconds (the sessions' and links' clock).
pub fn unix_now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

/// A unix instant as timestamps are stored (RFC 3339, UTC).
pub fn rfc3339(unix: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(unix)
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_default()
}

/// An entity from its kind, key and JSON body.
pub fn entity(kind: &str, key: String, body: &str) -> Result<Entity, StoreError> {
    let kind = EntityKind::parse(kind)
        .ok_or_else(|| StoreError::Corrupt(format!("unknown kind `{kind}`")))?;
    let body = serde_json::from_str(body)
        .map_err(|e| StoreError::Corrupt(format!("{kind} `{key}`: {e}")))?;
    Ok(Entity { kind, key, body })
}

/// An entity's dates from its kind, key, and first and last history times.
pub fn entity_dates(
    kind: &str,
    key: String,
    created: String,
    updated: String,
) -> Result<EntityDates, StoreError> {
    let kind = EntityKind::parse(kind)
        .ok_or_else(|| StoreError::Corrupt(format!("unknown kind `{kind}`")))?;
    Ok(EntityDates {
        kind,
        key,
        created,
        updated,
    })
}

/// An account from its columns, without its memberships.
pub fn account(
    email: &str,
    name: String,
    active: bool,
    instance_role: Option<&str>,
) -> Result<Account, StoreError> {
    let corrupt = |what: &str| StoreError::Corrupt(format!("account {email}: {what}"));
    Ok(Account {
        email: Email::parse(email).map_err(|_| corrupt("email"))?,
        name,
        active,
        instance_role: instance_role
            .map(|k| InstanceRole::from_key(k).ok_or_else(|| corrupt("instance role")))
            .transpose()?,
        memberships: Vec::new(),
    })
}

/// A membership of `email` from its columns.
pub fn membership(
    email: &str,
    cite: String,
    role: &str,
    organisation: Option<&str>,
) -> Result<Membership, StoreError> {
    let corrupt = |what: &str| StoreError::Corrupt(format!("account {email}: {what}"));
    Ok(Membership {
        cite,
        role: Role::from_key(role).ok_or_else(|| corrupt("role"))?,
        organisation: organisation
            .map(Slug::parse)
            .transpose()
            .map_err(|_| corrupt("organisation"))?,
    })
}

/// What an account's roles read like in the activity log.
pub fn roles_detail(account: &Account) -> String {
    account
        .instance_role
        .map(|r| r.key().to_owned())
        .into_iter()
        .chain(
            account
                .memberships
                .iter()
                .map(|m| format!("{} {}", m.cite, m.role.key())),
        )
        .collect::<Vec<_>>()
        .join(", ")
}

/// The cité an account's creation is about, for the activity log.
pub fn cite_of(account: &Account) -> Option<&str> {
    account.memberships.first().map(|m| m.cite.as_str())
}

/// A registration's ranked workshop choices, as stored.
pub fn choices_json(choices: &[usize]) -> String {
    serde_json::to_string(choices).unwrap_or_else(|_| "[]".to_owned())
}

/// The columns of a registration, as read.
#[derive(Debug)]
pub struct RegistrationColumns {
    pub id: i64,
    pub event: String,
    pub name: String,
    pub email: Option<String>,
    pub organisation: String,
    pub kind: String,
    pub choices: String,
    pub status: String,
    pub workshop: Option<i64>,
    pub created_at: String,
    pub cite: String,
}

/// A registration from its columns.
pub fn registration(c: RegistrationColumns) -> Result<Registration, StoreError> {
    let id = c.id;
    let corrupt = |what: &str| StoreError::Corrupt(format!("registration {id}: {what}"));
    Ok(Registration {
        id,
        event: c.event,
        name: c.name,
        email: c
            .email
            .map(|e| Email::parse(&e))
            .transpose()
            .map_err(|_| corrupt("email"))?,
        organisation: c.organisation,
        kind: ParticipantKind::from_key(&c.kind).ok_or_else(|| corrupt("kind"))?,
        choices: serde_json::from_str(&c.choices).map_err(|_| corrupt("choices"))?,
        status: RegistrationStatus::from_key(&c.status).ok_or_else(|| corrupt("status"))?,
        workshop: c.workshop.and_then(|w| usize::try_from(w).ok()),
        created_at: c.created_at,
        cite: c.cite,
    })
}
