//! Query strings into search filters, with French errors naming the
//! parameter. Pages and the API share the rules; only the names differ.

use passerelle_domain::{ActionFilter, AudienceKind, Slug, Theme};

use crate::shared::error::AppError;

/// The parameter names of one surface (the pages are in French).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Names {
    pub(crate) q: &'static str,
    pub(crate) age: &'static str,
    pub(crate) axis: &'static str,
    pub(crate) audience: &'static str,
    pub(crate) theme: &'static str,
    pub(crate) territory: &'static str,
    pub(crate) partner: &'static str,
    pub(crate) operator: &'static str,
}

pub(crate) const PAGE: Names = Names {
    q: "q",
    age: "age",
    axis: "axe",
    audience: "public",
    theme: "theme",
    territory: "territoire",
    partner: "partenaire",
    operator: "operateur",
};

pub(crate) const API: Names = Names {
    q: "q",
    age: "age",
    axis: "axis",
    audience: "audience",
    theme: "theme",
    territory: "territory",
    partner: "partner",
    operator: "operator",
};

/// The decoded `key=value` pairs of a query string.
pub(crate) fn pairs(raw: Option<&str>) -> Result<Vec<(String, String)>, AppError> {
    serde_urlencoded::from_str(raw.unwrap_or(""))
        .map_err(|_| AppError::BadRequest("?".into(), "adresse mal formée".into()))
}

pub(crate) fn get<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(k, v)| k == name && !v.trim().is_empty())
        .map(|(_, v)| v.trim())
}

pub(crate) fn number<T: std::str::FromStr>(
    pairs: &[(String, String)],
    name: &str,
    what: &str,
) -> Result<Option<T>, AppError> {
    get(pairs, name)
        .map(|v| {
            v.parse::<T>()
                .map_err(|_| AppError::BadRequest(name.into(), format!("« {v} » n'est pas {what}")))
        })
        .transpose()
}

fn slug(pairs: &[(String, String)], name: &str) -> Result<Option<Slug>, AppError> {
    get(pairs, name)
        .map(|v| {
            Slug::parse(v).map_err(|_| {
                AppError::BadRequest(name.into(), format!("« {v} » n'est pas un identifiant"))
            })
        })
        .transpose()
}

/// The text and the filter a query string asks for.
pub(crate) fn filter(
    pairs: &[(String, String)],
    n: Names,
) -> Result<(String, ActionFilter), AppError> {
    // `age=10` is one age; `age=6-10` a band.
    let (age, ages) = match get(pairs, n.age) {
        None => (None, None),
        Some(v) => {
            let bad = || {
                AppError::BadRequest(
                    n.age.into(),
                    format!(
                        "« {v} » n'est pas un âge (10) ni une tranche d'âge (6-10) entre 0 et 120 ans"
                    ),
                )
            };
            match v.split_once('-') {
                Some((a, b)) => {
                    let (a, b) = (
                        a.trim().parse::<u32>().map_err(|_| bad())?,
                        b.trim().parse::<u32>().map_err(|_| bad())?,
                    );
                    (
                        None,
                        // A band given upside down ("10-6") is the same band.
                        Some(
                            passerelle_domain::AgeRange::new(a.min(b), a.max(b))
                                .map_err(|_| bad())?,
                        ),
                    )
                }
                None => {
                    let a = v.parse::<u32>().map_err(|_| bad())?;
                    if a > 120 {
                        return Err(bad());
                    }
                    (Some(a), None)
                }
            }
        }
    };
    let themes = pairs
        .iter()
        .filter(|(k, v)| k == n.theme && !v.is_empty())
        .map(|(_, v)| {
            Theme::from_key(v).ok_or_else(|| {
                AppError::BadRequest(n.theme.into(), format!("« {v} » n'est pas un besoin connu"))
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let audience = get(pairs, n.audience)
        .map(|v| {
            AudienceKind::from_key(v).ok_or_else(|| {
                AppError::BadRequest(
                    n.audience.into(),
                    format!("« {v} » n'est pas un public connu"),
                )
            })
        })
        .transpose()?;
    let filter = ActionFilter {
        age,
        ages,
        axis: match number::<u8>(pairs, n.axis, "un numéro d'axe")? {
            Some(0) => {
                return Err(AppError::BadRequest(
                    n.axis.into(),
                    "les axes sont numérotés à partir de 1".into(),
                ));
            }
            other => other,
        },
        audience,
        themes,
        territory: slug(pairs, n.territory)?,
        partner: slug(pairs, n.partner)?,
        operator: slug(pairs, n.operator)?,
    };
    let q: String = get(pairs, n.q).unwrap_or("").chars().take(200).collect();
    Ok((q, filter))
}

/// The query string of a filter, in a surface's names (for links and facets).
pub(crate) fn query_string(q: &str, f: &ActionFilter, n: Names) -> Vec<(&'static str, String)> {
    let mut out: Vec<(&'static str, String)> = Vec::new();
    if !q.is_empty() {
        out.push((n.q, q.to_owned()));
    }
    if let Some(a) = f.age {
        out.push((n.age, a.to_string()));
    } else if let Some(r) = f.ages {
        out.push((n.age, format!("{}-{}", r.min(), r.max())));
    }
    if let Some(a) = f.axis {
        out.push((n.axis, a.to_string()));
    }
    if let Some(a) = f.audience {
        out.push((n.audience, a.key().to_owned()));
    }
    for t in &f.themes {
        out.push((n.theme, t.key().to_owned()));
    }
    if let Some(t) = &f.territory {
        out.push((n.territory, t.to_string()));
    }
    if let Some(t) = &f.partner {
        out.push((n.partner, t.to_string()));
    }
    if let Some(t) = &f.operator {
        out.push((n.operator, t.to_string()));
    }
    out
}

pub(crate) fn encode(pairs: &[(&str, String)]) -> String {
    serde_urlencoded::to_string(pairs).unwrap_or_default()
}
