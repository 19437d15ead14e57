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

/// A role on the instance itself, above the cités.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum InstanceRole {
    /// Manages the instance's cités and their first administrators; edits
    /// no cité's programme unless they also hold a role in it.
    Administrateur,
    /// The national agency: reads every cité's internal pages (history,
    /// review values awaiting validation), edits nothing.
    LecteurNational,
}

impl InstanceRole {
    pub const ALL: [InstanceRole; 2] =
        [InstanceRole::Administrateur, InstanceRole::LecteurNational];

    pub fn key(self) -> &'static str {
        match self {
            InstanceRole::Administrateur => "administrateur-instance",
            InstanceRole::LecteurNational => "lecteur-national",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            InstanceRole::Administrateur => "Administrateur de l'instance (gère les cités)",
            InstanceRole::LecteurNational => "Lecteur national (lit toutes les cités)",
        }
    }

    pub fn from_key(key: &str) -> Option<InstanceRole> {
        InstanceRole::ALL.into_iter().find(|r| r.key() == key)
    }
}

/// A role held in one cité.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Membership {
    /// The cité's slug, as the store keys it.
    pub cite: String,
    pub role: Role,
    /// For a referent: the organisation whose actions they edit.
    pub organisation: Option<Slug>,
}

/// An account. The password hash is not here: it never leaves the auth layer.
/// Roles are held per cité ([`Membership`]); a role in one cité gives
/// nothing in another.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    pub email: Email,
    pub name: String,
    pub active: bool,
    /// A role on the instance, if any.
    pub instance_role: Option<InstanceRole>,
    /// The cités this account holds a role in, one membership per cité.
    pub memberships: Vec<Membership>,
}

/// How much of a cité's money an account sees.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MoneyView {
    /// Every line, the envelopes, the revue: the cité's administrators and
    /// troïka, and the national readers.
    All,
    /// The lines and reports of the actions this organisation operates: a
    /// referent.
    Own(Slug),
    /// Nothing beyond open data: the public, contributors, other cités.
    None,
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

impl Membership {
    pub fn new(cite: impl Into<String>, role: Role, organisation: Option<Slug>) -> Membership {
        Membership {
            cite: cite.into(),
            role,
            organisation,
        }
    }
}

impl Account {
    /// An active account holding one role in one cité.
    pub fn member(email: Email, name: impl Into<String>, membership: Membership) -> Account {
        Account {
            email,
            name: name.into(),
            active: true,
            instance_role: None,
            memberships: vec![membership],
        }
    }

    /// The account's role in a cité, if it holds one there (an inactive
    /// account holds none).
    pub fn membership(&self, cite: &str) -> Option<&Membership> {
        if !self.active {
            return None;
        }
        self.memberships.iter().find(|m| m.cite == cite)
    }

    /// The role this account holds in a cité.
    pub fn role_in(&self, cite: &str) -> Option<Role> {
        self.membership(cite).map(|m| m.role)
    }

    /// Holds this instance role (and is active).
    pub fn is(&self, role: InstanceRole) -> bool {
        self.active && self.instance_role == Some(role)
    }

    /// Sees what is internal in a cité: history, contact details kept for
    /// professionals, review values awaiting validation. The cité's
    /// administrators, troïka and referents, and the national readers.
    /// Contributors (who may be parents) do not.
    pub fn is_professional(&self, cite: &str) -> bool {
        self.is(InstanceRole::LecteurNational)
            || self.role_in(cite).is_some_and(|r| r != Role::Contributeur)
    }

    /// An administrator of this cité: its activity log, registrations,
    /// moderation, validation of its review.
    pub fn is_administrator(&self, cite: &str) -> bool {
        self.role_in(cite) == Some(Role::Administrateur)
    }

    /// Manages a cité's accounts: its administrators, and the instance's
    /// (who name a cité's first administrators).
    pub fn manages_accounts(&self, cite: &str) -> bool {
        self.is_administrator(cite) || self.is(InstanceRole::Administrateur)
    }

    /// How much of a cité's money this account sees (the public sees the
    /// voted subsidies open data publishes, and nothing more).
    pub fn money_view(&self, cite: &str) -> MoneyView {
        match self.membership(cite) {
            Some(m) if matches!(m.role, Role::Administrateur | Role::Troika) => MoneyView::All,
            Some(Membership {
                role: Role::Referent,
                organisation: Some(org),
                ..
            }) => MoneyView::Own(org.clone()),
            _ if self.is(InstanceRole::LecteurNational) => MoneyView::All,
            _ => MoneyView::None,
        }
    }

    /// Writes a cité's money (lines, envelopes, payments, conventions, the
    /// acceptance of a report): its administrators only.
    pub fn writes_money(&self, cite: &str) -> bool {
        self.is_administrator(cite)
    }

    /// The policy, in one place. In the cité concerned, and only there:
    /// administrators do everything; a referent edits the actions their
    /// organisation operates (no creating, no archiving); the troïka reads;
    /// contributors edit nothing here. Instance roles edit nothing.
    /// `operators` are the organisations operating the entity when it is an
    /// action (empty otherwise).
    pub fn may(
        &self,
        cite: &str,
        permission: Permission,
        kind: EntityKind,
        operators: &[&Slug],
    ) -> bool {
        let Some(membership) = self.membership(cite) else {
            return false;
        };
        match membership.role {
            Role::Administrateur => true,
            Role::Referent => {
                permission == Permission::Edit
                    && kind == EntityKind::Action
                    && membership
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
            active: true,
            instance_role: None,
            memberships: vec![Membership {
                cite: "roubaix".into(),
                role,
                organisation: organisation.map(|o| Slug::parse(o).unwrap()),
            }],
        }
    }

    #[test]
    fn a_referent_edits_only_the_actions_of_their_organisation() {
        let own = Slug::parse("atd-quart-monde").unwrap();
        let other = Slug::parse("citeo").unwrap();
        let referent = account(Role::Referent, Some("atd-quart-monde"));
        assert!(referent.may(
            "roubaix",
            Permission::Edit,
            EntityKind::Action,
            &[&other, &own]
        ));
        assert!(!referent.may("roubaix", Permission::Edit, EntityKind::Action, &[&other]));
        assert!(!referent.may("roubaix", Permission::Archive, EntityKind::Action, &[&own]));
        assert!(!referent.may("roubaix", Permission::Create, EntityKind::Action, &[&own]));
        assert!(!referent.may("roubaix", Permission::Edit, EntityKind::Organisation, &[]));
        let without = account(Role::Referent, None);
        assert!(!without.may("roubaix", Permission::Edit, EntityKind::Action, &[&own]));
    }

    #[test]
    fn only_administrators_create_and_archive_and_nobody_inactive_does_anything() {
        for kind in EntityKind::ALL {
            for p in [Permission::Create, Permission::Edit, Permission::Archive] {
                for role in [Role::Troika, Role::Contributeur] {
                    assert!(!account(role, None).may("roubaix", p, kind, &[]));
                }
                let mut admin = account(Role::Administrateur, None);
                assert!(admin.may("roubaix", p, kind, &[]));
                assert!(!admin.may("tourcoing", p, kind, &[]));
                admin.active = false;
                assert!(!admin.may("roubaix", p, kind, &[]));
            }
        }
        assert!(account(Role::Troika, None).is_professional("roubaix"));
        assert!(!account(Role::Troika, None).is_professional("tourcoing"));
        assert!(!account(Role::Contributeur, None).is_professional("roubaix"));
    }

    #[test]
    fn instance_roles_edit_nothing_and_only_the_national_reader_reads_everywhere() {
        let mut reader = account(Role::Contributeur, None);
        reader.memberships.clear();
        reader.instance_role = Some(InstanceRole::LecteurNational);
        let mut instance_admin = reader.clone();
        instance_admin.instance_role = Some(InstanceRole::Administrateur);
        for cite in ["roubaix", "tourcoing"] {
            assert!(reader.is_professional(cite));
            assert!(!reader.is_administrator(cite));
            assert!(!reader.manages_accounts(cite));
            assert!(!instance_admin.is_professional(cite));
            assert!(instance_admin.manages_accounts(cite));
            for kind in EntityKind::ALL {
                for p in [Permission::Create, Permission::Edit, Permission::Archive] {
                    assert!(!reader.may(cite, p, kind, &[]));
                    assert!(!instance_admin.may(cite, p, kind, &[]));
                }
            }
        }
        reader.active = false;
        assert!(!reader.is_professional("roubaix"));
    }

    #[test]
    fn role_keys_round_trip() {
        for r in Role::ALL {
            assert_eq!(Role::from_key(r.key()), Some(r));
        }
        assert_eq!(Role::from_key("root"), None);
        for r in InstanceRole::ALL {
            assert_eq!(InstanceRole::from_key(r.key()), Some(r));
            assert_eq!(Role::from_key(r.key()), None);
        }
    }
}
