//! The `passerelle` command: parses arguments and wires the crates together.

mod admin;
mod catalogue;
mod check;
mod cite;
mod cli;
mod config;
mod export;
mod files;
mod funding;
mod generate;
mod generate_calls;
mod generate_funding;
mod help;
mod listen;
mod newsletter;
mod reference_dir;
mod referrals;
mod serve;
mod signin_config;

use std::process::ExitCode;

/// mimalloc rather than the system allocator: with one snapshot and index
/// per cité built and replaced across threads, glibc's per-thread arenas
/// kept hundreds of MiB freed but not returned (docs/BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::error::{ContextKind, ErrorKind};

#[tokio::main]
async fn main() -> ExitCode {
    let command = help::french(<cli::Args as clap::CommandFactory>::command(), "passerelle");
    let args = match command
        .try_get_matches()
        .and_then(|m| <cli::Args as clap::FromArgMatches>::from_arg_matches(&m))
    {
        Ok(args) => args,
        Err(e) => return usage_error(&e),
    };
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
            // Each cause after the one it explains, French-style.
            let causes: Vec<String> = e.chain().map(ToString::to_string).collect();
            eprintln!("erreur : {}", causes.join(" : "));
            ExitCode::from(2)
        }
    }
}

/// A command line clap refuses, said in French (its own messages are in
/// English); help and version are printed as clap prints them.
fn usage_error(e: &clap::Error) -> ExitCode {
    if matches!(
        e.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        let _ = e.print();
        return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
    }
    eprintln!("erreur : {}", usage_message(e));
    eprintln!("Pour l'aide : passerelle --help (ou passerelle COMMANDE --help)");
    ExitCode::from(2)
}

fn usage_message(e: &clap::Error) -> String {
    let get = |k: ContextKind| e.get(k).map(ToString::to_string).unwrap_or_default();
    let suggested = match e.get(ContextKind::SuggestedSubcommand) {
        Some(s) => format!(" ; vouliez-vous dire : {s} ?"),
        None => match e.get(ContextKind::SuggestedArg) {
            Some(s) => format!(" ; vouliez-vous dire : {s} ?"),
            None => String::new(),
        },
    };
    let arg = get(ContextKind::InvalidArg);
    let value = get(ContextKind::InvalidValue);
    match e.kind() {
        ErrorKind::InvalidSubcommand => format!(
            "commande inconnue : « {} »{suggested}",
            get(ContextKind::InvalidSubcommand)
        ),
        ErrorKind::UnknownArgument => format!("option inconnue : « {arg} »{suggested}"),
        ErrorKind::InvalidValue => match e.get(ContextKind::ValidValue) {
            Some(valid) if value.is_empty() => {
                format!("{arg} : une valeur est attendue, l'une de : {valid}")
            }
            Some(valid) => {
                format!("{arg} : « {value} » n'est pas une valeur possible ; l'une de : {valid}")
            }
            None => format!("{arg} : une valeur est attendue"),
        },
        ErrorKind::ValueValidation => format!("{arg} : « {value} » n'est pas une valeur valable"),
        ErrorKind::MissingRequiredArgument => format!("il manque : {arg}"),
        ErrorKind::MissingSubcommand => "il manque une commande".to_owned(),
        ErrorKind::ArgumentConflict => format!(
            "{arg} ne peut pas être donné avec {}",
            get(ContextKind::PriorArg)
        ),
        ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues | ErrorKind::TooFewValues => {
            format!("{arg} : nombre de valeurs incorrect")
        }
        ErrorKind::NoEquals => format!("{arg} : la valeur s'écrit après un signe « = »"),
        ErrorKind::InvalidUtf8 => "un argument n'est pas du texte UTF-8".to_owned(),
        _ => "arguments non compris".to_owned(),
    }
}
