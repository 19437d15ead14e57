#![doc = include_str!("../README.md")]

pub mod account;
pub mod call;
pub mod catalogue;
pub mod entity;
pub mod funding;
pub mod money;
pub mod national;
pub mod newsletter;
pub mod participation;
pub mod plain;
pub mod query;
pub mod readability;
pub mod referral;
pub mod review;
pub mod seminar;
pub mod text;
pub mod theme;
pub mod values;

pub use account::{Account, InstanceRole, Membership, MoneyView, Permission, Role};
pub use catalogue::*;
pub use entity::{Change, ChangeOp, Entity, EntityDates, EntityError, EntityKind, diff};
pub use participation::{
    Contribution, ParticipantKind, Registration, RegistrationForm, RegistrationStatus, assign,
};
pub use query::ActionFilter;
pub use review::{ActionReview, ActionStatus, Decision, Indicator, Target, YearReview, YearValue};
pub use seminar::*;
pub use theme::Theme;
pub use values::{AgeRange, Email, FicheNumber, Phone, Slug, ValueError};
