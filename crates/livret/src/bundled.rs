//! The Roubaix 2022 booklet and its reference data, embedded at compile time
//! (no IO): the programme a fresh installation serves, and the fixture the
//! tests, benchmarks and fuzzer share.

use crate::{ParseError, Parsed, Reference, ReferenceError, ReferenceFiles, parse};

/// Where the booklet lives in the repository, as shown in reports.
pub const BOOKLET_NAME: &str = "data/roubaix/livret-2022.md";
/// The booklet as printed.
pub const BOOKLET: &str = include_str!("../../../data/roubaix/livret-2022.md");

/// The reference files, named as in the repository.
pub const FILES: ReferenceFiles<'static> = ReferenceFiles {
    cite: (
        "data/roubaix/cite.toml",
        include_str!("../../../data/roubaix/cite.toml"),
    ),
    organisations: (
        "data/roubaix/organisations.toml",
        include_str!("../../../data/roubaix/organisations.toml"),
    ),
    territories: (
        "data/roubaix/territories.toml",
        include_str!("../../../data/roubaix/territories.toml"),
    ),
    tagging: (
        "data/roubaix/tagging.toml",
        include_str!("../../../data/roubaix/tagging.toml"),
    ),
};

/// The Roubaix reference data.
pub fn reference() -> Result<Reference, ReferenceError> {
    Reference::parse(FILES)
}

/// The Roubaix booklet, read. Fails only if the bundled data is broken,
/// which the tests prevent.
pub fn roubaix() -> Result<(Reference, Parsed), BundledError> {
    let reference = reference()?;
    let parsed = parse(BOOKLET, &reference)?;
    Ok((reference, parsed))
}

#[derive(Debug, thiserror::Error)]
pub enum BundledError {
    #[error(transparent)]
    Reference(#[from] ReferenceError),
    #[error(transparent)]
    Parse(#[from] ParseError),
}
