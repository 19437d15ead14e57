//! Typesets the bundled Roubaix booklet and reports its size and the time
//! it took: `cargo run --release -p passerelle-typeset --example livret -- OUT.pdf [RUNS]`
//! (the figure in docs/BENCHMARKS.md).

#![allow(
    clippy::print_stdout,
    clippy::unwrap_used,
    reason = "a benchmark command"
)]

use std::time::Instant;

use passerelle_domain::Date;
use passerelle_typeset::{Edition, Readers, booklet};

fn main() {
    let mut args = std::env::args().skip(1);
    let out = args.next().unwrap_or_else(|| "livret.pdf".into());
    let runs: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(5);
    let catalogue = passerelle_livret::bundled::roubaix().unwrap().1.catalogue;
    let edition = Edition {
        catalogue: &catalogue,
        programme: catalogue.current_programme().unwrap(),
        seminar: catalogue.seminars.first(),
        date: Date::new(2026, 12, 1).unwrap(),
        readers: Readers::Public,
    };
    let mut times = Vec::new();
    let mut bytes = Vec::new();
    for _ in 0..runs {
        let start = Instant::now();
        bytes = booklet(&edition).unwrap();
        times.push(start.elapsed().as_secs_f64());
    }
    std::fs::write(&out, &bytes).unwrap();
    times.sort_by(f64::total_cmp);
    println!(
        "{out}: {} bytes; {runs} runs: min {:.3} s, median {:.3} s, max {:.3} s",
        bytes.len(),
        times[0],
        times[times.len() / 2],
        times[times.len() - 1]
    );
}
