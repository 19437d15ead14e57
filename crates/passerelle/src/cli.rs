//! Command-line arguments and what each command does.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand, ValueEnum};
use passerelle_domain::{ActionFilter, AudienceKind, Catalogue, Slug, Theme};
use passerelle_livret::{Reference, Severity};
use passerelle_search::SearchIndex;

use crate::config::Config;
use crate::{catalogue, reference_dir};

/// Passerelle: the programme of a Cité éducative as a living system.
#[derive(Debug, Parser)]
#[command(version, about)]
pub(crate) struct Args {
    /// A configuration file (TOML: data_dir, database_url, bind); by default
    /// `passerelle.toml` in the current directory, if there is one.
    #[arg(long, env = "PASSERELLE_CONFIG", global = true)]
    pub(crate) config: Option<PathBuf>,
    /// Where Passerelle keeps its files (the default database among them); `var` by default.
    #[arg(long, env = "PASSERELLE_DATA_DIR", global = true)]
    pub(crate) data_dir: Option<PathBuf>,
    /// Database URL; defaults to `sqlite://<data dir>/passerelle.db`.
    #[arg(long, env = "PASSERELLE_DATABASE_URL", global = true)]
    pub(crate) database_url: Option<String>,
    /// The cité a command reads (export, search); the default one otherwise.
    #[arg(long, env = "PASSERELLE_CITE", global = true)]
    pub(crate) cite: Option<String>,
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum ReportFormat {
    Text,
    Json,
}

#[derive(Debug, Subcommand)]
pub(crate) enum CiteCommand {
    /// Adds a cité: empty (filled on the web), or from a booklet.
    Add {
        /// Its short name in addresses (`tourcoing`: `/tourcoing/actions`).
        #[arg(long)]
        slug: String,
        /// Its full name (« Cité éducative de Tourcoing »).
        #[arg(long)]
        name: String,
        /// A booklet in the Roubaix format to fill it from.
        #[arg(long)]
        from: Option<PathBuf>,
        /// The cité's reference files (organisations.toml, territories.toml,
        /// tagging.toml, cite.toml) for the booklet; none by default.
        #[arg(long)]
        reference: Option<PathBuf>,
    },
    /// Lists the cités, the default one first.
    List,
    /// Removes a cité; refused while it holds data unless `--force`, which
    /// writes a backup first.
    Remove {
        slug: String,
        #[arg(long)]
        force: bool,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum AdminCommand {
    /// Creates an administrator account of a cité (`--cite`, the default
    /// one otherwise). The password is asked for (twice on a terminal; read
    /// from standard input otherwise): there is no default.
    Create {
        #[arg(long)]
        email: String,
        /// The person's name, as shown to others.
        #[arg(long)]
        name: Option<String>,
        /// Also administrator of the instance: manages its cités and names
        /// their first administrators (on the /instance page).
        #[arg(long)]
        instance: bool,
    },
    /// Invites someone to a role in a cité (`--cite`, the default one
    /// otherwise) or on the instance: prints a one-time link (valid 7 days)
    /// where they choose their password; their account is created then.
    Invite {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// In a cité: administrateur, troika, referent or contributeur; on
        /// the instance: administrateur-instance or lecteur-national.
        #[arg(long, default_value = "contributeur")]
        role: String,
        /// For a referent: the organisation whose actions they edit (its slug).
        #[arg(long)]
        organisation: Option<String>,
    },
    /// Creates a personal API token for an account and prints it (once):
    /// for scripts writing through `/api/v1` (`Authorization: Bearer …`).
    Token {
        #[arg(long)]
        email: String,
        /// A name to tell it apart (and to revoke it on the /compte page).
        #[arg(long)]
        label: String,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Imports a booklet into the database (the bundled Roubaix booklet by
    /// default), or a spreadsheet (.xlsx, .ods, .csv) into a cité (`--cite`,
    /// the default one otherwise).
    Import {
        /// The booklet (Markdown) or spreadsheet.
        file: Option<PathBuf>,
        /// Directory of the cité's reference files (cite.toml, organisations.toml,
        /// territories.toml, tagging.toml); the bundled Roubaix ones by default.
        #[arg(long)]
        reference: Option<PathBuf>,
        /// Print what would change, and change nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Lists every irregularity of a booklet, each with its line, or of a
    /// spreadsheet, each with its sheet, row and column (read as `--cite`'s).
    Check {
        file: Option<PathBuf>,
        #[arg(long)]
        reference: Option<PathBuf>,
        #[arg(long, value_enum, default_value = "text")]
        format: ReportFormat,
    },
    /// Writes the stored programme as JSON, as the booklet (Markdown, PDF),
    /// in the spreadsheet's columns (xlsx, CSV), or as open data (CSV and
    /// JSON tables, data·inclusion, a data package) into a directory.
    Export(crate::export::ExportArgs),
    /// The newsletter of a cité (`--cite`, the default one otherwise):
    /// sending an issue, where each stands, the subscribers of a list.
    Newsletter {
        #[command(subcommand)]
        command: crate::newsletter::NewsletterCommand,
    },
    /// Follows and answers referrals (orientations) on a server, with a
    /// personal API token: for operators with their own tools.
    Referrals(crate::referrals::ReferralsArgs),
    /// Manages the cités this instance serves.
    Cite {
        #[command(subcommand)]
        command: CiteCommand,
    },
    /// Manages accounts.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
    /// Writes a consistent copy of the database to FILE (safe while `serve` runs).
    Backup {
        /// The copy to write; must not exist yet.
        file: PathBuf,
    },
    /// Copies this instance (every cité, its history, the accounts, the
    /// registrations and contributions) into an empty database, and checks
    /// that every table holds as many rows there.
    Migrate {
        /// The database to copy into (`postgres://…` or `sqlite://…`); it
        /// must exist and hold nothing yet.
        #[arg(long)]
        to: String,
    },
    /// Replaces the database's content by a backup's (restart `serve` afterwards).
    Restore {
        /// A file written by `passerelle backup`.
        file: PathBuf,
    },
    /// Serves the programme on the web (pages and JSON API).
    Serve {
        /// Address to listen on; 127.0.0.1:8080 by default.
        #[arg(long, env = "PASSERELLE_BIND")]
        bind: Option<std::net::SocketAddr>,
        /// Mark session cookies `Secure` (when served over HTTPS).
        #[arg(long, env = "PASSERELLE_SECURE_COOKIES")]
        secure_cookies: Option<bool>,
    },
    /// Generated data for measurement: adds N cités built from the Roubaix
    /// programme, named as generated. Refused on the default database.
    #[command(hide = true)]
    GenerateCites {
        #[arg(long, default_value_t = 250)]
        count: usize,
        #[arg(long, default_value_t = 30)]
        actions: usize,
    },
    /// Searches the programme (French full text, filters).
    Search {
        /// Words to look for; empty lists every action passing the filters.
        #[arg(default_value = "")]
        query: String,
        /// Age of the child (years): actions whose audience includes it.
        #[arg(long)]
        age: Option<u32>,
        #[arg(long)]
        axis: Option<u8>,
        /// Theme key (e.g. `parentalite-coeducation`); repeat for several.
        #[arg(long)]
        theme: Vec<String>,
        /// Audience: enfants, jeunes-adultes, parents, professionnels, adultes.
        #[arg(long)]
        audience: Option<String>,
        /// Territory slug (e.g. `secteur-nord`, `ecole-littre`).
        #[arg(long)]
        territory: Option<String>,
        #[arg(long)]
        partner: Option<String>,
        #[arg(long)]
        operator: Option<String>,
        #[arg(long, default_value_t = 10)]
        limit: usize,
        #[arg(long, value_enum, default_value = "text")]
        format: ReportFormat,
    },
}

fn reference(dir: Option<&PathBuf>) -> anyhow::Result<Reference> {
    match dir {
        Some(d) => reference_dir::reference_from_dir(d),
        None => Ok(passerelle_livret::bundled::reference()?),
    }
}

fn read_booklet(file: Option<&PathBuf>) -> anyhow::Result<(Vec<u8>, String)> {
    match file {
        Some(f) => Ok((crate::files::read(f)?, f.display().to_string())),
        None => Ok((
            passerelle_livret::bundled::BOOKLET.as_bytes().to_vec(),
            passerelle_livret::bundled::BOOKLET_NAME.to_owned(),
        )),
    }
}

fn config(args: &Args) -> anyhow::Result<Config> {
    let (bind, secure) = match &args.command {
        Command::Serve {
            bind,
            secure_cookies,
        } => (*bind, *secure_cookies),
        _ => (None, None),
    };
    Config::load(
        args.config.as_deref(),
        args.data_dir.clone(),
        args.database_url.clone(),
        bind,
        secure,
    )
}

/// The database a command works on, whichever it is.
pub(crate) type Db = std::sync::Arc<dyn passerelle_store::Store>;

/// Opens the configured database: SQLite (`sqlite://…`, its directory
/// created if needed) or PostgreSQL (`postgres://…`, `postgresql://…`).
pub(crate) async fn open_store(config: &Config) -> anyhow::Result<Db> {
    let url = config.database_url.as_str();
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        return Ok(std::sync::Arc::new(
            passerelle_store_postgres::PgStore::open(url).await?,
        ));
    }
    if !url.starts_with("sqlite:") {
        anyhow::bail!(
            "database_url `{}` : seules les bases sqlite://… et postgres://… sont prises en charge",
            url.split('@').next_back().unwrap_or(url)
        );
    }
    if url.starts_with("sqlite://") && !url.contains(":memory:") {
        crate::files::create_dir_all(&config.data_dir)?;
    }
    Ok(std::sync::Arc::new(
        passerelle_store_sqlite::SqliteStore::open(url).await?,
    ))
}

fn slug_arg(name: &str, value: Option<&String>) -> anyhow::Result<Option<Slug>> {
    value
        .map(|v| Slug::parse(v).with_context(|| format!("--{name} : « {v} » n'est pas un identifiant (lettres minuscules, chiffres et tirets simples)")))
        .transpose()
}

/// The cité a command acts on: `--cite`, or the configured default, or the
/// first stored (the bundled Roubaix one is stored first on a fresh instance).
async fn cite_of_command(
    store: &dyn passerelle_store::Store,
    config: &Config,
    cite: Option<&str>,
) -> anyhow::Result<String> {
    catalogue::seed_if_empty(store).await?;
    let cites = store.cites().await?;
    let wanted = cite.or(config.default_cite.as_deref());
    match wanted {
        Some(c) if cites.iter().any(|s| s == c) => Ok(c.to_owned()),
        Some(c) => anyhow::bail!(
            "aucune cité « {c} » dans la base (cités : {})",
            cites.join(", ")
        ),
        None => cites.first().cloned().context(
            "aucune cité dans la base (voir `passerelle import` ou `passerelle cite create`)",
        ),
    }
}

pub(crate) async fn run(args: Args) -> anyhow::Result<ExitCode> {
    let config = config(&args)?;
    if let Command::Serve { .. } = &args.command {
        crate::serve::serve(&config).await?;
        return Ok(ExitCode::SUCCESS);
    }
    if let Command::Referrals(referrals) = &args.command {
        let mut out = std::io::stdout().lock();
        crate::referrals::run(
            &mut out,
            config.base_url.as_deref(),
            args.cite.as_deref(),
            referrals,
        )
        .await?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = std::io::stdout().lock();
    let cite = &args.cite;
    match &args.command {
        Command::Serve { .. } | Command::Referrals(_) => {}
        Command::Cite { command } => {
            let store = open_store(&config).await?;
            match command {
                CiteCommand::Add {
                    slug,
                    name,
                    from,
                    reference: dir,
                } => {
                    let identity = crate::cite::identity(slug, name)?;
                    let reference = match dir {
                        Some(d) => Some(reference_dir::reference_from_dir(d)?),
                        None => None,
                    };
                    crate::cite::add(&mut out, &*store, identity, from.as_deref(), reference)
                        .await?;
                }
                CiteCommand::List => crate::cite::list(&mut out, &*store).await?,
                CiteCommand::Remove { slug, force } => {
                    crate::cite::remove(&mut out, &*store, &config, slug, *force).await?;
                }
            }
            store.close().await;
        }
        Command::Admin {
            command:
                AdminCommand::Create {
                    email,
                    name,
                    instance,
                },
        } => {
            let email = passerelle_domain::Email::parse(email)
                .map_err(|e| anyhow::anyhow!("--email : {e}"))?;
            let store = open_store(&config).await?;
            let cite = cite_of_command(&*store, &config, cite.as_deref()).await?;
            let password = read_new_password()?;
            let hash = passerelle_auth::hash_password(&password, email.as_str())
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            let mut account = passerelle_domain::Account::member(
                email.clone(),
                name.clone()
                    .unwrap_or_else(|| email.as_str().split('@').next().unwrap_or("").to_owned()),
                passerelle_domain::Membership::new(
                    cite.clone(),
                    passerelle_domain::Role::Administrateur,
                    None,
                ),
            );
            if *instance {
                account.instance_role = Some(passerelle_domain::InstanceRole::Administrateur);
            }
            store.create_account(&account, &hash, "cli").await?;
            store.close().await;
            writeln!(
                out,
                "compte administrateur de la cité « {cite} »{} créé pour {email}",
                if *instance { " et de l'instance" } else { "" }
            )?;
        }
        Command::Admin {
            command:
                AdminCommand::Invite {
                    email,
                    name,
                    role,
                    organisation,
                },
        } => {
            let email = passerelle_domain::Email::parse(email)
                .map_err(|e| anyhow::anyhow!("--email : {e}"))?;
            let organisation = slug_arg("organisation", organisation.as_ref())?;
            let store = open_store(&config).await?;
            let account = if let Some(r) = passerelle_domain::InstanceRole::from_key(role) {
                passerelle_domain::Account {
                    email,
                    name: name.clone(),
                    active: true,
                    instance_role: Some(r),
                    memberships: Vec::new(),
                }
            } else {
                let role = passerelle_domain::Role::from_key(role).ok_or_else(|| {
                    anyhow::anyhow!(
                        "--role : « {role} » n'est pas un rôle ; l'un de : administrateur, troika, referent, contributeur, administrateur-instance, lecteur-national"
                    )
                })?;
                anyhow::ensure!(
                    role != passerelle_domain::Role::Referent || organisation.is_some(),
                    "--organisation : un référent représente une organisation, à nommer"
                );
                let cite = cite_of_command(&*store, &config, cite.as_deref()).await?;
                passerelle_domain::Account::member(
                    email,
                    name.clone(),
                    passerelle_domain::Membership::new(cite, role, organisation),
                )
            };
            let token = passerelle_auth::new_token();
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(0));
            store
                .create_link(
                    &passerelle_auth::token_hash(&token),
                    &passerelle_store::OneTimeLink {
                        purpose: passerelle_store::LinkPurpose::Invitation,
                        account,
                        expires_at: now + 7 * 24 * 3600,
                    },
                    "cli",
                )
                .await?;
            store.close().await;
            let base = config
                .base_url
                .clone()
                .unwrap_or_else(|| format!("http://{}", config.bind));
            writeln!(out, "{base}/invitation/{token}")?;
        }
        Command::Admin {
            command: AdminCommand::Token { email, label },
        } => {
            let store = open_store(&config).await?;
            let account = store
                .account(email)
                .await?
                .map(|(a, _)| a)
                .filter(|a| a.active)
                .ok_or_else(|| anyhow::anyhow!("--email : aucun compte actif pour {email}"))?;
            let token = passerelle_auth::new_token();
            store
                .create_api_token(
                    &passerelle_auth::token_hash(&token),
                    account.email.as_str(),
                    label,
                )
                .await
                .with_context(|| {
                    format!(
                        "création du jeton « {label} » impossible (ce nom est peut-être déjà pris)"
                    )
                })?;
            store.close().await;
            writeln!(out, "{token}")?;
        }
        Command::Backup { file } => {
            let store = open_store(&config).await?;
            store.backup(file).await?;
            store.close().await;
            writeln!(out, "sauvegarde écrite : {}", file.display())?;
        }
        Command::Migrate { to } => {
            let source = open_store(&config).await?;
            let mut target_config = config.clone();
            target_config.database_url.clone_from(to);
            let target = open_store(&target_config).await?;
            let dump = source.export().await?;
            target.import(&dump).await?;
            let copied = target.counts().await?;
            source.close().await;
            target.close().await;
            let expected = dump.counts();
            for ((table, n), (_, m)) in expected.iter().zip(&copied) {
                writeln!(out, "{table} : {m} ligne(s) copiée(s) sur {n}")?;
            }
            anyhow::ensure!(
                copied == expected,
                "la copie ne compte pas autant de lignes que l'original"
            );
            writeln!(
                out,
                "instance copiée : servez-la avec database_url = la nouvelle base"
            )?;
        }
        Command::Restore { file } => {
            let store = open_store(&config).await?;
            store.restore(file).await?;
            let problems = store.integrity_check().await?;
            store.close().await;
            anyhow::ensure!(
                problems.is_empty(),
                "integrity check after restore: {}",
                problems.join("; ")
            );
            writeln!(
                out,
                "base restaurée depuis {} ; redémarrez `passerelle serve` s'il tourne",
                file.display()
            )?;
        }
        Command::Import {
            file,
            reference: dir,
            dry_run,
        } => {
            let (bytes, source) = read_booklet(file.as_ref())?;
            let store = open_store(&config).await?;
            let outcome = if passerelle_sheet::Format::is_sheet_name(&source) {
                let cite = cite_of_command(&*store, &config, cite.as_deref()).await?;
                catalogue::import_sheet(&*store, &cite, &bytes, &source, *dry_run).await?
            } else {
                let reference = reference(dir.as_ref())?;
                catalogue::import(&*store, &bytes, &source, &reference, *dry_run).await?
            };
            let r = outcome.record(&source);
            let verb = if *dry_run { "changerait" } else { "a changé" };
            writeln!(
                out,
                "{source} : l'import {verb} {} élément(s) ({} ajout(s), {} mise(s) à jour, {} suppression(s))",
                outcome.changes.len(),
                r.added,
                r.updated,
                r.removed
            )?;
            for c in &outcome.changes {
                writeln!(out, "{c}")?;
            }
            let n = outcome
                .parsed
                .irregularities
                .iter()
                .filter(|i| i.severity != Severity::Info)
                .count();
            if n > 0 {
                writeln!(
                    out,
                    "{n} irrégularité(s) relevée(s) : voir `passerelle check`"
                )?;
            }
            if passerelle_sheet::Format::is_sheet_name(&source) {
                for i in outcome
                    .report
                    .iter()
                    .filter(|i| i.severity != Severity::Info)
                {
                    writeln!(out, "{} : {}", i.located(&source), i.message)?;
                }
            }
            store.close().await;
        }
        Command::Check {
            file,
            reference: dir,
            format,
        } => {
            let (bytes, source) = read_booklet(file.as_ref())?;
            let report = if passerelle_sheet::Format::is_sheet_name(&source) {
                let grid = passerelle_sheet::read(&source, &bytes)?;
                let store = open_store(&config).await?;
                let stored = catalogue::load_or_seed(&*store, cite.as_deref()).await?;
                store.close().await;
                let reference = passerelle_livret::Reference::of_catalogue(&stored);
                passerelle_livret::sheet::parse(&grid, &reference)
                    .with_context(|| format!("{source} : lecture impossible"))?
                    .irregularities
            } else {
                let reference = reference(dir.as_ref())?;
                let text = passerelle_livret::decode(&bytes)
                    .with_context(|| format!("{source} : vérification impossible"))?;
                passerelle_livret::check::check(text, &reference)
                    .with_context(|| format!("{source} : vérification impossible"))?
            };
            match format {
                ReportFormat::Json => writeln!(out, "{}", serde_json::to_string_pretty(&report)?)?,
                ReportFormat::Text => {
                    for i in &report {
                        let fiche = i.fiche.map(|f| format!(" [fiche {f}]")).unwrap_or_default();
                        writeln!(
                            out,
                            "{}: {}{fiche} : {}",
                            i.located(&source),
                            i.severity.label(),
                            i.message
                        )?;
                    }
                    writeln!(out, "{} irrégularité(s)", report.len())?;
                }
            }
        }
        Command::Newsletter { command } => {
            let store = open_store(&config).await?;
            let slug = cite_of_command(&*store, &config, cite.as_deref()).await?;
            let done =
                crate::newsletter::run(&mut out, store.clone(), &config, &slug, command).await;
            store.close().await;
            done?;
        }
        Command::Export(export) => {
            let store = open_store(&config).await?;
            let done =
                crate::export::run(&mut out, &*store, &config, cite.as_deref(), export).await;
            store.close().await;
            done?;
        }
        Command::GenerateCites { count, actions } => {
            anyhow::ensure!(
                args.data_dir.is_some() || args.database_url.is_some(),
                "generate-cites écrit des données générées : donnez-lui une base à part (--data-dir ou --database-url), jamais celle par défaut"
            );
            let store = open_store(&config).await?;
            crate::generate::generate(&mut out, &*store, *count, *actions).await?;
            store.close().await;
        }
        Command::Search {
            query,
            age,
            axis,
            theme,
            audience,
            territory,
            partner,
            operator,
            limit,
            format,
        } => {
            let themes = theme
                .iter()
                .map(|t| {
                    Theme::from_key(t).with_context(|| {
                        format!(
                            "--theme : « {t} » n'est pas un thème ; l'un de : {}",
                            theme_keys()
                        )
                    })
                })
                .collect::<anyhow::Result<Vec<_>>>()?;
            let audience = audience
                .as_ref()
                .map(|a| {
                    AudienceKind::from_key(a)
                        .with_context(|| format!("--audience : « {a} » n'est pas un public (enfants, jeunes-adultes, parents, professionnels, adultes)"))
                })
                .transpose()?;
            let filter = ActionFilter {
                age: *age,
                ages: None,
                axis: *axis,
                audience,
                themes,
                territory: slug_arg("territory", territory.as_ref())?,
                partner: slug_arg("partner", partner.as_ref())?,
                operator: slug_arg("operator", operator.as_ref())?,
            };
            let store = open_store(&config).await?;
            let catalogue = catalogue::load_or_seed(&*store, cite.as_deref()).await?;
            store.close().await;
            let index = SearchIndex::build(&catalogue)?;
            let mut results = index.search(&catalogue, query, &filter)?;
            results.actions.truncate(*limit);
            results.organisations.truncate(*limit);
            results.people.truncate(*limit);
            match format {
                ReportFormat::Json => writeln!(out, "{}", serde_json::to_string_pretty(&results)?)?,
                ReportFormat::Text => print_results(&mut out, &catalogue, &results)?,
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// A new password: asked twice on a terminal, else one line of standard input.
fn read_new_password() -> anyhow::Result<String> {
    use std::io::IsTerminal;
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("Mot de passe : ")?;
        let second = rpassword::prompt_password("Le même, encore une fois : ")?;
        anyhow::ensure!(first == second, "les deux mots de passe diffèrent");
        Ok(first)
    } else {
        let mut line = String::new();
        std::io::stdin().read_line(&mut line)?;
        Ok(line.trim_end_matches(['\n', '\r']).to_owned())
    }
}

fn theme_keys() -> String {
    Theme::ALL
        .iter()
        .map(|t| t.key())
        .collect::<Vec<_>>()
        .join(", ")
}

fn print_results(
    out: &mut impl Write,
    catalogue: &Catalogue,
    results: &passerelle_search::Results,
) -> anyhow::Result<()> {
    let actions: std::collections::BTreeMap<String, &passerelle_domain::Action> = catalogue
        .actions()
        .map(|(p, a)| (format!("{}/{}", p.slug, a.slug()), a))
        .collect();
    writeln!(out, "{} action(s)", results.actions.len())?;
    for h in &results.actions {
        if let Some(a) = actions.get(&h.id) {
            let ages: Vec<String> = a.age_ranges().map(|r| r.to_string()).collect();
            let ages = if ages.is_empty() {
                String::new()
            } else {
                format!(" ({})", ages.join(", "))
            };
            writeln!(
                out,
                "  fiche {:>2} · axe {} · {}{ages}",
                a.fiche, a.axis, a.title
            )?;
        }
    }
    if !results.organisations.is_empty() {
        writeln!(out, "{} organisation(s)", results.organisations.len())?;
        for h in &results.organisations {
            if let Some(o) = catalogue
                .organisations
                .iter()
                .find(|o| o.slug.as_str() == h.id)
            {
                writeln!(out, "  {} ({})", o.name, o.kind.label())?;
            }
        }
    }
    if !results.people.is_empty() {
        writeln!(out, "{} personne(s)", results.people.len())?;
        for h in &results.people {
            if let Some(p) = catalogue.people.iter().find(|p| p.slug.as_str() == h.id) {
                writeln!(
                    out,
                    "  {}{}",
                    p.name,
                    p.functions
                        .first()
                        .map(|f| format!(", {f}"))
                        .unwrap_or_default()
                )?;
            }
        }
    }
    Ok(())
}
