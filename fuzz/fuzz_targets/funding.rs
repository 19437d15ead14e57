//! Feeds arbitrary bytes to the funding spreadsheet's reader, as a CSV
//! file, an xlsx or an ods workbook (the first byte chooses): reading the
//! cells and then the lines and envelopes may refuse a file, never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use passerelle_sheet::funding::{Known, read};

fuzz_target!(|data: &[u8]| {
    let Some((choice, bytes)) = data.split_first() else {
        return;
    };
    let name = match choice % 3 {
        0 => "f.csv",
        1 => "f.xlsx",
        _ => "f.ods",
    };
    let known = Known {
        fiches: (1..=27).collect(),
        years: 2020..=2026,
    };
    if let Ok(grid) = passerelle_sheet::read(name, bytes) {
        let _ = read(&grid, &known);
    }
});
