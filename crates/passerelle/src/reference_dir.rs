//! Reference data read from a directory (`--reference DIR`); the bundled
//! Roubaix data itself is `passerelle_livret::bundled`.

use passerelle_livret::{Reference, ReferenceFiles};

/// Reads the four reference files of a cité from a directory.
pub(crate) fn reference_from_dir(dir: &std::path::Path) -> anyhow::Result<Reference> {
    let read = |name: &str| {
        let path = dir.join(name);
        crate::files::read_to_string(&path)
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
