//! Charts drawn on the server as SVG: no chart library in the browser, no
//! JavaScript. Each chart is an image with a title and a description for
//! screen readers; the pages also give its data as a table. Text is escaped
//! here (the SVG is inserted as is).

use std::fmt::Write;

/// Escapes text for SVG content and attributes.
fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// One colour and one pattern per series: each colour has a contrast of at
/// least 3:1 against white (WCAG 1.4.11), no two are alike, and the
/// patterns tell the series apart in black and white (a printed review).
const PALETTE: [&str; 6] = [
    "#1f5f8b", "#2e7d32", "#6d4c9f", "#b35c00", "#8b1e3f", "#595959",
];

/// The white strokes drawn over each colour (none over the first).
const PATTERNS: [&str; 6] = [
    "",
    "M-1,1 l2,-2 M0,6 l6,-6 M5,7 l2,-2",
    "M3,0 v6",
    "M0,3 h6",
    "M0,0 l6,6 M6,0 l-6,6",
    "M1.5,1.5 h0.1 M4.5,4.5 h0.1",
];

/// The `<defs>` of a chart's fills; `{id}-f{k}` fills series `k`.
fn fills(id: &str, count: usize) -> String {
    let mut out = String::from("<defs>");
    for k in 0..count {
        let colour = PALETTE[k % PALETTE.len()];
        let strokes = PATTERNS[k % PATTERNS.len()];
        let _ = write!(
            out,
            r##"<pattern id="{id}-f{k}" patternUnits="userSpaceOnUse" width="6" height="6"><rect width="6" height="6" fill="{colour}"/>"##
        );
        if !strokes.is_empty() {
            let _ = write!(
                out,
                r##"<path d="{strokes}" stroke="#fff" stroke-width="1.3" stroke-linecap="round"/>"##
            );
        }
        out.push_str("</pattern>");
    }
    out.push_str("</defs>");
    out
}

/// A series of a stacked bar chart: its name and a value per category.
#[derive(Debug, Clone)]
pub(crate) struct Series {
    pub(crate) name: String,
    pub(crate) values: Vec<u32>,
}

const WIDTH: u32 = 640;
/// Where bars start: labels are written above their bar, so that a long
/// one is never cut.
const LEFT: u32 = 8;
const BAR: u32 = 22;
const GAP: u32 = 14;
/// A label line's height, and the most characters it holds (13 px text
/// averages under 7.5 px a character).
const LINE: u32 = 17;
const LINE_CHARS: usize = 80;

/// A label in lines of at most [`LINE_CHARS`] characters, cut between words.
fn wrap(label: &str) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in label.split_whitespace() {
        match lines.last_mut() {
            Some(line) if line.chars().count() + 1 + word.chars().count() <= LINE_CHARS => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_owned()),
        }
    }
    if lines.is_empty() {
        lines.push(String::new());
    }
    lines
}

/// Writes a category's label above its bar; returns the bar's top.
fn label(out: &mut String, y: u32, text: &str) -> u32 {
    let lines = wrap(text);
    for (i, line) in lines.iter().enumerate() {
        let _ = write!(
            out,
            r#"<text x="{LEFT}" y="{}" class="label">{}</text>"#,
            y + 13 + u32::try_from(i).unwrap_or(0) * LINE,
            esc(line)
        );
    }
    y + u32::try_from(lines.len()).unwrap_or(1) * LINE + 2
}

/// The height a row takes: its label's lines, its bar, the gap.
fn row_height(text: &str) -> u32 {
    u32::try_from(wrap(text).len()).unwrap_or(1) * LINE + 2 + BAR + GAP
}

/// Horizontal stacked bars: one bar per category under its label, one
/// colour and pattern per series, each segment labelled with its value
/// when it is wide enough.
pub(crate) fn stacked_bars(
    id: &str,
    title: &str,
    categories: &[String],
    series: &[Series],
) -> String {
    let totals: Vec<u32> = (0..categories.len())
        .map(|c| {
            series
                .iter()
                .map(|s| s.values.get(c).copied().unwrap_or(0))
                .sum()
        })
        .collect();
    let max = totals.iter().copied().max().unwrap_or(0).max(1);
    let plot = WIDTH - LEFT - 40;
    let legend_rows = u32::try_from(series.len()).unwrap_or(0).div_ceil(3);
    let rows: u32 = categories.iter().map(|c| row_height(c)).sum();
    let height = 6 + rows + legend_rows * 22;
    let mut out = String::new();
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="100%" role="img" aria-labelledby="{id}-t {id}-d" class="chart">"#
    );
    let description: Vec<String> = categories
        .iter()
        .enumerate()
        .zip(&totals)
        .map(|((c, category), t)| {
            let parts: Vec<String> = series
                .iter()
                .filter_map(|s| {
                    let v = s.values.get(c).copied().unwrap_or(0);
                    (v > 0).then(|| format!("{} {v}", s.name.to_lowercase()))
                })
                .collect();
            format!("{category} : {t} ({})", parts.join(", "))
        })
        .collect();
    let _ = write!(
        out,
        r#"<title id="{id}-t">{}</title><desc id="{id}-d">{}</desc>{}"#,
        esc(title),
        esc(&description.join(" ; ")),
        fills(id, series.len())
    );
    let mut y = 6;
    for (c, category) in categories.iter().enumerate() {
        let top = label(&mut out, y, category);
        let mut x = LEFT;
        for (k, s) in series.iter().enumerate() {
            let v = s.values.get(c).copied().unwrap_or(0);
            if v == 0 {
                continue;
            }
            let w = v * plot / max;
            let _ = write!(
                out,
                r##"<rect x="{x}" y="{top}" width="{w}" height="{BAR}" fill="url(#{id}-f{k})" stroke="#fff"><title>{} : {v}</title></rect>"##,
                esc(&format!("{category}, {}", s.name))
            );
            if w >= 22 {
                let _ = write!(
                    out,
                    r##"<text x="{}" y="{}" text-anchor="middle" class="value">{v}</text>"##,
                    x + w / 2,
                    top + BAR / 2 + 5
                );
            }
            x += w;
        }
        let _ = write!(
            out,
            r#"<text x="{}" y="{}" class="total">{}</text>"#,
            x + 6,
            top + BAR / 2 + 5,
            totals[c]
        );
        y += row_height(category);
    }
    for (k, s) in series.iter().enumerate() {
        let k32 = u32::try_from(k).unwrap_or(0);
        let (x, ly) = (LEFT + (k32 % 3) * 210, y + (k32 / 3) * 22);
        let _ = write!(
            out,
            r##"<rect x="{x}" y="{ly}" width="16" height="16" fill="url(#{id}-f{k})" stroke="#1a1a1a" stroke-width="0.5"/><text x="{}" y="{}" class="legend">{}</text>"##,
            x + 22,
            ly + 13,
            esc(&s.name)
        );
    }
    out.push_str("</svg>");
    out
}

/// One bar of a progress chart: a value against its target.
#[derive(Debug, Clone)]
pub(crate) struct Progress {
    pub(crate) label: String,
    pub(crate) value: Option<f64>,
    pub(crate) target: Option<f64>,
}

/// Horizontal bars of values, each under its label with its target marked
/// by a line; each bar is scaled to its own target (so that different
/// units can be shown together): a full bar reaches the target.
pub(crate) fn progress(id: &str, title: &str, rows: &[Progress]) -> String {
    let plot = f64::from(WIDTH - LEFT - 80);
    let height = 6 + rows.iter().map(|r| row_height(&r.label)).sum::<u32>();
    let fmt = passerelle_domain::review::number;
    let mut out = String::new();
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="100%" role="img" aria-labelledby="{id}-t {id}-d" class="chart">"#
    );
    let description: Vec<String> = rows
        .iter()
        .map(|r| match (r.value, r.target) {
            (Some(v), Some(t)) => {
                format!("{} : {} pour un objectif de {}", r.label, fmt(v), fmt(t))
            }
            (Some(v), None) => format!("{} : {}", r.label, fmt(v)),
            (None, Some(t)) => format!("{} : pas de valeur, objectif {}", r.label, fmt(t)),
            (None, None) => format!("{} : pas de valeur", r.label),
        })
        .collect();
    let _ = write!(
        out,
        r#"<title id="{id}-t">{}</title><desc id="{id}-d">{}</desc>"#,
        esc(title),
        esc(&description.join(" ; "))
    );
    let mut y = 6;
    for r in rows {
        let top = label(&mut out, y, &r.label);
        let scale = r.target.or(r.value).filter(|s| *s > 0.0).unwrap_or(1.0) * 1.25;
        if let Some(v) = r.value {
            let w = (v / scale * plot).clamp(0.0, plot);
            let _ = write!(
                out,
                r##"<rect x="{LEFT}" y="{top}" width="{w:.1}" height="{BAR}" fill="#1f5f8b"/>"##
            );
            let _ = write!(
                out,
                r#"<text x="{:.1}" y="{}" class="total">{}</text>"#,
                f64::from(LEFT) + w + 6.0,
                top + BAR / 2 + 5,
                fmt(v)
            );
        } else {
            let _ = write!(
                out,
                r#"<text x="{}" y="{}" class="total">pas de valeur</text>"#,
                LEFT + 4,
                top + BAR / 2 + 5
            );
        }
        if let Some(t) = r.target {
            let x = f64::from(LEFT) + (t / scale * plot).clamp(0.0, plot);
            let _ = write!(
                out,
                r##"<line x1="{x:.1}" y1="{}" x2="{x:.1}" y2="{}" stroke="#8b1e3f" stroke-width="3" stroke-dasharray="4 2"><title>objectif {}</title></line>"##,
                top.saturating_sub(3),
                top + BAR + 3,
                fmt(t)
            );
        }
        y += row_height(&r.label);
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// These snapshots were taken before the web crate was laid out by area
    /// and stay where they were, under their first names (`src/snapshots`,
    /// `passerelle_web__charts__…`): the charts people see did not change.
    fn snapshot(name: &str, svg: &str) {
        let mut settings = insta::Settings::clone_current();
        settings.set_snapshot_path("../snapshots");
        settings.set_prepend_module_to_snapshot(false);
        settings.bind(|| {
            insta::assert_snapshot!(format!("passerelle_web__charts__tests__{name}"), svg, "svg");
        });
    }

    #[test]
    fn a_stacked_bar_chart_of_statuses() {
        let svg = stacked_bars(
            "statuts",
            "Actions par statut et par axe",
            &["Axe 1".into(), "Axe 2 <coopération>".into()],
            &[
                Series {
                    name: "En cours".into(),
                    values: vec![3, 0],
                },
                Series {
                    name: "Réalisée".into(),
                    values: vec![1, 4],
                },
            ],
        );
        snapshot("a_stacked_bar_chart_of_statuses", &svg);
        assert!(svg.contains("Axe 2 &lt;coopération&gt;"));
    }

    #[test]
    fn a_progress_chart_marks_each_target() {
        let svg = progress(
            "indicateurs",
            "Indicateurs et objectifs, 2022",
            &[
                Progress {
                    label: "Médiateurs".into(),
                    value: Some(5.0),
                    target: Some(6.0),
                },
                Progress {
                    label: "Tours".into(),
                    value: None,
                    target: Some(5.0),
                },
                Progress {
                    label: "Parents".into(),
                    value: Some(2.5),
                    target: None,
                },
            ],
        );
        snapshot("a_progress_chart_marks_each_target", &svg);
        assert_eq!(svg.matches("<line").count(), 2);
    }

    /// The relative luminance of a `#rrggbb` colour (WCAG 2.1).
    fn luminance(hex: &str) -> f64 {
        let channel = |i: usize| {
            let c = f64::from(u8::from_str_radix(&hex[i..i + 2], 16).unwrap()) / 255.0;
            if c <= 0.039_28 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5)
    }

    #[test]
    fn each_series_has_its_own_colour_and_pattern_contrasting_with_white() {
        for (k, colour) in PALETTE.iter().enumerate() {
            let contrast = 1.05 / (luminance(colour) + 0.05);
            assert!(contrast >= 3.0, "{colour}: {contrast:.2}");
            // The value written on a segment is white: 4.5:1 for text.
            assert!(contrast >= 4.5, "{colour}: white text at {contrast:.2}");
            assert!(!PALETTE[..k].contains(colour), "{colour} twice");
            assert!(!PATTERNS[..k].contains(&PATTERNS[k]), "pattern {k} twice");
        }
        // Six statuses (the five and "Non renseigné"): six different fills.
        let names = [
            "Prévue",
            "En cours",
            "Réalisée",
            "Suspendue",
            "Abandonnée",
            "Non renseigné",
        ];
        let series: Vec<Series> = names
            .iter()
            .map(|n| Series {
                name: (*n).into(),
                values: vec![1],
            })
            .collect();
        let svg = stacked_bars("s", "Statuts", &["Axe 1".into()], &series);
        for k in 0..names.len() {
            assert_eq!(
                svg.matches(&format!("fill=\"url(#s-f{k})\"")).count(),
                2,
                "series {k}: a segment and a legend swatch"
            );
        }
    }

    #[test]
    fn the_longest_labels_fit_in_the_chart() {
        let long = "Nombre de parents en formation aux sur les réseaux REP+ de la ville, par école et par trimestre, avec ceux du collège";
        let svg = progress(
            "i",
            "Indicateurs",
            &[Progress {
                label: long.into(),
                value: Some(3.0),
                target: Some(4.0),
            }],
        );
        snapshot("the_longest_labels_fit_in_the_chart", &svg);
        // Every line of text starts inside the chart and ends before its
        // right edge (7.5 px a character at most for 13 px text).
        let mut words = Vec::new();
        for text in svg.split("<text ").skip(1) {
            let x: f64 = text
                .split("x=\"")
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap()
                .parse()
                .unwrap();
            let content = text.split('>').nth(1).unwrap().split('<').next().unwrap();
            assert!(x >= 0.0, "{content} starts at {x}");
            let width = content.chars().count() as f64 * 7.5;
            assert!(x + width <= f64::from(WIDTH), "{content}: {x} + {width}");
            words.extend(content.split_whitespace().map(str::to_owned));
        }
        // Nothing of the label is lost.
        assert!(
            long.split_whitespace()
                .all(|w| words.iter().any(|x| x == w))
        );
    }
}
