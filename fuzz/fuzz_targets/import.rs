//! Feeds arbitrary bytes to the booklet importer and its quality report:
//! neither may panic, whatever the input.
#![no_main]

use libfuzzer_sys::fuzz_target;
use passerelle_livret::{Reference, ReferenceFiles};

fn reference() -> Reference {
    Reference::parse(ReferenceFiles {
        cite: ("cite.toml", include_str!("../../data/roubaix/cite.toml")),
        organisations: ("organisations.toml", include_str!("../../data/roubaix/organisations.toml")),
        territories: ("territories.toml", include_str!("../../data/roubaix/territories.toml")),
        tagging: ("tagging.toml", include_str!("../../data/roubaix/tagging.toml")),
    })
    .expect("bundled reference parses")
}

fuzz_target!(|data: &[u8]| {
    let reference = reference();
    if let Ok(text) = passerelle_livret::decode(data) {
        let _ = passerelle_livret::check::check(text, &reference);
    }
});
