use passerelle_livret::{Parsed, Reference, ReferenceFiles, parse};

pub(crate) const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/roubaix");

pub(crate) fn read(name: &str) -> String {
    std::fs::read_to_string(format!("{DATA}/{name}")).unwrap_or_else(|e| panic!("{name}: {e}"))
}

pub(crate) fn booklet() -> String {
    read("livret-2022.md")
}

pub(crate) fn reference() -> Reference {
    let (c, o, t, g) = (
        read("cite.toml"),
        read("organisations.toml"),
        read("territories.toml"),
        read("tagging.toml"),
    );
    Reference::parse(ReferenceFiles {
        cite: ("cite.toml", &c),
        organisations: ("organisations.toml", &o),
        territories: ("territories.toml", &t),
        tagging: ("tagging.toml", &g),
    })
    .expect("bundled reference data parses")
}

pub(crate) fn roubaix() -> Parsed {
    parse(&booklet(), &reference()).expect("bundled booklet parses")
}
