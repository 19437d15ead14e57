//! A cité's programme as open data, from the public view of its catalogue:
//! five tables ([`mod@tables`]) and the voted subsidies in the national
//! SCDL columns ([`subventions`]), written as CSV in two flavours and JSON
//! ([`files`]), described by a Frictionless data package, the data·inclusion
//! schema's records ([`datainclusion`]) and Atom feeds ([`atom`]). No IO:
//! every function returns the bytes of a file.

pub mod atom;
pub mod datainclusion;
pub mod files;
pub mod subventions;
pub mod tables;

pub use files::{Flavour, LICENCE, Publisher, csv, datapackage, json};
pub use tables::{Cell, Constraints, Field, FieldType, NAMES, Published, Table, tables};
