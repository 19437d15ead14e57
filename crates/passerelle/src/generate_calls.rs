//! Generated calls for projects, for measurement only (`passerelle
//! generate-cites --applications N`): in each generated cité, one
//! published call with a grid of three criteria, N applications submitted
//! and in instruction, and three reviewers (`evaluateur-1@<cité>.example`…)
//! who scored every one of them.

use std::io::Write;

use passerelle_domain::call::application::{BudgetRow, Form};
use passerelle_domain::call::{Call, Criterion, Event, ParisTime, Score, State, Step, StepKind};
use passerelle_domain::{ClockTime, Date};
use passerelle_store::CallStore;
use passerelle_store::calls::{By, Move};

/// The generated call: open from 2026 until the end of 2030.
fn call() -> anyhow::Result<Call> {
    let at = |y, m, d| -> anyhow::Result<ParisTime> {
        Ok(ParisTime {
            date: Date::new(y, m, d).ok_or_else(|| anyhow::anyhow!("date"))?,
            time: ClockTime::new(12, 0).ok_or_else(|| anyhow::anyhow!("time"))?,
        })
    };
    let criterion = |key: &str, label: &str, weight| Criterion {
        key: key.into(),
        label: label.into(),
        weight,
        max: 4,
        guidance: String::new(),
    };
    Ok(Call {
        title: "Appel à projets généré (données générées)".into(),
        text: "Données générées pour les mesures de performance.".into(),
        axes: vec![1, 2, 3],
        priorities: Vec::new(),
        contributions: Vec::new(),
        eligible: "Structures générées".into(),
        funds: "2027".into(),
        documents: Vec::new(),
        steps: vec![Step {
            kind: StepKind::Full,
            opens: at(2026, 1, 5)?,
            deadlines: vec![at(2030, 12, 31)?],
        }],
        grid: vec![
            criterion("pertinence", "Pertinence", 2),
            criterion("partenariats", "Partenariats", 1),
            criterion("faisabilite", "Faisabilité", 1),
        ],
        spread_alert: 20,
    })
}

fn form(k: usize) -> Form {
    let row = |account: &str, funder: &str, amount: String| BudgetRow {
        account: account.into(),
        label: String::new(),
        funder: funder.into(),
        amount,
    };
    let euros = 5_000 + k * 250;
    Form {
        axis: ((k % 3) + 1).to_string(),
        title: format!("Projet généré n°{k}"),
        description: "Un projet généré pour les mesures.".into(),
        objectives: "Mesurer".into(),
        audiences: vec!["enfants".into()],
        structure: format!("Structure générée {k}"),
        siret: "12345678900015".into(),
        representative: "Présidence générée".into(),
        starts: "2027-01-04".into(),
        ends: "2027-06-30".into(),
        place: "Lieu généré".into(),
        contact_name: "Contact généré".into(),
        budget: vec![
            row("64", "", format!("{euros}")),
            row("74", "État – Cité éducative", format!("{}", euros / 2)),
            row("74", "Ville", format!("{}", euros - euros / 2)),
        ],
        ..Form::default()
    }
}

/// Adds the call, its `applications` applications and their scores to the
/// generated cité `cite`; returns the call's id.
pub(crate) async fn generate(
    store: &dyn CallStore,
    cite: &str,
    applications: usize,
) -> anyhow::Result<i64> {
    let now = passerelle_store::rows::unix_now();
    let by = By {
        actor: "generateur@donnees-generees.example",
        now,
    };
    let call = call()?;
    let id = store.create_call(cite, &call, by.actor, now).await?;
    store.save_call(cite, id, &call, 1, true, by).await?;
    let reviewers: Vec<String> = (1..=3)
        .map(|r| format!("evaluateur-{r}@{cite}.example"))
        .collect();
    store
        .set_reviewers(cite, id, &reviewers, by.actor, now)
        .await?;
    for k in 0..applications {
        let applicant = format!("porteur-{k}@{cite}.example");
        let app = store
            .create_application(cite, id, &applicant, StepKind::Full, now)
            .await?;
        store
            .save_form(cite, app, &applicant, &form(k), now)
            .await?;
        for (event, from) in [
            (Event::Submit, State::Brouillon),
            (Event::Instruct, State::Deposee),
        ] {
            let to = from.after(event).ok_or_else(|| anyhow::anyhow!("move"))?;
            let m = Move {
                event,
                from,
                to,
                step: StepKind::Full,
                actor: &applicant,
                note: "",
                now,
            };
            store.move_application(cite, app, &m).await?;
        }
        for (r, reviewer) in reviewers.iter().enumerate() {
            for (c, criterion) in call.grid.iter().enumerate() {
                let score = Score {
                    reviewer: reviewer.clone(),
                    criterion: criterion.key.clone(),
                    value: u32::try_from((k + r + c) % 5)?,
                    comment: String::new(),
                };
                store.save_score(cite, app, &score, now).await?;
            }
        }
    }
    Ok(id)
}

/// Generates a call in each of the `count` generated cités.
pub(crate) async fn generate_all(
    out: &mut impl Write,
    store: &dyn CallStore,
    count: usize,
    applications: usize,
) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    for i in 1..=count {
        generate(store, &format!("generee-{i:03}"), applications).await?;
    }
    writeln!(
        out,
        "{count} appels générés ({applications} candidatures notées par 3 évaluateurs chacun) en {:.1} s",
        started.elapsed().as_secs_f64()
    )?;
    Ok(())
}
