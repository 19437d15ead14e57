//! The command line's help in French. Clap writes its own words in English
//! (headings, the help and version flags, `[default: …]`, `[env: …]`,
//! `[possible values: …]`): every command gets a French template and French
//! flags, and each argument's default, variable and values are said in its
//! own help. The texts of the commands and arguments are their doc comments
//! in `cli.rs` and its siblings, written in French for that reason.

use clap::builder::StyledStr;
use clap::{Arg, ArgAction, Command};

/// The French names of the values the arguments take (clap shows the
/// argument's identifier in capitals, `<DATA_DIR>`, unless told).
pub(crate) const VALUE_NAMES: &[(&str, &str)] = &[
    ("age", "ÂGE"),
    ("audience", "PUBLIC"),
    ("axis", "AXE"),
    ("bind", "ADRESSE"),
    ("cite", "CITÉ"),
    ("config", "FICHIER"),
    ("database_url", "ADRESSE"),
    ("days", "JOURS"),
    ("data_dir", "DOSSIER"),
    ("decision", "DÉCISION"),
    ("email", "COURRIEL"),
    ("evenement", "ÉVÉNEMENT"),
    ("fiche", "NUMÉRO"),
    ("file", "FICHIER"),
    ("format", "FORMAT"),
    ("from", "LIVRET"),
    ("id", "NUMÉRO"),
    ("issue", "NUMÉRO"),
    ("label", "NOM"),
    ("limit", "NOMBRE"),
    ("list", "LISTE"),
    ("name", "NOM"),
    ("operator", "OPÉRATEUR"),
    ("organisation", "ORGANISATION"),
    ("output", "CHEMIN"),
    ("partner", "PARTENAIRE"),
    ("programme", "PROGRAMME"),
    ("query", "RECHERCHE"),
    ("reference", "DOSSIER"),
    ("role", "RÔLE"),
    ("secure_cookies", "OUI_NON"),
    ("server", "ADRESSE"),
    ("slug", "NOM_COURT"),
    ("territory", "TERRITOIRE"),
    ("text", "TEXTE"),
    ("theme", "BESOIN"),
    ("to", "COURRIEL"),
    ("token", "JETON"),
];

/// An argument's help with its default, values and variable in French.
fn french_arg(arg: Arg) -> Arg {
    let id = arg.get_id().as_str().to_owned();
    let arg = match VALUE_NAMES.iter().find(|(k, _)| *k == id) {
        // Clap's own name (the identifier in capitals), not one chosen.
        Some((_, name))
            if arg
                .get_value_names()
                .is_none_or(|v| v.len() == 1 && v[0] == id.to_uppercase().as_str()) =>
        {
            arg.value_name(*name)
        }
        _ => arg,
    };
    let mut notes: Vec<String> = Vec::new();
    let values: Vec<String> = arg
        .get_possible_values()
        .iter()
        .filter(|v| !v.is_hide_set())
        .map(|v| v.get_name().to_owned())
        .collect();
    let takes_value = arg.get_action().takes_values();
    if takes_value && !values.is_empty() && values != ["true", "false"] {
        notes.push(format!("valeurs : {}", values.join(", ")));
    }
    let defaults: Vec<String> = arg
        .get_default_values()
        .iter()
        .map(|v| v.to_string_lossy().into_owned())
        .filter(|v| !v.is_empty())
        .collect();
    if takes_value && !defaults.is_empty() {
        notes.push(format!("par défaut : {}", defaults.join(", ")));
    }
    if let Some(env) = arg.get_env() {
        notes.push(format!("variable {}", env.to_string_lossy()));
    }
    if !takes_value {
        return arg;
    }
    let arg = if notes.is_empty() {
        arg
    } else {
        let help = arg.get_help().map(StyledStr::to_string).unwrap_or_default();
        let help = format!("{help} [{}]", notes.join(" ; "));
        arg.help(help)
    };
    arg.hide_default_value(true)
        .hide_possible_values(true)
        .hide_env(true)
}

/// The command, its arguments and its subcommands, helped in French;
/// `path` is how it is typed (`passerelle referrals list`).
pub(crate) fn french(cmd: Command, path: &str) -> Command {
    let root = !path.contains(' ');
    let mut cmd = cmd
        .subcommand_value_name("COMMANDE")
        .disable_help_subcommand(true)
        .disable_help_flag(true)
        .arg(
            Arg::new("aide")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help("Affiche cette aide"),
        );
    if root {
        cmd = cmd.disable_version_flag(true).arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help("Affiche la version"),
        );
    }
    let ids: Vec<String> = cmd
        .get_arguments()
        .map(|a| a.get_id().to_string())
        .collect();
    for id in ids {
        cmd = cmd.mut_arg(id, french_arg);
    }
    let subs: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_owned())
        .collect();
    let has_subcommands = !subs.is_empty();
    for name in subs {
        let sub_path = format!("{path} {name}");
        cmd = cmd.mut_subcommand(name, |s| french(s, &sub_path));
    }
    // The usage line as clap writes it, with « [options] » for its
    // « [OPTIONS] ».
    let usage = cmd
        .clone()
        .bin_name(path)
        .render_usage()
        .to_string()
        .trim_start_matches("Usage: ")
        .replace("[OPTIONS]", "[options]");
    let cmd = cmd.override_usage(usage);
    // French headings (with the space before the colon), each only where
    // the command has something under it.
    let mut template = String::from("{about-with-newline}\nUtilisation : {usage}\n");
    if has_subcommands {
        template.push_str("\nCommandes :\n{subcommands}\n");
    }
    if cmd.get_positionals().next().is_some() {
        template.push_str("\nArguments :\n{positionals}\n");
    }
    template.push_str("\nOptions :\n{options}{after-help}");
    cmd.help_template(template)
}
