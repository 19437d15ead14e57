//! Who may do what: accounts and their roles.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::entity::EntityKind;
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

/// What someone may do to a catalogue entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// Create new entities of a kind.
    Create,
    /// Edit an existing entity (restoring an old version is an edit).
    Edit,
    /// Archive an entity, or bring it back.
    Archive,
}

impl Account {
    /// Sees what is internal: history, contact details kept for
    /// professionals. Contributors (who may be parents) do not.
    pub fn is_professional(&self) -> bool {
        self.active && self.role != Role::Contributeur
    }

    /// Administrators only: accounts, the activity log.
    pub fn is_administrator(&self) -> bool {
        self.active && self.role == Role::Administrateur
    }

    /// The policy, in one place. Administrators do everything; a referent
    /// edits the actions their organisation operates (no creating, no
    /// archiving); the troïka reads; contributors edit nothing here.
    /// `operators` are the organisations operating the entity when it is an
    /// action (empty otherwise).
    pub fn may(&self, permission: Permission, kind: EntityKind, operators: &[&Slug]) -> bool {
        if !self.active {
            return false;
        }
        match self.role {
            Role::Administrateur => true,
            Role::Referent => {
                permission == Permission::Edit
                    && kind == EntityKind::Action
                    && self
                        .organisation
                        .as_ref()
                        .is_some_and(|own| operators.contains(&own))
            }
            Role::Troika | Role::Contributeur => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account(role: Role, organisation: Option<&str>) -> Account {
        Account {
            email: Email::parse("x@roubaix.fr").unwrap(),
            name: "X".into(),
            role,
            organisation: organisation.map(|o| Slug::parse(o).unwrap()),
            active: true,
        }
    }

    #[test]
    fn a_referent_edits_only_the_actions_of_their_organisation() {
        let own = Slug::parse("atd-quart-monde").unwrap();
        let other = Slug::parse("citeo").unwrap();
        let referent = account(Role::Referent, Some("atd-quart-monde"));
        assert!(referent.may(Permission::Edit, EntityKind::Action, &[&other, &own]));
        assert!(!referent.may(Permission::Edit, EntityKind::Action, &[&other]));
        assert!(!referent.may(Permission::Archive, EntityKind::Action, &[&own]));
        assert!(!referent.may(Permission::Create, EntityKind::Action, &[&own]));
        assert!(!referent.may(Permission::Edit, EntityKind::Organisation, &[]));
        let without = account(Role::Referent, None);
        assert!(!without.may(Permission::Edit, EntityKind::Action, &[&own]));
    }

    #[test]
    fn only_administrators_create_and_archive_and_nobody_inactive_does_anything() {
        for kind in EntityKind::ALL {
            for p in [Permission::Create, Permission::Edit, Permission::Archive] {
                for role in [Role::Troika, Role::Contributeur] {
                    assert!(!account(role, None).may(p, kind, &[]));
                }
                let mut admin = account(Role::Administrateur, None);
                assert!(admin.may(p, kind, &[]));
                admin.active = false;
                assert!(!admin.may(p, kind, &[]));
            }
        }
        assert!(account(Role::Troika, None).is_professional());
        assert!(!account(Role::Contributeur, None).is_professional());
    }

    #[test]
    fn role_keys_round_trip() {
        for r in Role::ALL {
            assert_eq!(Role::from_key(r.key()), Some(r));
        }
        assert_eq!(Role::from_key("root"), None);
    }
}
