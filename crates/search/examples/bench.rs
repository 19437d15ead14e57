//! Benchmarks of import and search, in process. Run:
//!
//! ```sh
//! cargo run --release -p passerelle-search --example bench
//! ```
//!
//! Prints the booklet's parse time, then search latency percentiles over
//! 10,000 queries on the Roubaix programme and on a generated catalogue 100
//! times larger, then the peak resident memory. Figures go in docs/BENCHMARKS.md.

#![allow(
    clippy::unwrap_used,
    clippy::print_stdout,
    reason = "a benchmark program: panics and prints are its interface"
)]

use std::time::{Duration, Instant};

use passerelle_domain::{ActionFilter, Catalogue, Slug, Theme};
use passerelle_livret::{bundled, parse};
use passerelle_search::SearchIndex;

const QUERIES: usize = 10_000;

/// A tiny deterministic generator (no dependency, same sequence every run).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n.max(1)
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

/// 100 programmes of 27 actions: the Roubaix actions with each copy's words
/// shifted, so that the index holds 2,700 distinct actions.
fn hundredfold(base: &Catalogue) -> Catalogue {
    let mut big = base.clone();
    let programme = base.programmes[0].clone();
    big.programmes.clear();
    for copy in 0..100 {
        let mut p = programme.clone();
        p.slug = Slug::parse(&format!("programmation-{}", 1900 + copy)).unwrap();
        p.start_year = 1900 + copy;
        p.end_year = 1902 + copy;
        for a in &mut p.actions {
            a.title = format!("{} édition{copy}", a.title);
            a.description = format!("{}\n\nvariante{copy} projet{copy}", a.description);
        }
        big.programmes.push(p);
    }
    big
}

fn words(catalogue: &Catalogue) -> Vec<String> {
    let mut out: Vec<String> = catalogue
        .actions()
        .flat_map(|(_, a)| {
            a.description
                .split(|c: char| !c.is_alphabetic())
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .filter(|w| w.chars().count() >= 5)
        .collect();
    out.sort();
    out.dedup();
    out
}

fn run(name: &str, catalogue: &Catalogue) {
    let start = Instant::now();
    let index = SearchIndex::build(catalogue).unwrap();
    println!(
        "{name}: {} actions indexed in {:.1} ms",
        catalogue.actions().count(),
        start.elapsed().as_secs_f64() * 1e3
    );
    let vocabulary = words(catalogue);
    let mut rng = Lcg(42);
    let mut times = Vec::with_capacity(QUERIES);
    let mut found = 0usize;
    for i in 0..QUERIES {
        let mut q = vocabulary[rng.next(vocabulary.len())].clone();
        if i % 3 == 0 {
            q = format!("{q} {}", vocabulary[rng.next(vocabulary.len())]);
        }
        if i % 5 == 0 {
            // A typo in the middle of the word.
            let mut chars: Vec<char> = q.chars().collect();
            let m = chars.len() / 2;
            chars[m] = 'x';
            q = chars.into_iter().collect();
        }
        let filter = match i % 4 {
            0 => ActionFilter {
                age: Some(rng.next(20) as u32),
                ..ActionFilter::default()
            },
            1 => ActionFilter {
                themes: vec![Theme::ALL[rng.next(Theme::ALL.len())]],
                ..ActionFilter::default()
            },
            _ => ActionFilter::default(),
        };
        let t = Instant::now();
        let r = index.search(catalogue, &q, &filter).unwrap();
        times.push(t.elapsed());
        found += r.actions.len();
    }
    times.sort();
    println!(
        "{name}: {QUERIES} queries, p50 {:.3} ms, p99 {:.3} ms, max {:.3} ms ({:.1} actions found on average)",
        percentile(&times, 0.50).as_secs_f64() * 1e3,
        percentile(&times, 0.99).as_secs_f64() * 1e3,
        times.last().unwrap().as_secs_f64() * 1e3,
        found as f64 / QUERIES as f64
    );
}

fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn main() {
    let reference = bundled::reference().unwrap();
    let text = bundled::BOOKLET;
    let mut parse_times = Vec::new();
    let mut catalogue = None;
    for _ in 0..200 {
        let t = Instant::now();
        let parsed = parse(text, &reference).unwrap();
        parse_times.push(t.elapsed());
        catalogue = Some(parsed.catalogue);
    }
    parse_times.sort();
    println!(
        "import (parse of the {} KB booklet, 200 runs): p50 {:.2} ms, max {:.2} ms",
        text.len() / 1024,
        percentile(&parse_times, 0.5).as_secs_f64() * 1e3,
        parse_times.last().unwrap().as_secs_f64() * 1e3
    );
    let catalogue = catalogue.unwrap();
    run("roubaix", &catalogue);
    run("roubaix x100", &hundredfold(&catalogue));
    if let Some(kib) = peak_rss_kib() {
        println!("peak resident memory: {:.1} MiB", kib as f64 / 1024.0);
    }
}
