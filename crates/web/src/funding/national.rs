//! The national money synthesis: for a year, every cité's lines summed by
//! funder — requested, proposed, voted, committed, paid — by the database
//! (one `GROUP BY`), then across cités. For the national readers and the
//! instance's administrators.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use passerelle_domain::InstanceRole;
use passerelle_domain::funding::Funder;
use passerelle_domain::money::Cents;

use super::store_error;
use crate::shared::ctx::SignedIn;
use crate::shared::error::AppError;
use crate::shared::form::Submitted;
use crate::shared::layout::{Meta, Nav, no_store, render};
use crate::shared::state::AppState;

/// One row of sums: (who, lines, requested, proposed, voted, committed,
/// paid), amounts written the French way.
pub(crate) type SumRow = (String, i64, [String; 5]);

#[derive(Template)]
#[template(path = "funding/national.html")]
pub(crate) struct NationalMoney {
    pub(crate) meta: Meta,
    pub(crate) year: i32,
    /// (caption, first column's header, rows).
    pub(crate) tables: Vec<(&'static str, &'static str, Vec<SumRow>)>,
    pub(crate) total: SumRow,
}

/// The national level only.
pub(crate) fn national(who: &SignedIn) -> Result<(), AppError> {
    if who.account.is(InstanceRole::LecteurNational) || who.account.is(InstanceRole::Administrateur)
    {
        Ok(())
    } else {
        Err(AppError::Forbidden(
            "La synthèse nationale est réservée au niveau national.".into(),
        ))
    }
}

#[derive(Default, Clone, Copy)]
struct Sums {
    lines: i64,
    amounts: [Cents; 5],
}

impl Sums {
    fn add(&mut self, lines: i64, amounts: [Cents; 5]) {
        self.lines += lines;
        for (sum, a) in self.amounts.iter_mut().zip(amounts) {
            *sum = Cents(sum.0 + a.0);
        }
    }

    fn row(self, who: String) -> SumRow {
        (who, self.lines, self.amounts.map(Cents::french))
    }
}

/// `GET /national/financements?annee=…`.
pub(crate) async fn page(
    State(state): State<AppState>,
    who: SignedIn,
    Query(asked): Query<Submitted>,
) -> Result<Response, AppError> {
    national(&who)?;
    let editing = state.editing_open()?;
    let this = crate::shared::text::paris_year(crate::shared::ctx::unix_now());
    let year: i32 = asked
        .get("annee")
        .parse()
        .ok()
        .filter(|y| (1900..=2100).contains(y))
        .unwrap_or(this);
    let totals = editing
        .funding
        .funding_totals(Some(year))
        .await
        .map_err(store_error)?;
    let mut funders: Vec<(Funder, Sums)> = Vec::new();
    let mut cites: Vec<(String, Sums)> = Vec::new();
    let mut total = Sums::default();
    for t in &totals {
        let amounts = [t.requested, t.proposed, t.voted, t.committed, t.paid];
        total.add(t.lines, amounts);
        match funders.iter_mut().find(|(f, _)| *f == t.funder) {
            Some((_, s)) => s.add(t.lines, amounts),
            None => {
                let mut s = Sums::default();
                s.add(t.lines, amounts);
                funders.push((t.funder.clone(), s));
            }
        }
        match cites.iter_mut().find(|(c, _)| *c == t.cite) {
            Some((_, s)) => s.add(t.lines, amounts),
            None => {
                let mut s = Sums::default();
                s.add(t.lines, amounts);
                cites.push((t.cite.clone(), s));
            }
        }
    }
    funders.sort_by(|a, b| a.0.cmp(&b.0));
    let name = |slug: &str| {
        state.tenant(slug).map_or_else(
            || slug.to_owned(),
            |t| t.snapshot().catalogue.cite.name.clone(),
        )
    };
    let p = NationalMoney {
        meta: who.meta(
            format!("Financements {year} : synthèse nationale"),
            Nav::None,
        ),
        year,
        tables: vec![
            (
                "Par financeur",
                "Financeur",
                funders.into_iter().map(|(f, s)| s.row(f.label())).collect(),
            ),
            (
                "Par cité",
                "Cité",
                cites.into_iter().map(|(c, s)| s.row(name(&c))).collect(),
            ),
        ],
        total: total.row("Toutes les cités".into()),
    };
    Ok(no_store(render(&p)?.into_response()))
}
