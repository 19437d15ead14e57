//! Who may do what: accounts and their roles.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::values::{Email, Slug};

/// A person's role in Passerelle, from most to least power.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// The coordination team: edits everything, manages accounts.
    Administrateur,
    /// A member of the troïka: sees everything internal.
    Troika,
    /// The referent of an operator: edits the actions their organisation runs.
    Referent,
    /// Takes part in the seminar's contributions.
    Contributeur,
}

impl Role {
    pub const ALL: [Role; 4] = [
        Role::Administrateur,
        Role::Troika,
        Role::Referent,
        Role::Contributeur,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Role::Administrateur => "administrateur",
            Role::Troika => "troika",
            Role::Referent => "referent",
            Role::Contributeur => "contributeur",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Administrateur => "Administrateur (équipe de coordination)",
            Role::Troika => "Membre de la troïka",
            Role::Referent => "Référent d'un opérateur",
            Role::Contributeur => "Contributeur",
        }
    }

    pub fn from_key(key: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.key() == key)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// An account. The password hash is not here: it never leaves the auth layer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    pub email: Email,
    pub name: String,
    pub role: Role,
    /// For a referent: the organisation whose actions they edit.
    pub organisation: Option<Slug>,
    pub active: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_keys_round_trip() {
        for r in Role::ALL {
            assert_eq!(Role::from_key(r.key()), Some(r));
        }
        assert_eq!(Role::from_key("root"), None);
    }
}
