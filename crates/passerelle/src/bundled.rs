//! The Roubaix booklet and its reference data, embedded in the binary so that
//! a fresh checkout (or a copied binary) has a programme to serve.

use passerelle_livret::{Reference, ReferenceError, ReferenceFiles};

pub(crate) const BOOKLET_NAME: &str = "data/roubaix/livret-2022.md";
pub(crate) const BOOKLET: &str = include_str!("../../../data/roubaix/livret-2022.md");

pub(crate) fn reference() -> Result<Reference, ReferenceError> {
    Reference::parse(ReferenceFiles {
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
    })
}

/// Reads the four reference files of a cité from a directory.
pub(crate) fn reference_from_dir(dir: &std::path::Path) -> anyhow::Result<Reference> {
    use anyhow::Context;
    let read = |name: &str| {
        let path = dir.join(name);
        std::fs::read_to_string(&path).with_context(|| format!("cannot read {}", path.display()))
    };
    let (c, o, t, g) = (
        read("cite.toml")?,
        read("organisations.toml")?,
        read("territories.toml")?,
        read("tagging.toml")?,
    );
    let name = |f: &str| dir.join(f).display().to_string();
    let (nc, no, nt, ng) = (
        name("cite.toml"),
        name("organisations.toml"),
        name("territories.toml"),
        name("tagging.toml"),
    );
    Ok(Reference::parse(ReferenceFiles {
        cite: (&nc, &c),
        organisations: (&no, &o),
        territories: (&nt, &t),
        tagging: (&ng, &g),
    })?)
}
