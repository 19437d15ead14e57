//! The `passerelle` command: parses arguments and wires the crates together.

mod catalogue;
mod cite;
mod cli;
mod config;
mod export;
mod generate;
mod newsletter;
mod reference_dir;
mod serve;

use std::process::ExitCode;

/// mimalloc rather than the system allocator: with one snapshot and index
/// per cité built and replaced across threads, glibc's per-thread arenas
/// kept hundreds of MiB freed but not returned (docs/BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::Parser;

#[tokio::main]
async fn main() -> ExitCode {
    let args = cli::Args::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("PASSERELLE_LOG")
                .unwrap_or_else(|_| "warn,passerelle=info".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    match cli::run(args).await {
        Ok(code) => code,
        Err(e) => {
            eprintln!("erreur : {e:#}");
            ExitCode::from(2)
        }
    }
}
