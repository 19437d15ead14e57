//! Feeds arbitrary bytes to the booklet importer and its quality report:
//! neither may panic, whatever the input.
#![no_main]

use libfuzzer_sys::fuzz_target;


fuzz_target!(|data: &[u8]| {
    let reference = passerelle_livret::bundled::reference().expect("bundled reference parses");
    if let Ok(text) = passerelle_livret::decode(data) {
        let _ = passerelle_livret::check::check(text, &reference);
    }
});
