//! The catalogue of one Cité éducative: its programmes, axes, actions, and the
//! organisations, people and territories they name.

use serde::{Deserialize, Serialize};

use crate::seminar::Seminar;
use crate::theme::Theme;
use crate::values::{AgeRange, Email, FicheNumber, Phone, Slug};

/// Everything Passerelle knows of one Cité éducative. One instance may host
/// several catalogues; each is independent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Catalogue {
    pub cite: Cite,
    pub programmes: Vec<Programme>,
    pub organisations: Vec<Organisation>,
    pub people: Vec<Person>,
    pub territories: Vec<Territory>,
    pub seminars: Vec<Seminar>,
}

impl Catalogue {
    /// A cité with nothing yet: filled on the web, or by an import.
    pub fn empty(cite: Cite) -> Catalogue {
        Catalogue {
            cite,
            programmes: Vec::new(),
            organisations: Vec::new(),
            people: Vec::new(),
            territories: Vec::new(),
            seminars: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cite {
    pub slug: Slug,
    /// "Cité éducative de Roubaix".
    pub name: String,
    pub city: String,
    /// What the booklet says of the Cité as a whole (Markdown).
    pub presentation: String,
    /// The programme's national identifier (`cite-042`), as data.gouv.fr
    /// lists the Cités éducatives; none until someone enters it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub national_id: Option<String>,
    /// The communes the cité covers (names, or INSEE codes as entered).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub communes: Vec<String>,
    /// The priority neighbourhoods (QPV) it covers, by code (`QN05906M`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub qpv: Vec<String>,
    /// Where to write to its coordination (the accessibility statement
    /// gives it); none until someone enters it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub contact_emails: Vec<crate::values::Email>,
    /// The interface's translations the coordination marked reviewed by a
    /// native speaker, one per language at most.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub interface_reviews: Vec<InterfaceReview>,
}

/// A translation of the interface reviewed by a native speaker, as the
/// coordination records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InterfaceReview {
    /// The language's code (`ar`, `tr`, `pt`, `en`).
    pub lang: String,
    /// Who reviewed it (a name, as typed: the reviewer need not have an account).
    pub by: String,
    /// When.
    pub on: crate::Date,
    /// The account that recorded it.
    pub recorded_by: String,
}

impl Cite {
    /// The review of the interface in this language, if recorded.
    pub fn interface_review(&self, lang: &str) -> Option<&InterfaceReview> {
        self.interface_reviews.iter().find(|r| r.lang == lang)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Programme {
    pub slug: Slug,
    /// "Programmation 2020-2022".
    pub title: String,
    pub start_year: i32,
    pub end_year: i32,
    pub axes: Vec<Axis>,
    pub actions: Vec<Action>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Axis {
    pub number: u8,
    /// The title the seminar programme gives ("La coopération entre tous les
    /// acteurs du champ éducatif").
    pub title: String,
    /// The section heading printed above its fiches ("LA COOPÉRATION ENTRE ACTEURS").
    pub heading: String,
    /// The ambition text (Markdown).
    pub ambition: String,
}

/// Which parts of a fiche were not printed but inferred by the importer.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inferred {
    pub number: bool,
    pub title: bool,
}

impl Inferred {
    pub fn any(self) -> bool {
        self.number || self.title
    }
}

/// One action of the programme, as its fiche describes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Action {
    pub fiche: FicheNumber,
    pub axis: u8,
    pub title: String,
    /// Other titles printed for this fiche (on its second page, say).
    pub title_variants: Vec<String>,
    pub inferred: Inferred,
    /// Markdown.
    pub description: String,
    pub objectives: Vec<String>,
    pub audiences: Vec<Audience>,
    pub perimeter: Vec<PerimeterEntry>,
    pub partners: Vec<Partner>,
    pub operators: Vec<Operator>,
    pub contacts: Vec<Contact>,
    pub resources: Vec<Resource>,
    pub themes: Vec<Theme>,
    /// Its review (*bilan*): statuses, indicators, the decision for the next programme.
    #[serde(default, skip_serializing_if = "crate::review::ActionReview::is_empty")]
    pub review: crate::review::ActionReview,
    /// The action of the previous programme it continues (`programme/fiche-n`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub predecessor: Option<String>,
    /// « En bref »: the action told in plain French (Markdown), written by
    /// the coordination; empty until someone writes it.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub plain_summary: String,
    /// Who reviewed the plain summary with readers it is written for (the
    /// easy-to-read standard asks for it): recorded, never presumed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plain_summary_reviewed_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plain_summary_reviewed_on: Option<crate::Date>,
    /// Its title and « En bref » in the families' languages.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub translations: Vec<Translation>,
}

/// The languages the family pages are translated into, besides French:
/// (code, name in French).
pub const FAMILY_LANGUAGES: [(&str, &str); 4] = [
    ("ar", "arabe"),
    ("tr", "turc"),
    ("pt", "portugais"),
    ("en", "anglais"),
];

/// An action's title and « En bref » in one of [`FAMILY_LANGUAGES`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Translation {
    /// `ar`, `tr`, `pt` or `en`.
    pub lang: String,
    pub title: String,
    #[serde(default)]
    pub summary: String,
    pub state: TranslationState,
    /// Who reviewed it, a reader of the language.
    #[serde(default)]
    pub reviewed_by: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TranslationState {
    /// *à traduire*: asked for, not written yet.
    ATraduire,
    /// *traduit*: written, not reviewed.
    Traduit,
    /// *relu*: reviewed by a reader of the language.
    Relu,
}

impl TranslationState {
    pub fn label(self) -> &'static str {
        match self {
            TranslationState::ATraduire => "à traduire",
            TranslationState::Traduit => "traduit",
            TranslationState::Relu => "relu",
        }
    }

    pub const ALL: [TranslationState; 3] = [
        TranslationState::ATraduire,
        TranslationState::Traduit,
        TranslationState::Relu,
    ];
}

impl Action {
    /// Its translation into `lang` that can be shown: written (translated
    /// or reviewed) and with a title.
    pub fn translation(&self, lang: &str) -> Option<&Translation> {
        self.translations.iter().find(|t| {
            t.lang == lang && t.state != TranslationState::ATraduire && !t.title.trim().is_empty()
        })
    }
}

impl Action {
    pub fn slug(&self) -> String {
        format!("fiche-{}", self.fiche)
    }

    /// Every age range this action's audiences print.
    pub fn age_ranges(&self) -> impl Iterator<Item = AgeRange> + '_ {
        self.audiences.iter().filter_map(|a| a.ages)
    }
}

/// Whom an action is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AudienceKind {
    /// Children, pupils, adolescents (the young people themselves).
    Enfants,
    /// Young adults (18–25).
    JeunesAdultes,
    /// Parents and families.
    Parents,
    /// Teachers and other professionals.
    Professionnels,
    /// Adults in general.
    Adultes,
}

impl AudienceKind {
    pub fn label(self) -> &'static str {
        match self {
            AudienceKind::Enfants => "Enfants et jeunes",
            AudienceKind::JeunesAdultes => "Jeunes adultes",
            AudienceKind::Parents => "Parents",
            AudienceKind::Professionnels => "Professionnels",
            AudienceKind::Adultes => "Adultes",
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            AudienceKind::Enfants => "enfants",
            AudienceKind::JeunesAdultes => "jeunes-adultes",
            AudienceKind::Parents => "parents",
            AudienceKind::Professionnels => "professionnels",
            AudienceKind::Adultes => "adultes",
        }
    }

    pub const ALL: [AudienceKind; 5] = [
        AudienceKind::Enfants,
        AudienceKind::JeunesAdultes,
        AudienceKind::Parents,
        AudienceKind::Professionnels,
        AudienceKind::Adultes,
    ];

    pub fn from_key(key: &str) -> Option<AudienceKind> {
        AudienceKind::ALL.into_iter().find(|k| k.key() == key)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Audience {
    /// The label as printed, line breaks joined ("Enfants", "Parents d'élèves").
    pub label: String,
    pub kind: AudienceKind,
    /// For parents, the ages of their children.
    pub ages: Option<AgeRange>,
    /// A note printed with it ("avec une priorité pour les 5-11 ans").
    pub note: Option<String>,
}

/// Where an entry of an action's perimeter comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PerimeterSource {
    /// Printed under "Périmètre".
    Printed,
    /// The sector named in the fiche's title, "(Secteur Nord)".
    Title,
    /// A place the description names as a site of the action.
    Text,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PerimeterEntry {
    pub territory: Slug,
    pub source: PerimeterSource,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Partner {
    /// As printed, line breaks joined.
    pub label: String,
    /// The organisation, when the label names one rather than a category
    /// ("Citéo" names one; "Associations" does not).
    pub organisation: Option<Slug>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum OperatorRole {
    /// *opérateur*: runs the action.
    Operateur,
    /// *prestataire*: contracted to deliver it.
    Prestataire,
}

impl OperatorRole {
    pub fn label(self) -> &'static str {
        match self {
            OperatorRole::Operateur => "opérateur",
            OperatorRole::Prestataire => "prestataire",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Operator {
    pub label: String,
    pub organisation: Option<Slug>,
    pub role: OperatorRole,
    /// "Huit centres sociaux": a count of unnamed organisations.
    pub count: Option<u32>,
}

/// A person to contact about an action, under a role group as printed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    pub person: Slug,
    /// "Troïka", "Ville", "Structure", "Médiathèque", "Région", …
    pub group: String,
    /// The name exactly as printed on this fiche.
    pub name: String,
    /// The email exactly as printed on this fiche.
    pub email: Option<String>,
    /// The phone exactly as printed on this fiche.
    pub phone: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resource {
    pub title: String,
    pub url: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum OrganisationKind {
    Association,
    Commune,
    ServiceMunicipal,
    ServiceEtat,
    CollectiviteTerritoriale,
    EducationNationale,
    Ecole,
    College,
    CentreSocial,
    Mediatheque,
    EtablissementPublic,
    Entreprise,
    Autre,
}

impl OrganisationKind {
    pub fn label(self) -> &'static str {
        match self {
            OrganisationKind::Association => "Association",
            OrganisationKind::Commune => "Commune",
            OrganisationKind::ServiceMunicipal => "Service municipal",
            OrganisationKind::ServiceEtat => "Service de l'État",
            OrganisationKind::CollectiviteTerritoriale => "Collectivité territoriale",
            OrganisationKind::EducationNationale => "Éducation nationale",
            OrganisationKind::Ecole => "École",
            OrganisationKind::College => "Collège",
            OrganisationKind::CentreSocial => "Centre social",
            OrganisationKind::Mediatheque => "Médiathèque",
            OrganisationKind::EtablissementPublic => "Établissement public",
            OrganisationKind::Entreprise => "Entreprise",
            OrganisationKind::Autre => "Autre",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Organisation {
    pub slug: Slug,
    pub name: String,
    pub acronym: Option<String>,
    pub kind: OrganisationKind,
    /// Other names it is printed under.
    pub aliases: Vec<String>,
    /// Email domains of its staff, used to attach people to it.
    pub email_domains: Vec<String>,
    /// The place it is, when it is a place of the territory (a social centre).
    pub territory: Option<Slug>,
    pub website: Option<String>,
    /// Its SIRET (14 digits, its key checked), for the subsidies it pays
    /// or receives (open data, conventions).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub siret: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub slug: Slug,
    /// The name in the form printed most often.
    pub name: String,
    /// Every other spelling printed.
    pub name_variants: Vec<String>,
    /// Functions printed for them ("Chargée de mission coordination cité éducative").
    pub functions: Vec<String>,
    pub organisation: Option<Slug>,
    /// Emails printed for them, the most frequent first.
    pub emails: Vec<Email>,
    /// Phones printed for them, the most frequent first.
    pub phones: Vec<Phone>,
    /// Who may see their emails: everyone (as the booklet printed them), or
    /// signed-in professionals only.
    #[serde(default, skip_serializing_if = "Visibility::is_public")]
    pub email_visibility: Visibility,
    /// Who may see their phones.
    #[serde(default, skip_serializing_if = "Visibility::is_public")]
    pub phone_visibility: Visibility,
}

/// Who may see a contact detail.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Visibility {
    /// Everyone, families included.
    #[default]
    Public,
    /// Signed-in professionals only.
    Professionnels,
}

impl Visibility {
    pub fn is_public(&self) -> bool {
        *self == Visibility::Public
    }

    pub fn key(self) -> &'static str {
        match self {
            Visibility::Public => "public",
            Visibility::Professionnels => "professionnels",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Visibility::Public => "Tout le monde (familles comprises)",
            Visibility::Professionnels => "Professionnels connectés seulement",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TerritoryKind {
    Cite,
    Secteur,
    ReseauRepPlus,
    Quartier,
    Ecole,
    College,
    CentreSocial,
}

impl TerritoryKind {
    pub fn label(self) -> &'static str {
        match self {
            TerritoryKind::Cite => "Ville",
            TerritoryKind::Secteur => "Secteur",
            TerritoryKind::ReseauRepPlus => "Réseau REP+",
            TerritoryKind::Quartier => "Quartier",
            TerritoryKind::Ecole => "École",
            TerritoryKind::College => "Collège",
            TerritoryKind::CentreSocial => "Centre social",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Territory {
    pub slug: Slug,
    pub name: String,
    pub kind: TerritoryKind,
    pub parent: Option<Slug>,
    /// Other names it is printed under ("Madame de Sévigné", "Sévigné").
    pub aliases: Vec<String>,
}

impl Catalogue {
    /// What the public (families, anonymous visitors) may see: the contact
    /// details a person keeps for professionals are removed everywhere they
    /// appear, on the person and on every fiche's contacts.
    pub fn public_view(&self) -> Catalogue {
        let mut out = self.clone();
        for p in &mut out.people {
            if !p.email_visibility.is_public() {
                p.emails.clear();
            }
            if !p.phone_visibility.is_public() {
                p.phones.clear();
            }
        }
        let hidden = |slug: &Slug| self.person(slug);
        for programme in &mut out.programmes {
            for action in &mut programme.actions {
                for c in &mut action.contacts {
                    if let Some(p) = hidden(&c.person) {
                        if !p.email_visibility.is_public() {
                            c.email = None;
                        }
                        if !p.phone_visibility.is_public() {
                            c.phone = None;
                        }
                    }
                }
            }
        }
        out
    }

    /// A text written about this catalogue (a quality report's message)
    /// as the public may read it: every email and phone that
    /// [`Catalogue::public_view`] removes is replaced by a mention that it
    /// is kept for professionals, whatever its case or its separators.
    pub fn public_text(&self, text: &str) -> String {
        const MASK: &str = "[coordonnée réservée aux professionnels]";
        let mut emails: Vec<String> = Vec::new();
        let mut phones: Vec<String> = Vec::new();
        let contacts = self
            .programmes
            .iter()
            .flat_map(|p| &p.actions)
            .flat_map(|a| &a.contacts);
        for p in &self.people {
            let theirs: Vec<&Contact> = contacts.clone().filter(|c| c.person == p.slug).collect();
            if !p.email_visibility.is_public() {
                emails.extend(p.emails.iter().map(|e| e.as_str().to_lowercase()));
                emails.extend(
                    theirs
                        .iter()
                        .filter_map(|c| c.email.as_ref())
                        .map(|e| e.trim().to_lowercase()),
                );
            }
            if !p.phone_visibility.is_public() {
                phones.extend(p.phones.iter().map(|n| phone_key(n.digits())));
                phones.extend(
                    theirs
                        .iter()
                        .filter_map(|c| c.phone.as_deref())
                        .map(phone_key),
                );
            }
        }
        emails.retain(|e| !e.is_empty());
        phones.retain(|n| n.len() >= 6);
        let mut out = text.to_owned();
        for email in &emails {
            while let Some(at) = find_case_blind(&out, email) {
                out.replace_range(at..at + email.len(), MASK);
            }
        }
        if phones.is_empty() {
            return out;
        }
        // Runs of digits and separators: those whose digits are a hidden
        // phone's are masked.
        let mut masked = String::with_capacity(out.len());
        let mut run = String::new();
        let flush = |run: &mut String, masked: &mut String| {
            let body = run.trim_end_matches(|c: char| !c.is_ascii_digit());
            let tail = &run[body.len()..];
            if phones.contains(&phone_key(body)) {
                masked.push_str(MASK);
            } else {
                masked.push_str(body);
            }
            masked.push_str(tail);
            run.clear();
        };
        for c in out.chars() {
            let digit_or_plus = c.is_ascii_digit() || (c == '+' && run.is_empty());
            if digit_or_plus || (!run.is_empty() && " .-\u{a0}".contains(c)) {
                run.push(c);
            } else {
                flush(&mut run, &mut masked);
                masked.push(c);
            }
        }
        flush(&mut run, &mut masked);
        masked
    }

    pub fn organisation(&self, slug: &Slug) -> Option<&Organisation> {
        self.organisations.iter().find(|o| &o.slug == slug)
    }

    pub fn person(&self, slug: &Slug) -> Option<&Person> {
        self.people.iter().find(|p| &p.slug == slug)
    }

    pub fn territory(&self, slug: &Slug) -> Option<&Territory> {
        self.territories.iter().find(|t| &t.slug == slug)
    }

    /// The territory and all its ancestors, nearest first. Stops on a cycle.
    pub fn territory_lineage(&self, slug: &Slug) -> Vec<&Territory> {
        let mut out: Vec<&Territory> = Vec::new();
        let mut next = self.territory(slug);
        while let Some(t) = next {
            if out.iter().any(|seen| seen.slug == t.slug) {
                break;
            }
            out.push(t);
            next = t.parent.as_ref().and_then(|p| self.territory(p));
        }
        out
    }

    /// All actions of all programmes, with the programme they belong to.
    pub fn actions(&self) -> impl Iterator<Item = (&Programme, &Action)> {
        self.programmes
            .iter()
            .flat_map(|p| p.actions.iter().map(move |a| (p, a)))
    }

    /// The programme currently shown: the one that ends last.
    pub fn current_programme(&self) -> Option<&Programme> {
        self.programmes
            .iter()
            .max_by_key(|p| (p.end_year, p.start_year))
    }
}

/// A phone's national digits (`+33 3 20…` and `03.20…` alike), to compare
/// two printings of one number.
fn phone_key(printed: &str) -> String {
    let digits: String = printed.chars().filter(char::is_ascii_digit).collect();
    match digits.strip_prefix("33") {
        Some(rest) if digits.len() == 11 => format!("0{rest}"),
        _ => digits,
    }
}

/// Where `needle` (lower case) first stands in `text`, ASCII letters
/// compared case-blind.
fn find_case_blind(text: &str, needle: &str) -> Option<usize> {
    let (text, needle) = (text.as_bytes(), needle.as_bytes());
    (0..=text.len().checked_sub(needle.len())?)
        .find(|&i| text[i..i + needle.len()].eq_ignore_ascii_case(needle))
}
