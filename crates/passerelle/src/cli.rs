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

// The command line. The help's texts are the doc comments of these types,
// in French because they are what users read (see `help.rs`).
#[derive(Debug, Parser)]
#[command(
    version,
    about = "Passerelle : le programme d'une Cité éducative — importer, vérifier, exporter, chercher, servir.",
    long_about = None
)]
pub(crate) struct Args {
    /// Un fichier de configuration (TOML : data_dir, database_url, bind…) ;
    /// par défaut `passerelle.toml` dans le dossier courant, s'il existe.
    #[arg(long, env = "PASSERELLE_CONFIG", global = true)]
    pub(crate) config: Option<PathBuf>,
    /// Le dossier où Passerelle garde ses fichiers (dont la base par défaut) ; `var` par défaut.
    #[arg(long, env = "PASSERELLE_DATA_DIR", global = true)]
    pub(crate) data_dir: Option<PathBuf>,
    /// L'adresse de la base ; par défaut `sqlite://<dossier>/passerelle.db`.
    #[arg(long, env = "PASSERELLE_DATABASE_URL", global = true)]
    pub(crate) database_url: Option<String>,
    /// La cité sur laquelle porte la commande ; la cité par défaut sinon.
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
    /// Ajoute une cité : vide (remplie sur le web), ou depuis un livret.
    Add {
        /// Son nom court dans les adresses (`tourcoing` : `/tourcoing/actions`).
        #[arg(long)]
        slug: String,
        /// Son nom complet (« Cité éducative de Tourcoing »).
        #[arg(long)]
        name: String,
        /// Un livret au format de celui de Roubaix, pour la remplir.
        #[arg(long)]
        from: Option<PathBuf>,
        /// Les fichiers de référence de la cité (organisations.toml,
        /// territories.toml, tagging.toml, cite.toml) ; aucun par défaut.
        #[arg(long)]
        reference: Option<PathBuf>,
    },
    /// Liste les cités, celle par défaut en premier.
    List,
    /// Retire une cité ; refusé tant qu'elle contient des données, sauf avec
    /// `--force`, qui écrit d'abord une sauvegarde.
    Remove {
        /// L'identifiant de la cité.
        slug: String,
        /// Retire même une cité qui contient des données (après une sauvegarde).
        #[arg(long)]
        force: bool,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum AdminCommand {
    /// Crée un compte administrateur d'une cité (`--cite`, sinon celle par
    /// défaut). Le mot de passe est demandé (deux fois dans un terminal ; lu
    /// sur l'entrée standard sinon) : il n'y en a pas par défaut.
    Create {
        /// L'adresse électronique du compte.
        #[arg(long)]
        email: String,
        /// Le nom de la personne, tel que les autres le voient.
        #[arg(long)]
        name: Option<String>,
        /// Aussi administrateur de l'instance : gère ses cités et nomme leurs
        /// premiers administrateurs (page /instance).
        #[arg(long)]
        instance: bool,
    },
    /// Invite quelqu'un à un rôle dans une cité (`--cite`, sinon celle par
    /// défaut) ou sur l'instance : écrit un lien à usage unique (valable
    /// 7 jours) où la personne choisit son mot de passe ; son compte est créé alors.
    Invite {
        /// L'adresse électronique du compte.
        #[arg(long)]
        email: String,
        /// Le nom de la personne.
        #[arg(long)]
        name: String,
        /// Dans une cité : administrateur, troika, referent ou contributeur ;
        /// sur l'instance : administrateur-instance ou lecteur-national.
        #[arg(long, default_value = "contributeur")]
        role: String,
        /// Pour un référent : l'organisation dont il modifie les actions (son identifiant).
        #[arg(long)]
        organisation: Option<String>,
    },
    /// Retire la double authentification d'un compte (téléphone perdu, plus
    /// de codes de secours) et ferme ses sessions : la personne en active
    /// une nouvelle à sa prochaine connexion.
    RemoveSecondFactor {
        /// L'adresse électronique du compte.
        #[arg(long)]
        email: String,
    },
    /// Crée un jeton d'API personnel pour un compte et l'écrit (une seule
    /// fois) : pour les scripts qui écrivent par `/api/v1` (`Authorization: Bearer …`).
    Token {
        /// L'adresse électronique du compte.
        #[arg(long)]
        email: String,
        /// Un nom pour le reconnaître (et le révoquer sur la page /compte).
        #[arg(long)]
        label: String,
        /// Le nombre de jours pendant lesquels il vaut ; sans cette option,
        /// il vaut jusqu'à sa révocation.
        #[arg(long = "jours", value_parser = clap::value_parser!(u32).range(1..=3650))]
        days: Option<u32>,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Importe un livret dans la base (par défaut celui de Roubaix, fourni),
    /// ou un tableur (.xlsx, .ods, .csv) dans une cité (`--cite`, sinon celle
    /// par défaut).
    Import {
        /// Le livret (Markdown) ou le tableur.
        file: Option<PathBuf>,
        /// Le dossier des fichiers de référence de la cité (cite.toml,
        /// organisations.toml, territories.toml, tagging.toml) ; ceux de Roubaix par défaut.
        #[arg(long)]
        reference: Option<PathBuf>,
        /// Écrit ce qui changerait, sans rien changer.
        #[arg(long)]
        dry_run: bool,
    },
    /// Liste chaque irrégularité d'un livret, avec sa ligne, ou d'un tableur,
    /// avec sa feuille, sa ligne et sa colonne (lu comme celui de `--cite`) ;
    /// puis la lisibilité de chaque description et « En bref » : son score,
    /// sa difficulté et les phrases en défaut.
    Check {
        /// Le livret (Markdown) ou le tableur ; le livret de Roubaix par défaut.
        file: Option<PathBuf>,
        /// Le dossier des fichiers de référence de la cité, pour un livret.
        #[arg(long)]
        reference: Option<PathBuf>,
        /// Le format du rapport.
        #[arg(long, value_enum, default_value = "text")]
        format: ReportFormat,
    },
    /// Écrit le programme enregistré en JSON, en livret (Markdown, PDF), dans
    /// les colonnes du tableur (xlsx, CSV), ou en données ouvertes (tables CSV
    /// et JSON, data·inclusion, data package) dans un dossier.
    Export(crate::export::ExportArgs),
    /// La lettre d'infos d'une cité (`--cite`, sinon celle par défaut) :
    /// envoyer un numéro, où en est chacun, les abonnés d'une liste.
    Newsletter {
        #[command(subcommand)]
        command: crate::newsletter::NewsletterCommand,
    },
    /// L'argent du programme d'une cité (`--cite`, sinon celle par défaut) :
    /// importer, vérifier ou exporter ses financements et enveloppes.
    Funding {
        #[command(subcommand)]
        command: crate::funding::FundingCommand,
    },
    /// Suit les orientations sur un serveur et y répond, avec un jeton d'API
    /// personnel : pour les opérateurs qui ont leurs propres outils.
    Referrals(crate::referrals::ReferralsArgs),
    /// Gère les cités que sert cette instance.
    Cite {
        #[command(subcommand)]
        command: CiteCommand,
    },
    /// Gère les comptes.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
    /// Écrit une copie cohérente de la base dans FILE (sans risque pendant `serve`).
    Backup {
        /// La copie à écrire ; elle ne doit pas exister.
        file: PathBuf,
    },
    /// Copie cette instance (chaque cité, son historique, les comptes, les
    /// inscriptions et contributions) dans une base vide, et vérifie que
    /// chaque table y a autant de lignes.
    Migrate {
        /// La base où copier (`postgres://…` ou `sqlite://…`) ; elle doit
        /// exister et être vide.
        #[arg(long)]
        to: String,
    },
    /// Remplace le contenu de la base par celui d'une sauvegarde (relancez `serve` ensuite).
    Restore {
        /// Un fichier écrit par `passerelle backup`.
        file: PathBuf,
    },
    /// Sert le programme sur le web (pages et API JSON).
    Serve {
        /// L'adresse d'écoute ; 127.0.0.1:8080 par défaut.
        #[arg(long, env = "PASSERELLE_BIND")]
        bind: Option<std::net::SocketAddr>,
        /// Marque les cookies de session `Secure` (quand le site est servi en HTTPS).
        #[arg(long, env = "PASSERELLE_SECURE_COOKIES")]
        secure_cookies: Option<bool>,
    },
    /// Données générées pour les mesures : ajoute N cités faites du programme
    /// de Roubaix, nommées comme générées. Refusé sur la base par défaut.
    #[command(hide = true)]
    GenerateCites {
        #[arg(long, default_value_t = 250)]
        count: usize,
        #[arg(long, default_value_t = 30)]
        actions: usize,
        /// Un appel à projets par cité, avec ce nombre de candidatures notées
        /// par trois évaluateurs (0 : aucun appel).
        #[arg(long, default_value_t = 0)]
        applications: usize,
        /// Dans chaque cité générée, les financements de chaque action
        /// (État et commune, 2020 à 2022) et les enveloppes.
        #[arg(long)]
        funding: bool,
    },
    /// Cherche dans le programme (texte intégral en français, filtres).
    Search {
        /// Les mots cherchés ; vide, liste chaque action qui passe les filtres.
        #[arg(default_value = "")]
        query: String,
        /// L'âge de l'enfant (en années) : les actions dont le public le comprend.
        #[arg(long)]
        age: Option<u32>,
        /// Un axe du programme (1, 2, 3).
        #[arg(long)]
        axis: Option<u8>,
        /// Un thème (par exemple `parentalite-coeducation`) ; répétez l'option pour plusieurs.
        #[arg(long)]
        theme: Vec<String>,
        /// Le public : enfants, jeunes-adultes, parents, professionnels, adultes.
        #[arg(long)]
        audience: Option<String>,
        /// Un territoire (par exemple `secteur-nord`, `ecole-littre`).
        #[arg(long)]
        territory: Option<String>,
        /// Une organisation partenaire (son identifiant).
        #[arg(long)]
        partner: Option<String>,
        /// Une organisation qui porte l'action (son identifiant).
        #[arg(long)]
        operator: Option<String>,
        /// Le nombre de résultats au plus.
        #[arg(long, default_value_t = 10)]
        limit: usize,
        /// Le format de sortie.
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
            let created = crate::admin::create(
                &*store,
                &cite,
                &email,
                name.as_deref(),
                *instance,
                &password,
            )
            .await;
            store.close().await;
            writeln!(out, "{}", created?)?;
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
            store
                .create_link(
                    &passerelle_auth::token_hash(&token),
                    &passerelle_store::OneTimeLink {
                        purpose: passerelle_store::LinkPurpose::Invitation,
                        account,
                        expires_at: crate::admin::unix_now() + 7 * 24 * 3600,
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
            command: AdminCommand::Token { email, label, days },
        } => {
            let store = open_store(&config).await?;
            let token = crate::admin::token(&*store, email, label, *days).await;
            store.close().await;
            writeln!(out, "{}", token?)?;
        }
        Command::Admin {
            command: AdminCommand::RemoveSecondFactor { email },
        } => {
            let store = open_store(&config).await?;
            let removed = crate::admin::remove_second_factor(&*store, email).await;
            store.close().await;
            writeln!(out, "{}", removed?)?;
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
            let (bytes, source) = catalogue::read_booklet(file.as_ref())?;
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
            let (bytes, source) = catalogue::read_booklet(file.as_ref())?;
            let parsed = if passerelle_sheet::Format::is_sheet_name(&source) {
                let grid = passerelle_sheet::read(&source, &bytes)?;
                let store = open_store(&config).await?;
                let stored = catalogue::load_or_seed(&*store, cite.as_deref()).await?;
                store.close().await;
                let reference = passerelle_livret::Reference::of_catalogue(&stored);
                passerelle_livret::sheet::parse(&grid, &reference)
                    .with_context(|| format!("{source} : lecture impossible"))?
            } else {
                let reference = reference(dir.as_ref())?;
                let text = passerelle_livret::decode(&bytes)
                    .with_context(|| format!("{source} : vérification impossible"))?;
                let mut parsed = passerelle_livret::parse(text, &reference)
                    .with_context(|| format!("{source} : vérification impossible"))?;
                let found = std::mem::take(&mut parsed.irregularities);
                parsed.irregularities = passerelle_livret::check::report(text, &reference, found);
                parsed
            };
            crate::check::write(&mut out, &source, &parsed, *format)?;
        }
        Command::Newsletter { command } => {
            let store = open_store(&config).await?;
            let slug = cite_of_command(&*store, &config, cite.as_deref()).await?;
            let done =
                crate::newsletter::run(&mut out, store.clone(), &config, &slug, command).await;
            store.close().await;
            done?;
        }
        Command::Funding { command } => {
            let store = open_store(&config).await?;
            let slug = cite_of_command(&*store, &config, cite.as_deref()).await?;
            let done = crate::funding::run(&mut out, store.clone(), &config, &slug, command).await;
            store.close().await;
            if !done? {
                return Ok(ExitCode::FAILURE);
            }
        }
        Command::Export(export) => {
            let store = open_store(&config).await?;
            let done =
                crate::export::run(&mut out, &*store, &config, cite.as_deref(), export).await;
            store.close().await;
            done?;
        }
        Command::GenerateCites {
            count,
            actions,
            applications,
            funding,
        } => {
            anyhow::ensure!(
                args.data_dir.is_some() || args.database_url.is_some(),
                "generate-cites écrit des données générées : donnez-lui une base à part (--data-dir ou --database-url), jamais celle par défaut"
            );
            let store = open_store(&config).await?;
            crate::generate::generate(&mut out, &*store, *count, *actions).await?;
            if *applications > 0 {
                crate::generate_calls::generate_all(&mut out, &*store, *count, *applications)
                    .await?;
            }
            if *funding {
                crate::generate_funding::generate_all(&mut out, &*store, *count, *actions).await?;
            }
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
