//! Feeds arbitrary bytes to the spreadsheet reader as a CSV file, then to
//! the spreadsheet format's parser and its export: none may panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(grid) = passerelle_sheet::read("fuzz.csv", data) {
        let cite = passerelle_livret::bundled::reference()
            .expect("bundled reference parses")
            .cite;
        let reference = passerelle_livret::Reference::empty(cite);
        if let Ok(parsed) = passerelle_livret::sheet::parse(&grid, &reference) {
            let rows = passerelle_livret::sheet::rows_of(&parsed.catalogue);
            let _ = passerelle_sheet::write_csv(&rows);
            for i in &parsed.irregularities {
                let _ = i.located("fuzz.csv");
            }
        }
    }
});
