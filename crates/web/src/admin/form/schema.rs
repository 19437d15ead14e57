//! The form of each kind of entity: which fields, labelled how, mapped to
//! which keys of the entity's JSON body, with which choices.

use passerelle_domain::{
    AudienceKind, Catalogue, EntityKind, FAMILY_LANGUAGES, Theme, TranslationState, Visibility,
};

use super::{Cell, Column, Field, Input};

pub(super) fn field(key: &'static str, label: &'static str, input: Input) -> Field {
    Field {
        key,
        label,
        hint: "",
        input,
        required: false,
        nullable: false,
    }
}

impl Field {
    pub(super) fn required(mut self) -> Field {
        self.required = true;
        self
    }
    fn nullable(mut self) -> Field {
        self.nullable = true;
        self
    }
    fn hint(mut self, hint: &'static str) -> Field {
        self.hint = hint;
        self
    }
}

fn col(key: &'static str, label: &'static str, cell: Cell) -> Column {
    Column {
        key,
        label,
        cell,
        required: false,
    }
}

fn required(mut c: Column) -> Column {
    c.required = true;
    c
}

/// (serde key, label) for every value of a domain enumeration.
fn options<T: serde::Serialize + Copy>(
    all: &[T],
    label: impl Fn(T) -> String,
) -> Vec<(String, String)> {
    all.iter()
        .map(|v| {
            let key = serde_json::to_value(v)
                .ok()
                .and_then(|k| k.as_str().map(str::to_owned))
                .unwrap_or_default();
            (key, label(*v))
        })
        .collect()
}

fn organisation_kinds() -> Vec<(String, String)> {
    use passerelle_domain::OrganisationKind as K;
    options(
        &[
            K::Association,
            K::Commune,
            K::ServiceMunicipal,
            K::ServiceEtat,
            K::CollectiviteTerritoriale,
            K::EducationNationale,
            K::Ecole,
            K::College,
            K::CentreSocial,
            K::Mediatheque,
            K::EtablissementPublic,
            K::Entreprise,
            K::Autre,
        ],
        |k| k.label().to_owned(),
    )
}

fn territory_kinds() -> Vec<(String, String)> {
    use passerelle_domain::TerritoryKind as K;
    options(
        &[
            K::Cite,
            K::Secteur,
            K::ReseauRepPlus,
            K::Quartier,
            K::Ecole,
            K::College,
            K::CentreSocial,
        ],
        |k| k.label().to_owned(),
    )
}

fn visibilities() -> Vec<(String, String)> {
    options(&[Visibility::Public, Visibility::Professionnels], |v| {
        v.label().to_owned()
    })
}

/// The form of one kind of entity. `creating`: fields that make the key
/// (a fiche's number, an axis's number) are shown only then.
pub(crate) fn fields(kind: EntityKind, cat: &Catalogue, creating: bool) -> Vec<Field> {
    let organisations: Vec<(String, String)> = cat
        .organisations
        .iter()
        .map(|o| (o.slug.to_string(), o.name.clone()))
        .collect();
    let territories: Vec<(String, String)> = cat
        .territories
        .iter()
        .map(|t| {
            (
                t.slug.to_string(),
                format!("{} ({})", t.name, t.kind.label()),
            )
        })
        .collect();
    let people: Vec<(String, String)> = cat
        .people
        .iter()
        .map(|p| (p.slug.to_string(), p.name.clone()))
        .collect();
    let choice = |options: Vec<(String, String)>| Input::Choice {
        options,
        number: false,
    };
    let maybe = |options: Vec<(String, String)>| {
        let mut all = vec![(String::new(), "— aucun(e) —".to_owned())];
        all.extend(options);
        Input::Choice {
            options: all,
            number: false,
        }
    };
    let mut out = Vec::new();
    match kind {
        EntityKind::Action => {
            if creating {
                out.push(
                    field(
                        "fiche",
                        "Numéro de fiche",
                        Input::Number { min: 1, max: 999 },
                    )
                    .required(),
                );
            }
            let axes = cat
                .current_programme()
                .map(|p| {
                    p.axes
                        .iter()
                        .map(|a| {
                            (
                                a.number.to_string(),
                                format!("Axe {} — {}", a.number, a.title),
                            )
                        })
                        .collect()
                })
                .unwrap_or_default();
            out.extend([
                field("title", "Intitulé", Input::Text).required(),
                field(
                    "axis",
                    "Axe",
                    Input::Choice {
                        options: axes,
                        number: true,
                    },
                )
                .required(),
                field("title_variants", "Autres intitulés imprimés", Input::Lines)
                    .hint("Un par ligne."),
                field("description", "Description", Input::Markdown)
                    .hint("Texte en Markdown : **gras**, *italique*, listes avec « - »."),
                field("plain_summary", "En bref, en français facile", Input::Markdown).hint(
                    "Pour les familles : des phrases de 15 mots au plus, les nombres en chiffres, \
                     chaque sigle expliqué. « Prévisualiser » en donne le score de lisibilité.",
                ),
                field("plain_summary_reviewed_by", "« En bref » relu par", Input::Text)
                    .nullable()
                    .hint("Qui l'a relu avec des lecteurs à qui il s'adresse (la règle du français facile à lire et à comprendre le demande)."),
                field("plain_summary_reviewed_on", "Relu le", Input::Date),
                field(
                    "translations",
                    "Traductions pour les familles",
                    Input::Table(vec![
                        required(col(
                            "lang",
                            "Langue",
                            Cell::Choice(
                                FAMILY_LANGUAGES
                                    .iter()
                                    .map(|(code, name)| ((*code).into(), (*name).into()))
                                    .collect(),
                            ),
                        )),
                        col("title", "Intitulé traduit", Cell::Text),
                        col("summary", "« En bref » traduit", Cell::Text),
                        col(
                            "state",
                            "État",
                            Cell::Choice(options(&TranslationState::ALL, |s| s.label().to_owned())),
                        ),
                        col("reviewed_by", "Relu par", Cell::MaybeText),
                    ]),
                )
                .hint("Une ligne par langue. Une traduction s'affiche sur la page des familles dès qu'elle est « traduite » ; tant qu'elle n'est pas « relue », la page le dit."),
                field("objectives", "Objectifs", Input::Lines)
                    .hint("Un objectif par ligne, dans l'ordre voulu."),
                field(
                    "audiences",
                    "Publics",
                    Input::Table(vec![
                        required(col("label", "Libellé", Cell::Text)),
                        col(
                            "kind",
                            "Catégorie",
                            Cell::Choice(options(&AudienceKind::ALL, |k| k.label().to_owned())),
                        ),
                        col("ages", "Âges (ex. 6-11)", Cell::Ages),
                        col("note", "Précision", Cell::MaybeText),
                    ]),
                ),
                field(
                    "perimeter",
                    "Périmètre",
                    Input::Table(vec![
                        required(col(
                            "territory",
                            "Territoire",
                            Cell::MaybeChoice(territories.clone()),
                        )),
                        col(
                            "source",
                            "Origine",
                            Cell::Choice(vec![
                                ("printed".into(), "imprimé sous « Périmètre »".into()),
                                ("title".into(), "secteur du titre".into()),
                                ("text".into(), "lieu cité dans la description".into()),
                            ]),
                        ),
                    ]),
                ),
                field(
                    "partners",
                    "Partenaires",
                    Input::Table(vec![
                        required(col("label", "Libellé", Cell::Text)),
                        col(
                            "organisation",
                            "Organisation de l'annuaire",
                            Cell::MaybeChoice(organisations.clone()),
                        ),
                    ]),
                ),
                field(
                    "operators",
                    "Opérateurs",
                    Input::Table(vec![
                        required(col("label", "Libellé", Cell::Text)),
                        col(
                            "organisation",
                            "Organisation de l'annuaire",
                            Cell::MaybeChoice(organisations.clone()),
                        ),
                        col(
                            "role",
                            "Rôle",
                            Cell::Choice(vec![
                                ("operateur".into(), "opérateur".into()),
                                ("prestataire".into(), "prestataire".into()),
                            ]),
                        ),
                        col(
                            "count",
                            "Nombre (structures non nommées)",
                            Cell::MaybeNumber,
                        ),
                    ]),
                ),
                field(
                    "contacts",
                    "Contacts",
                    Input::Table(vec![
                        col(
                            "person",
                            "Personne de l'annuaire",
                            Cell::Choice(people.clone()),
                        ),
                        col("group", "Groupe (Troïka, Structure…)", Cell::Text),
                        required(col("name", "Nom tel qu'imprimé", Cell::Text)),
                        col("email", "Courriel", Cell::MaybeEmail),
                        col("phone", "Téléphone", Cell::MaybePhone),
                    ]),
                ),
                field(
                    "resources",
                    "Ressources",
                    Input::Table(vec![
                        required(col("title", "Titre", Cell::Text)),
                        required(col("url", "Adresse (https://…)", Cell::Url)),
                    ]),
                ),
                field(
                    "themes",
                    "Besoins auxquels l'action répond",
                    Input::Checks(options(&Theme::ALL, |t| t.label().to_owned())),
                ),
            ]);
        }
        EntityKind::Axis => {
            if creating {
                out.push(
                    field(
                        "number",
                        "Numéro de l'axe",
                        Input::Number { min: 1, max: 99 },
                    )
                    .required(),
                );
            }
            out.extend([
                field("title", "Intitulé", Input::Text).required(),
                field("heading", "Titre de section imprimé", Input::Text).required(),
                field("ambition", "Ambition", Input::Markdown),
            ]);
        }
        EntityKind::Programme => out.extend([
            field("title", "Intitulé", Input::Text)
                .required()
                .hint("Par exemple « Programmation 2023-2025 »."),
            field(
                "start_year",
                "Première année",
                Input::Number {
                    min: 2000,
                    max: 2100,
                },
            )
            .required(),
            field(
                "end_year",
                "Dernière année",
                Input::Number {
                    min: 2000,
                    max: 2100,
                },
            )
            .required(),
        ]),
        EntityKind::Organisation => out.extend([
            field("name", "Nom", Input::Text).required(),
            field("acronym", "Sigle", Input::Text).nullable(),
            field("kind", "Type", choice(organisation_kinds())).required(),
            field("aliases", "Autres noms imprimés", Input::Lines).hint("Un par ligne."),
            field(
                "email_domains",
                "Domaines des adresses de ses agents",
                Input::Lines,
            )
            .hint("Un par ligne, par exemple ville-roubaix.fr."),
            field(
                "territory",
                "Lieu (pour un centre social, une école…)",
                maybe(territories),
            )
            .nullable(),
            field("website", "Site web (https://…)", Input::Url).nullable(),
            field("siret", "SIRET", Input::Siret)
                .nullable()
                .hint("14 chiffres : publié avec les subventions qu'elle verse ou reçoit."),
        ]),
        EntityKind::Person => out.extend([
            field("name", "Nom", Input::Text).required(),
            field("name_variants", "Autres graphies imprimées", Input::Lines),
            field("functions", "Fonctions", Input::Lines).hint("Une par ligne."),
            field("organisation", "Organisation", maybe(organisations)).nullable(),
            field("emails", "Adresses électroniques", Input::Emails).hint("Une par ligne."),
            field(
                "email_visibility",
                "Qui voit ses adresses",
                choice(visibilities()),
            )
            .required(),
            field("phones", "Téléphones", Input::Phones).hint("Un par ligne, dix chiffres."),
            field(
                "phone_visibility",
                "Qui voit ses téléphones",
                choice(visibilities()),
            )
            .required(),
        ]),
        EntityKind::Territory => out.extend([
            field("name", "Nom", Input::Text).required(),
            field("kind", "Type", choice(territory_kinds())).required(),
            field("parent", "Compris dans", maybe(territories)).nullable(),
            field("aliases", "Autres noms imprimés", Input::Lines).hint("Un par ligne."),
        ]),
        EntityKind::Cite => out.extend([
            field("name", "Nom", Input::Text).required(),
            field("city", "Ville", Input::Text).required(),
            field("presentation", "Présentation", Input::Markdown),
            field(
                "national_id",
                "Identifiant national du programme",
                Input::Text,
            )
            .nullable()
            .hint("Tel que data.gouv.fr le publie, par exemple cite-042."),
            field("communes", "Communes couvertes", Input::Lines).hint("Une par ligne."),
            field("qpv", "Quartiers prioritaires (codes QPV)", Input::Lines)
                .hint("Un code par ligne, par exemple QN05906M."),
            field(
                "contact_emails",
                "Adresses de la coordination",
                Input::Emails,
            )
            .hint("Une par ligne. La déclaration d'accessibilité les donne à qui ne peut pas accéder à un contenu."),
        ]),
        EntityKind::Seminar => out.extend([
            field("title", "Intitulé", Input::Text).required(),
            field("subtitle", "Sous-titre", Input::Text),
            field("date", "Date", Input::Date).required(),
            field("place", "Lieu", Input::Text),
            field(
                "capacity",
                "Nombre de places (vide : sans limite)",
                Input::Number {
                    min: 1,
                    max: 100_000,
                },
            ),
            field("registration_open", "Inscriptions ouvertes", Input::Check),
            field(
                "code",
                "Code du jour (pour contribuer sans compte)",
                Input::Text,
            )
            .nullable()
            .hint("Donné aux participants sur place ; vide : contributions réservées aux comptes."),
            field("introduction", "Présentation", Input::Markdown),
            field("goals", "Objectifs de la journée", Input::Lines).hint("Un par ligne."),
            field(
                "walking_questions",
                "Questions du travail déambulatoire",
                Input::Lines,
            )
            .hint("Une par ligne : abandonner, maintenir, inventer…"),
            field(
                "sessions",
                "Déroulé : séances",
                Input::Table(vec![
                    required(col("half", "Demi-journée (ex. Matinée)", Cell::Text)),
                    required(col("start", "Début (ex. 9h00)", Cell::Time)),
                    col("end", "Fin", Cell::MaybeTime),
                    required(col("title", "Intitulé", Cell::Text)),
                    col("subtitle", "Sous-titre", Cell::MaybeText),
                    col(
                        "kind",
                        "Type",
                        Cell::Choice(
                            passerelle_domain::SessionKind::ALL
                                .iter()
                                .map(|k| {
                                    (
                                        serde_json::to_value(k)
                                            .ok()
                                            .and_then(|v| v.as_str().map(str::to_owned))
                                            .unwrap_or_default(),
                                        k.label().to_owned(),
                                    )
                                })
                                .collect(),
                        ),
                    ),
                ]),
            )
            .hint("Les interventions et intervenants de chaque séance restent attachés à son intitulé ; ils se modifient par l'API."),
            field(
                "workshops",
                "Ateliers",
                Input::Table(vec![
                    required(col("theme", "Thème", Cell::Text)),
                    required(col("question", "Question posée", Cell::Text)),
                    required(col("animator.name", "Animateur ou animatrice", Cell::Text)),
                    col("animator.function", "Sa fonction ce jour-là", Cell::Text),
                    col(
                        "animator.person",
                        "Personne de l'annuaire",
                        Cell::MaybeChoice(people.clone()),
                    ),
                    col("room", "Salle", Cell::MaybeText),
                    col("capacity", "Places", Cell::MaybeNumber),
                ]),
            ),
        ]),
    }
    out
}
