//! What a spreadsheet import keeps of the stored catalogue.

use passerelle_domain::text::fold;
use passerelle_domain::{Catalogue, PerimeterSource};

/// A catalogue read from a spreadsheet merged into the stored one, so that
/// importing loses nothing the spreadsheet does not carry: the programmes it
/// names replace the stored ones of the same years, their actions keeping
/// their review, themes, predecessor, plain summary, translations and title
/// variants, their axes their ambition; every other programme, the seminars
/// and the cité stay as they are; organisations, territories and people are added when new, a stored
/// person gaining the spellings, emails and phones the spreadsheet prints.
pub fn merge(stored: &Catalogue, read: Catalogue) -> Catalogue {
    let mut out = stored.clone();
    for mut p in read.programmes {
        let Some(old) = out.programmes.iter_mut().find(|o| o.slug == p.slug) else {
            out.programmes.push(p);
            continue;
        };
        for axis in &mut p.axes {
            if let Some(o) = old.axes.iter().find(|o| o.number == axis.number) {
                axis.ambition = o.ambition.clone();
                if fold(&o.title) == fold(&axis.title) {
                    axis.title = o.title.clone();
                    axis.heading = o.heading.clone();
                }
            }
        }
        for a in &mut p.actions {
            let Some(o) = old.actions.iter().find(|o| o.fiche == a.fiche) else {
                continue;
            };
            // What the title or text implied of the perimeter, while they
            // are unchanged.
            if a.title == o.title && a.description == o.description {
                for e in &o.perimeter {
                    if e.source != PerimeterSource::Printed
                        && !a.perimeter.iter().any(|x| x.territory == e.territory)
                    {
                        a.perimeter.push(e.clone());
                    }
                }
            }
            a.review = o.review.clone();
            a.predecessor = o.predecessor.clone();
            a.plain_summary = o.plain_summary.clone();
            a.plain_summary_reviewed_by = o.plain_summary_reviewed_by.clone();
            a.plain_summary_reviewed_on = o.plain_summary_reviewed_on;
            a.translations = o.translations.clone();
            if a.themes.is_empty() {
                a.themes = o.themes.clone();
            }
            if a.title == o.title {
                a.title_variants = o.title_variants.clone();
                a.inferred = o.inferred;
            }
        }
        *old = p;
    }
    out.programmes.sort_by_key(|p| (p.start_year, p.end_year));
    for o in read.organisations {
        if !out.organisations.iter().any(|x| x.slug == o.slug) {
            out.organisations.push(o);
        }
    }
    for t in read.territories {
        if !out.territories.iter().any(|x| x.slug == t.slug) {
            out.territories.push(t);
        }
    }
    for p in read.people {
        let Some(x) = out.people.iter_mut().find(|x| x.slug == p.slug) else {
            out.people.push(p);
            continue;
        };
        for name in std::iter::once(p.name).chain(p.name_variants) {
            if name != x.name && !x.name_variants.contains(&name) {
                x.name_variants.push(name);
            }
        }
        for e in p.emails {
            if !x.emails.contains(&e) {
                x.emails.push(e);
            }
        }
        for ph in p.phones {
            if !x.phones.contains(&ph) {
                x.phones.push(ph);
            }
        }
        for f in p.functions {
            if !x.functions.contains(&f) {
                x.functions.push(f);
            }
        }
        if x.organisation.is_none() {
            x.organisation = p.organisation;
        }
    }
    out.organisations.sort_by(|a, b| a.slug.cmp(&b.slug));
    out.territories.sort_by(|a, b| a.slug.cmp(&b.slug));
    out.people.sort_by(|a, b| a.slug.cmp(&b.slug));
    out
}
