//! Writes a catalogue back as a booklet, in the canonical form [`crate::parse`]
//! reads: one heading per fiche, every section under its usual title. The
//! output is deterministic and reads back to the same data; inferred numbers
//! and titles are marked with a comment so that they stay marked.

use std::fmt::Write;

use passerelle_domain::{
    Action, Catalogue, ClockTime, Intervention, OperatorRole, PerimeterSource, Programme, Seminar,
};

fn clock(t: ClockTime) -> String {
    format!("{}H{:02}", t.hour, t.minute)
}

/// The booklet of one programme of the catalogue, with the catalogue's first
/// seminar in front.
pub fn render(catalogue: &Catalogue, programme: &Programme) -> String {
    let mut out = String::new();
    let seminar = catalogue.seminars.first();
    let title = seminar.map_or(catalogue.cite.name.as_str(), |s| s.title.as_str());
    let _ = writeln!(out, "# {title}\n\n## Livret professionnel\n");
    let _ = writeln!(
        out,
        "Vous trouverez dans ce livret **l'ensemble des actions de la programmation {}-{}**.\n",
        programme.start_year, programme.end_year
    );
    if let Some(s) = seminar {
        render_seminar(&mut out, s);
    }
    for action in &programme.actions {
        render_action(&mut out, catalogue, programme, action);
    }
    out
}

fn render_seminar(out: &mut String, s: &Seminar) {
    let _ = writeln!(
        out,
        "# {}\n\n## Programme détaillé – {}\n",
        s.title,
        s.date.french()
    );
    if !s.subtitle.is_empty() {
        let _ = writeln!(out, "### {}\n", s.subtitle);
    }
    for p in s
        .introduction
        .split("\n\n")
        .filter(|p| !p.trim().is_empty())
    {
        let _ = writeln!(out, "{p}\n");
    }
    for g in &s.goals {
        let _ = writeln!(out, "- {g}");
    }
    out.push('\n');
    for h in &s.half_days {
        let _ = writeln!(
            out,
            "**{} ({}-{}) {}**\n",
            h.label.to_uppercase(),
            clock(h.start),
            clock(h.end),
            h.title
        );
        for session in &h.sessions {
            let end = session
                .end
                .map(|e| format!("-{}", clock(e)))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "**{}{end} : {}**\n",
                clock(session.start),
                session.title
            );
            if let Some(sub) = &session.subtitle {
                let _ = writeln!(out, "#### {sub}\n");
            }
            if session.kind == passerelle_domain::SessionKind::Ateliers && !s.workshops.is_empty() {
                let _ = writeln!(out, "Thème\tAnimation\n");
                for w in &s.workshops {
                    let _ = writeln!(
                        out,
                        "<ul style=\"list-style-type: none\"> <li>{} <i>{}</i></li> </ul>\t- {}, {}",
                        w.theme, w.question, w.animator.name, w.animator.function
                    );
                }
                out.push('\n');
            }
            if session.kind == passerelle_domain::SessionKind::Deambulation {
                for q in &s.walking_questions {
                    let _ = writeln!(out, "- *{q}*");
                }
                out.push('\n');
            }
            for part in &session.parts {
                if let Some(axis) = part.axis {
                    let _ = writeln!(out, "**Axe {axis} : {}**\n", part.title);
                }
                if let Some(intro) = &part.introduction {
                    let _ = writeln!(out, "*{intro}*\n");
                }
                render_interventions(out, &part.interventions);
            }
        }
    }
}

fn render_interventions(out: &mut String, interventions: &[Intervention]) {
    let with_speakers = |i: &Intervention| !i.speakers.is_empty() && !i.title.is_empty();
    let mut table_open = false;
    for i in interventions {
        if with_speakers(i) || (i.speakers.is_empty() && !i.title.is_empty() && table_open) {
            if !table_open {
                out.push_str("|  |  |\n|--|--|\n");
                table_open = true;
            }
            let speakers: Vec<String> = i
                .speakers
                .iter()
                .map(|s| format!("{}, {}", s.name, s.function))
                .collect();
            let _ = writeln!(out, "| • {} | {} |", i.title, speakers.join("<br>"));
            continue;
        }
        if table_open {
            out.push('\n');
            table_open = false;
        }
        if i.title.is_empty() {
            for s in &i.speakers {
                let _ = writeln!(out, "{}, {}\n", s.name, s.function);
            }
        } else {
            let _ = writeln!(out, "- {}", i.title);
        }
    }
    out.push('\n');
}

fn render_action(out: &mut String, catalogue: &Catalogue, programme: &Programme, a: &Action) {
    let heading = programme
        .axes
        .iter()
        .find(|x| x.number == a.axis)
        .map_or("", |x| x.heading.as_str());
    let mut marks = Vec::new();
    if a.inferred.number {
        marks.push("numéro déduit");
    }
    if a.inferred.title {
        marks.push("titre déduit");
    }
    let marks = if marks.is_empty() {
        String::new()
    } else {
        format!(" <!-- {} -->", marks.join(", "))
    };
    let _ = writeln!(
        out,
        "# {heading}\n\n## Fiche n°{} – {}{marks}\n",
        a.fiche, a.title
    );
    if !a.description.is_empty() {
        let _ = writeln!(out, "{}\n", a.description);
    }
    for role in [OperatorRole::Operateur, OperatorRole::Prestataire] {
        let names: Vec<String> = a
            .operators
            .iter()
            .filter(|o| o.role == role)
            .map(|o| match o.count {
                Some(n) => format!("{n} *{}*", o.label),
                None => format!("*{}*", o.label),
            })
            .collect();
        if names.is_empty() {
            continue;
        }
        let list = match names.split_last() {
            Some((last, [])) => last.clone(),
            Some((last, rest)) => format!("{} et {last}", rest.join(", ")),
            None => String::new(),
        };
        let verb = match (role, names.len()) {
            (OperatorRole::Operateur, 1) => "est l'opérateur",
            (OperatorRole::Operateur, _) => "sont les opérateurs",
            (OperatorRole::Prestataire, 1) => "est le prestataire",
            (OperatorRole::Prestataire, _) => "sont les prestataires",
        };
        let _ = writeln!(out, "{list} {verb} de cette action.\n");
    }
    if !a.objectives.is_empty() {
        out.push_str("### Objectifs\n\n");
        for o in &a.objectives {
            let _ = writeln!(out, "- {o}");
        }
        out.push('\n');
    }
    if !a.audiences.is_empty() {
        out.push_str("### Public cible\n\n");
        for x in &a.audiences {
            let mut line = x.label.clone();
            if let Some(r) = x.ages {
                let _ = write!(line, " {}-{} ans", r.min(), r.max());
            }
            if let Some(n) = &x.note {
                let _ = write!(line, " ({n})");
            }
            let _ = writeln!(out, "{line}\n");
        }
    }
    let printed: Vec<&str> = a
        .perimeter
        .iter()
        .filter(|p| p.source == PerimeterSource::Printed)
        .filter_map(|p| catalogue.territory(&p.territory).map(|t| t.name.as_str()))
        .collect();
    if !printed.is_empty() {
        out.push_str("### Périmètre\n\n");
        for name in printed {
            let _ = writeln!(out, "{name}\n");
        }
    }
    if !a.partners.is_empty() {
        out.push_str("### Partenaires\n\n");
        for p in &a.partners {
            let _ = writeln!(out, "{}\n", p.label);
        }
    }
    let mut groups: Vec<&str> = Vec::new();
    for c in &a.contacts {
        if !groups.contains(&c.group.as_str()) {
            groups.push(&c.group);
        }
    }
    for g in groups {
        let _ = writeln!(out, "### {g} :\n");
        for c in a.contacts.iter().filter(|c| c.group == g) {
            let mut line = format!("- {}", c.name);
            if let Some(e) = &c.email {
                let _ = write!(line, " – [{e}](mailto:{e})");
            }
            if let Some(p) = &c.phone {
                let _ = write!(line, " – {p}");
            }
            let _ = writeln!(out, "{line}");
        }
        out.push('\n');
    }
    if !a.resources.is_empty() {
        out.push_str("### Ressources complémentaires\n\n");
        for r in &a.resources {
            if r.title != r.url {
                let _ = writeln!(out, "**{}**\n", r.title);
            }
            let _ = writeln!(out, "<{}>\n", r.url);
        }
    }
    for v in &a.title_variants {
        let _ = writeln!(out, "# {heading}\n\n## Fiche n°{} – {v}\n", a.fiche);
    }
}
