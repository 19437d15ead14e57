//! The read-only JSON API under `/api/v1`, and its OpenAPI document. The wire
//! types here are the API's contract; domain types never go out as they are.

use axum::Json;
use axum::extract::{Path, RawQuery};
use passerelle_domain::{Action, Organisation, Person, Programme, Slug, Territory};
use serde::Serialize;
use utoipa::{IntoParams, OpenApi, ToSchema};

use crate::shared::ctx::Seen;
use crate::shared::error::{ApiError, AppError, ErrorBody};
use crate::shared::params::{self, API, get};
use crate::shared::state::Snapshot;

const DEFAULT_PER_PAGE: usize = 20;
const MAX_PER_PAGE: usize = 100;

/// A page of results.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct Page<T> {
    pub(crate) items: Vec<T>,
    pub(crate) page: usize,
    pub(crate) per_page: usize,
    pub(crate) total: usize,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct AgeRangeView {
    pub(crate) min: u32,
    pub(crate) max: u32,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct AudienceView {
    pub(crate) label: String,
    /// `enfants`, `jeunes-adultes`, `parents`, `professionnels` or `adultes`.
    pub(crate) kind: String,
    pub(crate) ages: Option<AgeRangeView>,
    pub(crate) note: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ActionSummary {
    pub(crate) fiche: u32,
    pub(crate) title: String,
    pub(crate) axis: u8,
    pub(crate) audiences: Vec<AudienceView>,
    pub(crate) themes: Vec<String>,
    pub(crate) url: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct NamedLink {
    pub(crate) label: String,
    /// The organisation's slug, when the label names one.
    pub(crate) organisation: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct OperatorView {
    pub(crate) label: String,
    pub(crate) organisation: Option<String>,
    /// `operateur` or `prestataire`.
    pub(crate) role: String,
    pub(crate) count: Option<u32>,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ContactView {
    pub(crate) person: String,
    pub(crate) group: String,
    pub(crate) name: String,
    pub(crate) email: Option<String>,
    pub(crate) phone: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct PlaceView {
    pub(crate) territory: String,
    /// `printed`, `title` or `text`: where the booklet says it.
    pub(crate) source: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ResourceView {
    pub(crate) title: String,
    pub(crate) url: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ActionDetail {
    pub(crate) fiche: u32,
    pub(crate) title: String,
    pub(crate) title_variants: Vec<String>,
    pub(crate) number_inferred: bool,
    pub(crate) title_inferred: bool,
    pub(crate) axis: u8,
    pub(crate) programme: String,
    /// Markdown.
    pub(crate) description: String,
    pub(crate) objectives: Vec<String>,
    pub(crate) audiences: Vec<AudienceView>,
    pub(crate) perimeter: Vec<PlaceView>,
    pub(crate) partners: Vec<NamedLink>,
    pub(crate) operators: Vec<OperatorView>,
    pub(crate) contacts: Vec<ContactView>,
    pub(crate) resources: Vec<ResourceView>,
    pub(crate) themes: Vec<String>,
    pub(crate) url: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct FacetCountView {
    pub(crate) key: String,
    pub(crate) label: String,
    pub(crate) count: usize,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct FacetsView {
    pub(crate) axis: Vec<FacetCountView>,
    pub(crate) audience: Vec<FacetCountView>,
    pub(crate) age: Vec<FacetCountView>,
    pub(crate) territory: Vec<FacetCountView>,
    pub(crate) partner: Vec<FacetCountView>,
    pub(crate) operator: Vec<FacetCountView>,
    pub(crate) theme: Vec<FacetCountView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ActionSearch {
    pub(crate) items: Vec<ActionSummary>,
    pub(crate) page: usize,
    pub(crate) per_page: usize,
    pub(crate) total: usize,
    pub(crate) facets: FacetsView,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct AxisView {
    pub(crate) number: u8,
    pub(crate) title: String,
    pub(crate) heading: String,
    pub(crate) ambition: String,
    pub(crate) actions: Vec<u32>,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ProgrammeView {
    pub(crate) slug: String,
    pub(crate) title: String,
    pub(crate) start_year: i32,
    pub(crate) end_year: i32,
    pub(crate) cite: String,
    pub(crate) axes: Vec<AxisView>,
    pub(crate) actions: usize,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct OrganisationView {
    pub(crate) slug: String,
    pub(crate) name: String,
    pub(crate) acronym: Option<String>,
    pub(crate) kind: String,
    pub(crate) aliases: Vec<String>,
    pub(crate) website: Option<String>,
    pub(crate) territory: Option<String>,
    /// Fiches this organisation runs.
    pub(crate) operates: Vec<u32>,
    /// Fiches it is a partner of.
    pub(crate) partner_of: Vec<u32>,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct PersonView {
    pub(crate) slug: String,
    pub(crate) name: String,
    pub(crate) name_variants: Vec<String>,
    pub(crate) functions: Vec<String>,
    pub(crate) organisation: Option<String>,
    pub(crate) emails: Vec<String>,
    pub(crate) phones: Vec<String>,
    /// Fiches this person is a contact for.
    pub(crate) contact_for: Vec<u32>,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct TerritoryView {
    pub(crate) slug: String,
    pub(crate) name: String,
    pub(crate) kind: String,
    pub(crate) parent: Option<String>,
    pub(crate) aliases: Vec<String>,
}

/// The accepted values of `theme`: the domain's taxonomy, never a copy of it.
fn themes_schema() -> utoipa::openapi::Array {
    use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Type};
    let keys = passerelle_domain::Theme::ALL.iter().map(|t| t.key());
    ArrayBuilder::new()
        .items(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .enum_values(Some(keys)),
        )
        .build()
}

/// The accepted values of `audience`, from the domain.
fn audience_schema() -> utoipa::openapi::Object {
    use utoipa::openapi::schema::{ObjectBuilder, Type};
    let keys = passerelle_domain::AudienceKind::ALL.iter().map(|k| k.key());
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(keys))
        .build()
}

/// Parameters of the action search. An empty value is refused (400).
#[derive(Debug, IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(
    dead_code,
    reason = "describes the query string for the OpenAPI document; parsed by `params`"
)]
pub(crate) struct ActionQuery {
    /// Words to look for (French full text).
    #[param(max_length = 200)]
    q: Option<String>,
    /// An age in years (`10`) or an age band (`6-10`), 0 to 120: actions whose
    /// printed audience ages include it.
    #[param(pattern = "^(120|1[01][0-9]|[1-9]?[0-9])(-(120|1[01][0-9]|[1-9]?[0-9]))?$")]
    age: Option<String>,
    /// Axis number.
    #[param(minimum = 1, maximum = 255)]
    axis: Option<u8>,
    /// A need; repeat the parameter for several (an action matches any of them).
    #[param(schema_with = themes_schema)]
    theme: Option<Vec<String>>,
    /// Whom the action is for.
    #[param(schema_with = audience_schema)]
    audience: Option<String>,
    /// Territory slug (see `/api/v1/territories`).
    #[param(pattern = "^[a-z0-9]+(-[a-z0-9]+)*$", max_length = 120)]
    territory: Option<String>,
    /// Partner: organisation slug, or the slug of a partner label.
    #[param(pattern = "^[a-z0-9]+(-[a-z0-9]+)*$", max_length = 120)]
    partner: Option<String>,
    /// Operator: organisation slug, or the slug of an operator label.
    #[param(pattern = "^[a-z0-9]+(-[a-z0-9]+)*$", max_length = 120)]
    operator: Option<String>,
    /// Page number, from 1.
    #[param(minimum = 1, maximum = 1000000)]
    page: Option<usize>,
    /// Items per page, 1 to 100 (default 20).
    #[param(minimum = 1, maximum = 100)]
    per_page: Option<usize>,
}

/// Paging parameters of the lists.
#[derive(Debug, IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(
    dead_code,
    reason = "describes the query string for the OpenAPI document; parsed by `paging`"
)]
pub(crate) struct PageQuery {
    /// Page number, from 1.
    #[param(minimum = 1, maximum = 1000000)]
    page: Option<usize>,
    /// Items per page, 1 to 100 (default 20).
    #[param(minimum = 1, maximum = 100)]
    per_page: Option<usize>,
}

/// The API refuses empty values: `?age=` is a mistake, not "no age".
fn refuse_empty(pairs: &[(String, String)]) -> Result<(), ApiError> {
    const NAMED: [&str; 9] = [
        "age",
        "axis",
        "theme",
        "audience",
        "territory",
        "partner",
        "operator",
        "page",
        "per_page",
    ];
    match pairs
        .iter()
        .find(|(k, v)| NAMED.contains(&k.as_str()) && v.trim().is_empty())
    {
        Some((k, _)) => Err(AppError::BadRequest(k.clone(), "valeur vide".into()).api()),
        None => match params::get(pairs, "q") {
            Some(q) if q.chars().count() > 200 => {
                Err(AppError::BadRequest("q".into(), "200 caractères au plus".into()).api())
            }
            _ => Ok(()),
        },
    }
}

fn paging(pairs: &[(String, String)]) -> Result<(usize, usize), ApiError> {
    refuse_empty(pairs)?;
    let read = |name: &str, default: usize, max: usize| -> Result<usize, ApiError> {
        match get(pairs, name) {
            None => Ok(default),
            Some(v) => v
                .parse::<usize>()
                .ok()
                .filter(|n| (1..=max).contains(n))
                .ok_or_else(|| {
                    AppError::BadRequest(
                        name.into(),
                        format!("« {v} » : un nombre entre 1 et {max} est attendu"),
                    )
                    .api()
                }),
        }
    };
    Ok((
        read("page", 1, 1_000_000)?,
        read("per_page", DEFAULT_PER_PAGE, MAX_PER_PAGE)?,
    ))
}

fn paginate<T>(all: Vec<T>, page: usize, per_page: usize) -> Page<T> {
    let total = all.len();
    let items = all
        .into_iter()
        .skip((page - 1) * per_page)
        .take(per_page)
        .collect();
    Page {
        items,
        page,
        per_page,
        total,
    }
}

fn programme(s: &Snapshot) -> Result<&Programme, ApiError> {
    s.programme()
        .ok_or_else(|| AppError::NotFound("aucun programme chargé".into()).api())
}

fn audiences(a: &Action) -> Vec<AudienceView> {
    a.audiences
        .iter()
        .map(|x| AudienceView {
            label: x.label.clone(),
            kind: x.kind.key().to_owned(),
            ages: x.ages.map(|r| AgeRangeView {
                min: r.min(),
                max: r.max(),
            }),
            note: x.note.clone(),
        })
        .collect()
}

fn summary(here: &crate::shared::cites::Here, a: &Action) -> ActionSummary {
    ActionSummary {
        fiche: a.fiche.get(),
        title: a.title.clone(),
        axis: a.axis,
        audiences: audiences(a),
        themes: a.themes.iter().map(|t| t.key().to_owned()).collect(),
        url: here.api_url(&format!("/actions/{}", a.fiche)),
    }
}

fn facets(f: &passerelle_search::Facets) -> FacetsView {
    let v = |list: &[passerelle_search::FacetCount]| {
        list.iter()
            .map(|c| FacetCountView {
                key: c.key.clone(),
                label: c.label.clone(),
                count: c.count,
            })
            .collect()
    };
    FacetsView {
        axis: v(&f.axis),
        audience: v(&f.audience),
        age: v(&f.age),
        territory: v(&f.territory),
        partner: v(&f.partner),
        operator: v(&f.operator),
        theme: v(&f.theme),
    }
}

/// Lists and searches actions, with the same filters as the search page.
#[utoipa::path(get, path = "/api/v1/actions", params(ActionQuery), tag = "actions",
    responses((status = 200, body = ActionSearch), (status = 400, body = ErrorBody)))]
pub(crate) async fn actions(
    s: Seen,
    RawQuery(raw): RawQuery,
) -> Result<Json<ActionSearch>, ApiError> {
    let p = programme(&s)?;
    let pairs = params::pairs(raw.as_deref())?;
    refuse_empty(&pairs)?;
    let (q, filter) = params::filter(&pairs, API)?;
    let (page, per_page) = paging(&pairs)?;
    let results = s
        .index
        .search(&s.catalogue, &q, &filter)
        .map_err(AppError::from)?;
    let all: Vec<ActionSummary> = results
        .actions
        .iter()
        .filter_map(|h| h.action(&s.catalogue))
        .filter(|(programme, _)| programme.slug == p.slug)
        .map(|(_, a)| summary(&s.here, a))
        .collect();
    let Page { items, total, .. } = paginate(all, page, per_page);
    Ok(Json(ActionSearch {
        items,
        page,
        per_page,
        total,
        facets: facets(&results.facets),
    }))
}

/// One action, every field of its fiche.
#[utoipa::path(get, path = "/api/v1/actions/{fiche}", tag = "actions",
    params(("fiche" = u32, Path, description = "Fiche number")),
    responses((status = 200, body = ActionDetail), (status = 404, body = ErrorBody)))]
pub(crate) async fn action(
    s: Seen,
    Path(fiche): Path<String>,
) -> Result<Json<ActionDetail>, ApiError> {
    let (p, a) = fiche
        .parse::<u32>()
        .ok()
        .and_then(|n| s.action(n))
        .ok_or_else(|| AppError::NotFound(format!("pas de fiche n°{fiche}")).api())?;
    Ok(Json(ActionDetail {
        fiche: a.fiche.get(),
        title: a.title.clone(),
        title_variants: a.title_variants.clone(),
        number_inferred: a.inferred.number,
        title_inferred: a.inferred.title,
        axis: a.axis,
        programme: p.slug.to_string(),
        description: a.description.clone(),
        objectives: a.objectives.clone(),
        audiences: audiences(a),
        perimeter: a
            .perimeter
            .iter()
            .map(|e| PlaceView {
                territory: e.territory.to_string(),
                source: match e.source {
                    passerelle_domain::PerimeterSource::Printed => "printed",
                    passerelle_domain::PerimeterSource::Title => "title",
                    passerelle_domain::PerimeterSource::Text => "text",
                }
                .to_owned(),
            })
            .collect(),
        partners: a
            .partners
            .iter()
            .map(|x| NamedLink {
                label: x.label.clone(),
                organisation: x.organisation.as_ref().map(ToString::to_string),
            })
            .collect(),
        operators: a
            .operators
            .iter()
            .map(|o| OperatorView {
                label: o.label.clone(),
                organisation: o.organisation.as_ref().map(ToString::to_string),
                role: match o.role {
                    passerelle_domain::OperatorRole::Operateur => "operateur",
                    passerelle_domain::OperatorRole::Prestataire => "prestataire",
                }
                .to_owned(),
                count: o.count,
            })
            .collect(),
        contacts: a
            .contacts
            .iter()
            .map(|c| ContactView {
                person: c.person.to_string(),
                group: c.group.clone(),
                name: c.name.clone(),
                email: c.email.clone(),
                phone: c.phone.clone(),
            })
            .collect(),
        resources: a
            .resources
            .iter()
            .map(|r| ResourceView {
                title: r.title.clone(),
                url: r.url.clone(),
            })
            .collect(),
        themes: a.themes.iter().map(|t| t.key().to_owned()).collect(),
        url: s.here.url(&format!("/actions/{}", a.fiche)),
    }))
}

fn axes(p: &Programme) -> Vec<AxisView> {
    p.axes
        .iter()
        .map(|x| AxisView {
            number: x.number,
            title: x.title.clone(),
            heading: x.heading.clone(),
            ambition: x.ambition.clone(),
            actions: p
                .actions
                .iter()
                .filter(|a| a.axis == x.number)
                .map(|a| a.fiche.get())
                .collect(),
        })
        .collect()
}

/// The axes of the current programme.
#[utoipa::path(get, path = "/api/v1/axes", tag = "programme", responses((status = 200, body = Vec<AxisView>)))]
pub(crate) async fn axes_list(s: Seen) -> Result<Json<Vec<AxisView>>, ApiError> {
    Ok(Json(axes(programme(&s)?)))
}

/// The current programme.
#[utoipa::path(get, path = "/api/v1/programme", tag = "programme", responses((status = 200, body = ProgrammeView)))]
pub(crate) async fn programme_view(s: Seen) -> Result<Json<ProgrammeView>, ApiError> {
    let p = programme(&s)?;
    Ok(Json(ProgrammeView {
        slug: p.slug.to_string(),
        title: p.title.clone(),
        start_year: p.start_year,
        end_year: p.end_year,
        cite: s.catalogue.cite.name.clone(),
        axes: axes(p),
        actions: p.actions.len(),
    }))
}

fn organisation_view(p: Option<&Programme>, o: &Organisation) -> OrganisationView {
    let fiches = |pred: &dyn Fn(&Action) -> bool| -> Vec<u32> {
        p.map(|p| {
            p.actions
                .iter()
                .filter(|a| pred(a))
                .map(|a| a.fiche.get())
                .collect()
        })
        .unwrap_or_default()
    };
    OrganisationView {
        slug: o.slug.to_string(),
        name: o.name.clone(),
        acronym: o.acronym.clone(),
        kind: serde_json::to_value(o.kind)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default(),
        aliases: o.aliases.clone(),
        website: o.website.clone(),
        territory: o.territory.as_ref().map(ToString::to_string),
        operates: fiches(&|a| {
            a.operators
                .iter()
                .any(|x| x.organisation.as_ref() == Some(&o.slug))
        }),
        partner_of: fiches(&|a| {
            a.partners
                .iter()
                .any(|x| x.organisation.as_ref() == Some(&o.slug))
        }),
    }
}

fn person_view(p: Option<&Programme>, x: &Person) -> PersonView {
    PersonView {
        slug: x.slug.to_string(),
        name: x.name.clone(),
        name_variants: x.name_variants.clone(),
        functions: x.functions.clone(),
        organisation: x.organisation.as_ref().map(ToString::to_string),
        emails: x.emails.iter().map(ToString::to_string).collect(),
        phones: x.phones.iter().map(|p| p.digits().to_owned()).collect(),
        contact_for: p
            .map(|p| {
                p.actions
                    .iter()
                    .filter(|a| a.contacts.iter().any(|c| c.person == x.slug))
                    .map(|a| a.fiche.get())
                    .collect()
            })
            .unwrap_or_default(),
    }
}

fn territory_view(t: &Territory) -> TerritoryView {
    TerritoryView {
        slug: t.slug.to_string(),
        name: t.name.clone(),
        kind: serde_json::to_value(t.kind)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default(),
        parent: t.parent.as_ref().map(ToString::to_string),
        aliases: t.aliases.clone(),
    }
}

fn slug_or_404(slug: &str, what: &str) -> Result<Slug, ApiError> {
    Slug::parse(slug).map_err(|_| AppError::NotFound(format!("{what} « {slug} » inconnu(e)")).api())
}

/// Organisations of the directory.
#[utoipa::path(get, path = "/api/v1/organisations", tag = "directory", params(PageQuery),
    responses((status = 200, body = Page<OrganisationView>), (status = 400, body = ErrorBody)))]
pub(crate) async fn organisations(
    s: Seen,
    RawQuery(raw): RawQuery,
) -> Result<Json<Page<OrganisationView>>, ApiError> {
    let (page, per_page) = paging(&params::pairs(raw.as_deref())?)?;
    let all = s
        .catalogue
        .organisations
        .iter()
        .map(|o| organisation_view(s.programme(), o))
        .collect();
    Ok(Json(paginate(all, page, per_page)))
}

/// One organisation.
#[utoipa::path(get, path = "/api/v1/organisations/{slug}", tag = "directory",
    params(("slug" = String, Path, description = "Organisation slug")),
    responses((status = 200, body = OrganisationView), (status = 404, body = ErrorBody)))]
pub(crate) async fn organisation(
    s: Seen,
    Path(slug): Path<String>,
) -> Result<Json<OrganisationView>, ApiError> {
    let k = slug_or_404(&slug, "organisation")?;
    let o = s
        .catalogue
        .organisation(&k)
        .ok_or_else(|| AppError::NotFound(format!("organisation « {slug} » inconnue")).api())?;
    Ok(Json(organisation_view(s.programme(), o)))
}

/// People of the directory.
#[utoipa::path(get, path = "/api/v1/people", tag = "directory", params(PageQuery),
    responses((status = 200, body = Page<PersonView>), (status = 400, body = ErrorBody)))]
pub(crate) async fn people(
    s: Seen,
    RawQuery(raw): RawQuery,
) -> Result<Json<Page<PersonView>>, ApiError> {
    let (page, per_page) = paging(&params::pairs(raw.as_deref())?)?;
    let all = s
        .catalogue
        .people
        .iter()
        .map(|p| person_view(s.programme(), p))
        .collect();
    Ok(Json(paginate(all, page, per_page)))
}

/// One person.
#[utoipa::path(get, path = "/api/v1/people/{slug}", tag = "directory",
    params(("slug" = String, Path, description = "Person slug")),
    responses((status = 200, body = PersonView), (status = 404, body = ErrorBody)))]
pub(crate) async fn person(
    s: Seen,
    Path(slug): Path<String>,
) -> Result<Json<PersonView>, ApiError> {
    let k = slug_or_404(&slug, "personne")?;
    let p = s
        .catalogue
        .person(&k)
        .ok_or_else(|| AppError::NotFound(format!("personne « {slug} » inconnue")).api())?;
    Ok(Json(person_view(s.programme(), p)))
}

/// Territories: cité, sectors, REP+ networks, neighbourhoods, establishments.
#[utoipa::path(get, path = "/api/v1/territories", tag = "directory", params(PageQuery),
    responses((status = 200, body = Page<TerritoryView>), (status = 400, body = ErrorBody)))]
pub(crate) async fn territories(
    s: Seen,
    RawQuery(raw): RawQuery,
) -> Result<Json<Page<TerritoryView>>, ApiError> {
    let (page, per_page) = paging(&params::pairs(raw.as_deref())?)?;
    Ok(Json(paginate(
        s.catalogue.territories.iter().map(territory_view).collect(),
        page,
        per_page,
    )))
}

/// One territory.
#[utoipa::path(get, path = "/api/v1/territories/{slug}", tag = "directory",
    params(("slug" = String, Path, description = "Territory slug")),
    responses((status = 200, body = TerritoryView), (status = 404, body = ErrorBody)))]
pub(crate) async fn territory(
    s: Seen,
    Path(slug): Path<String>,
) -> Result<Json<TerritoryView>, ApiError> {
    let k = slug_or_404(&slug, "territoire")?;
    let t = s
        .catalogue
        .territory(&k)
        .ok_or_else(|| AppError::NotFound(format!("territoire « {slug} » inconnu")).api())?;
    Ok(Json(territory_view(t)))
}

/// The catalogue's part of the OpenAPI document (assembled in `openapi.rs`).
#[derive(OpenApi)]
#[openapi(
    paths(actions, action, axes_list, programme_view, organisations, organisation, people, person, territories, territory),
    components(schemas(ErrorBody)),
    tags((name = "actions"), (name = "programme"), (name = "directory"))
)]
pub(crate) struct Doc;
