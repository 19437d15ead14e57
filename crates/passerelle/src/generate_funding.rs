//! Generated money, for measurement only (`passerelle generate-cites
//! --funding`): in each generated cité, for each action (fiches 1 to N)
//! and each year of the Roubaix programme (2020–2022), a line of the State
//! and one of the commune, requested, proposed and voted, half of them
//! paid an acompte; and the two envelopes of each year.

use std::io::Write;

use passerelle_domain::Date;
use passerelle_domain::funding::{Envelope, Funder, FundingLine, Payment, PaymentKind};
use passerelle_domain::money::Cents;
use passerelle_store::FundingStore;
use passerelle_store::calls::By;
use passerelle_store::funding::Put;

/// The years of the generated programme.
const YEARS: [i32; 3] = [2020, 2021, 2022];

/// One cité's lines and envelopes.
fn puts(actions: usize, seed: usize) -> anyhow::Result<Vec<Put>> {
    let mut out = Vec::new();
    for year in YEARS {
        let mut spent = [0_i64; 2];
        for k in 1..=actions {
            for (j, funder) in [Funder::Etat, Funder::Commune].into_iter().enumerate() {
                let base = i64::try_from(100_000 * (5 + (k * 7 + seed * 3 + j) % 40))?;
                let voted = base - base % 10_000;
                spent[j] += voted;
                let payments = if k % 2 == 0 {
                    vec![Payment {
                        date: Date::new(year, 4, 1).ok_or_else(|| anyhow::anyhow!("date"))?,
                        amount: Cents(voted / 2),
                        kind: PaymentKind::Acompte,
                    }]
                } else {
                    Vec::new()
                };
                out.push(Put::Line {
                    line: FundingLine {
                        requested: Cents(base + 50_000),
                        proposed: Cents(voted),
                        voted: Cents(voted),
                        committed: Cents(voted),
                        decision: Some((
                            Date::new(year, 3, 15).ok_or_else(|| anyhow::anyhow!("date"))?,
                            format!("CP-{year}-{k:02}"),
                        )),
                        payments,
                        ..FundingLine::new(u32::try_from(k)?, year, funder)
                    },
                    expected: None,
                });
            }
        }
        for (j, source) in [Funder::Etat, Funder::Commune].into_iter().enumerate() {
            out.push(Put::Envelope(Envelope {
                year,
                source,
                amount: Cents(spent[j] + 1_000_000),
            }));
        }
    }
    Ok(out)
}

pub(crate) async fn generate_all(
    out: &mut impl Write,
    store: &dyn FundingStore,
    count: usize,
    actions: usize,
) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let by = By {
        actor: "generate-cites",
        now: passerelle_store::rows::unix_now(),
    };
    let mut lines = 0;
    for i in 1..=count {
        let puts = puts(actions, i)?;
        lines += puts
            .iter()
            .filter(|p| matches!(p, Put::Line { .. }))
            .count();
        store
            .save_funding(&format!("generee-{i:03}"), &puts, by, "données générées")
            .await?
            .ok_or_else(|| {
                anyhow::anyhow!(
                    "generee-{i:03} : les financements ont changé pendant la génération"
                )
            })?;
    }
    writeln!(
        out,
        "{lines} lignes de financement générées ({count} cités × {actions} actions × {} ans × 2 financeurs) en {:.1} s",
        YEARS.len(),
        started.elapsed().as_secs_f64()
    )?;
    Ok(())
}
