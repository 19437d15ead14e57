//! The interface's languages: French (the source, no prefix), and for the
//! pages families read (see [`translated`]) Arabic, Turkish, Portuguese
//! and English, under `/ar/…`, `/tr/…`, `/pt/…`, `/en/…`. Messages are
//! Project Fluent catalogues (`crates/web/locales/*.ftl`), built into the
//! binary; a key missing from one is caught by the tests, and at run time
//! falls back to French rather than show a key.

use std::sync::LazyLock;

use axum::extract::{FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Redirect, Response};
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

use crate::shared::layout::{ErrorPage, ErrorShown};

/// A language of the interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum Lang {
    #[default]
    Fr,
    Ar,
    Tr,
    Pt,
    En,
}

impl Lang {
    pub(crate) const ALL: [Lang; 5] = [Lang::Fr, Lang::Ar, Lang::Tr, Lang::Pt, Lang::En];

    /// The BCP 47 tag, as in `lang` and `hreflang`.
    pub(crate) fn code(self) -> &'static str {
        match self {
            Lang::Fr => "fr",
            Lang::Ar => "ar",
            Lang::Tr => "tr",
            Lang::Pt => "pt",
            Lang::En => "en",
        }
    }

    /// The language's name in itself, for the switcher.
    pub(crate) fn native(self) -> &'static str {
        match self {
            Lang::Fr => "Français",
            Lang::Ar => "العربية",
            Lang::Tr => "Türkçe",
            Lang::Pt => "Português",
            Lang::En => "English",
        }
    }

    pub(crate) fn rtl(self) -> bool {
        self == Lang::Ar
    }

    /// What this language's paths start with: `""` for French, `/ar`.
    pub(crate) fn prefix(self) -> String {
        match self {
            Lang::Fr => String::new(),
            other => format!("/{}", other.code()),
        }
    }

    pub(crate) fn from_code(code: &str) -> Option<Lang> {
        Lang::ALL
            .into_iter()
            .find(|l| *l != Lang::Fr && l.code() == code)
    }

    fn index(self) -> usize {
        Lang::ALL.iter().position(|l| *l == self).unwrap_or(0)
    }

    /// The message `key`, French when this catalogue lacks it.
    pub(crate) fn t(self, key: &str) -> String {
        self.format(key, None)
    }

    /// The action's translation into this language that can be shown;
    /// none in French, the source.
    pub(crate) fn translation(
        self,
        a: &passerelle_domain::Action,
    ) -> Option<&passerelle_domain::Translation> {
        match self {
            Lang::Fr => None,
            other => a.translation(other.code()),
        }
    }

    /// A kind of organisation's name (`organisation-…`).
    pub(crate) fn organisation_kind(self, kind: passerelle_domain::OrganisationKind) -> String {
        use passerelle_domain::OrganisationKind as K;
        self.t(match kind {
            K::Association => "organisation-association",
            K::Commune => "organisation-commune",
            K::ServiceMunicipal => "organisation-service-municipal",
            K::ServiceEtat => "organisation-service-etat",
            K::CollectiviteTerritoriale => "organisation-collectivite",
            K::EducationNationale => "organisation-education-nationale",
            K::Ecole => "organisation-ecole",
            K::College => "organisation-college",
            K::CentreSocial => "organisation-centre-social",
            K::Mediatheque => "organisation-mediatheque",
            K::EtablissementPublic => "organisation-etablissement-public",
            K::Entreprise => "organisation-entreprise",
            K::Autre => "organisation-autre",
        })
    }

    /// A kind of territory's name (`territory-…`).
    pub(crate) fn territory_kind(self, kind: passerelle_domain::TerritoryKind) -> String {
        use passerelle_domain::TerritoryKind as K;
        self.t(match kind {
            K::Cite => "territory-cite",
            K::Secteur => "territory-secteur",
            K::ReseauRepPlus => "territory-reseau",
            K::Quartier => "territory-quartier",
            K::Ecole => "territory-ecole",
            K::College => "territory-college",
            K::CentreSocial => "territory-centre-social",
        })
    }

    /// A need's name (`theme-…` in the catalogues).
    pub(crate) fn theme(self, theme: passerelle_domain::Theme) -> String {
        self.t(&format!("theme-{}", theme.key()))
    }

    /// A public's name (`audience-…` in the catalogues).
    pub(crate) fn audience(self, kind: passerelle_domain::AudienceKind) -> String {
        self.t(&format!("audience-{}", kind.key()))
    }

    /// The message `key` with its arguments (`$min`, `$title`…).
    pub(crate) fn t_with(self, key: &str, args: &[(&str, FluentValue<'_>)]) -> String {
        let mut a = FluentArgs::new();
        for (k, v) in args {
            a.set(*k, v.clone());
        }
        self.format(key, Some(&a))
    }

    fn format(self, key: &str, args: Option<&FluentArgs<'_>>) -> String {
        for lang in [self, Lang::Fr] {
            let bundle = &BUNDLES[lang.index()];
            if let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) {
                let mut errors = Vec::new();
                let text = bundle.format_pattern(pattern, args, &mut errors);
                if errors.is_empty() {
                    return text.into_owned();
                }
                tracing::error!(lang = lang.code(), key, ?errors, "a message did not format");
            } else {
                tracing::error!(lang = lang.code(), key, "a message is missing");
            }
        }
        String::new()
    }
}

/// The catalogues, in the order of [`Lang::ALL`].
pub(crate) const SOURCES: [(&str, &str); 5] = [
    ("fr", include_str!("../../locales/fr.ftl")),
    ("ar", include_str!("../../locales/ar.ftl")),
    ("tr", include_str!("../../locales/tr.ftl")),
    ("pt", include_str!("../../locales/pt.ftl")),
    ("en", include_str!("../../locales/en.ftl")),
];

static BUNDLES: LazyLock<Vec<FluentBundle<FluentResource>>> = LazyLock::new(|| {
    SOURCES
        .iter()
        .map(|(code, text)| {
            let tag: unic_langid::LanguageIdentifier = code.parse().unwrap_or_default();
            let mut bundle = FluentBundle::new_concurrent(vec![tag]);
            // Bidirectional isolation marks only where the direction may
            // change: names and numbers in Arabic text.
            bundle.set_use_isolating(*code == "ar");
            let resource = FluentResource::try_new((*text).to_owned()).unwrap_or_else(|(r, _)| r);
            if let Err(errors) = bundle.add_resource(resource) {
                tracing::error!(lang = code, ?errors, "a catalogue holds the same key twice");
            }
            bundle
        })
        .collect()
});

/// The language an `Accept-Language` header prefers among ours (the
/// highest weight; the first listed among equals), French when none.
/// Consulted on the home page only: elsewhere the path says the language.
pub(crate) fn preferred(accept_language: Option<&str>) -> Lang {
    let mut best: Option<(Lang, f32)> = None;
    for item in accept_language.unwrap_or_default().split(',') {
        let mut parts = item.split(';');
        let tag = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
        let primary = tag.split(['-', '_']).next().unwrap_or_default();
        let q = parts
            .find_map(|p| p.trim().strip_prefix("q="))
            .and_then(|q| q.trim().parse::<f32>().ok())
            .unwrap_or(1.0);
        let Some(lang) = Lang::ALL.into_iter().find(|l| l.code() == primary) else {
            continue;
        };
        if q > 0.0 && best.is_none_or(|(_, b)| q > b) {
            best = Some((lang, q));
        }
    }
    best.map_or(Lang::Fr, |(l, _)| l)
}

/// The paths of a cité whose interface is translated: the pages a family,
/// or a professional beside one, reads (the home page, the catalogue, the
/// actions, the orientation, the family pages and sheet, the directory of
/// whom to call). Another page asked for in a language is sent to its
/// French form: the workspace, the seminar, the review and the quality
/// report are the professionals' and stay in French.
pub(crate) fn translated(path: &str) -> bool {
    let path = path.split(['?', '#']).next().unwrap_or(path);
    let number = |n: &str| n.parse::<u32>().is_ok();
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    match segments.as_slice() {
        [""] | ["actions"] | ["orienter"] | ["orienter", "fiche"] | ["annuaire"] => true,
        ["actions", n] | ["axes", n] | ["actions", n, "familles"] => number(n),
        [
            "annuaire",
            "organisations" | "personnes" | "territoires",
            slug,
        ] => !slug.is_empty(),
        _ => false,
    }
}

/// Takes the language off the path (after the cité's), for the areas to
/// route as in French; the handlers read it as the [`Lang`] extractor.
pub(crate) async fn strip(mut req: Request, next: Next) -> Response {
    let path = req.uri().path();
    let (code, rest) = match path.strip_prefix('/').and_then(|p| p.split_once('/')) {
        Some((code, rest)) => (code, format!("/{rest}")),
        None => (path.trim_start_matches('/'), "/".to_owned()),
    };
    let Some(lang) = Lang::from_code(code) else {
        return next.run(req).await;
    };
    if !stays_on_site(&rest) {
        // `/en//host` or `/en/\host` would send the reader to `//host`,
        // another site: no page of ours has such a path.
        let message = "Cette page n'existe pas.".to_owned();
        let page = ErrorPage::in_lang(StatusCode::NOT_FOUND, message, lang);
        return match page.render_html() {
            Ok(html) => (StatusCode::NOT_FOUND, Html(html)).into_response(),
            Err(_) => StatusCode::NOT_FOUND.into_response(),
        };
    }
    let query = req
        .uri()
        .query()
        .map(|q| format!("?{q}"))
        .unwrap_or_default();
    if !translated(&rest) {
        let root = req
            .extensions()
            .get::<crate::shared::cites::Here>()
            .map(|h| h.root().to_owned())
            .unwrap_or_default();
        return Redirect::to(&format!("{root}{rest}{query}")).into_response();
    }
    let Ok(uri) = format!("{rest}{query}").parse() else {
        return next.run(req).await;
    };
    *req.uri_mut() = uri;
    req.extensions_mut().insert(lang);
    let mut res = next.run(req).await;
    // An error page is shown again in the reader's language.
    if let Some(shown) = res.extensions_mut().remove::<ErrorShown>() {
        let page = ErrorPage::in_lang(shown.status, shown.message, lang);
        if let Ok(html) = page.render_html() {
            let headers = std::mem::take(res.headers_mut());
            res = (shown.status, Html(html)).into_response();
            for (name, value) in &headers {
                if name != header::CONTENT_LENGTH && name != header::CONTENT_TYPE {
                    res.headers_mut().append(name, value.clone());
                }
            }
        }
    }
    res
}

/// Whether `rest`, the path after a language's prefix, is a path of this
/// site: not `//host` nor `/\\host` (which browsers read as `//host`),
/// however encoded.
fn stays_on_site(rest: &str) -> bool {
    let second = rest.get(1..).unwrap_or_default();
    let lower = second.to_ascii_lowercase();
    !(second.starts_with('/')
        || second.starts_with('\\')
        || lower.starts_with("%2f")
        || lower.starts_with("%5c")
        || rest.contains('\\')
        || lower.contains("%5c"))
}

impl<S: Send + Sync> FromRequestParts<S> for Lang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Lang, Self::Rejection> {
        Ok(parts.extensions.get::<Lang>().copied().unwrap_or_default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The keys of a catalogue, as its text defines them.
    fn keys(text: &str) -> Vec<String> {
        let resource = FluentResource::try_new(text.to_owned()).unwrap_or_else(|(r, _)| r);
        resource
            .entries()
            .filter_map(|e| match e {
                fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_owned()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn every_catalogue_has_every_key_of_the_french_one_and_no_other() {
        let french = keys(SOURCES[0].1);
        assert!(french.len() > 50, "{} keys", french.len());
        for (code, text) in &SOURCES[1..] {
            let theirs = keys(text);
            let missing: Vec<&String> = french.iter().filter(|k| !theirs.contains(k)).collect();
            let extra: Vec<&String> = theirs.iter().filter(|k| !french.contains(k)).collect();
            assert!(missing.is_empty(), "{code}.ftl misses {missing:?}");
            assert!(
                extra.is_empty(),
                "{code}.ftl has keys French lacks: {extra:?}"
            );
        }
    }

    #[test]
    fn every_catalogue_parses_and_every_message_formats() {
        for (code, text) in &SOURCES {
            assert!(
                FluentResource::try_new((*text).to_owned()).is_ok(),
                "{code}.ftl does not parse"
            );
        }
        let mut args = FluentArgs::new();
        for (k, v) in [
            ("min", FluentValue::from(2)),
            ("max", 11.into()),
            ("age", 1.into()),
            ("ages", "x".into()),
            ("title", "x".into()),
            ("n", 10.into()),
            ("action", "x".into()),
            ("next", "x".into()),
            ("name", "x".into()),
            ("cite", "x".into()),
            ("programme", "x".into()),
            ("organisations", 3.into()),
            ("people", 4.into()),
            ("q", "x".into()),
            ("label", "x".into()),
            ("heading", "x".into()),
        ] {
            args.set(k, v);
        }
        for lang in Lang::ALL {
            let bundle = &BUNDLES[lang.index()];
            for key in keys(SOURCES[0].1) {
                let pattern = bundle.get_message(&key).and_then(|m| m.value());
                let Some(pattern) = pattern else {
                    panic!("{} {key}: no value", lang.code());
                };
                let mut errors = Vec::new();
                let text = bundle.format_pattern(pattern, Some(&args), &mut errors);
                assert!(errors.is_empty(), "{} {key}: {errors:?}", lang.code());
                assert!(!text.trim().is_empty(), "{} {key}", lang.code());
            }
        }
    }

    #[test]
    fn the_french_catalogue_puts_a_no_break_space_before_high_punctuation() {
        for (n, line) in SOURCES[0].1.lines().enumerate() {
            if line.starts_with('#') {
                continue;
            }
            let text = line.split_once(" = ").map_or(line, |(_, v)| v);
            for bad in [" :", " ?", " !", " ;", " »", "« "] {
                assert!(
                    !text.contains(bad),
                    "fr.ftl line {}: « {bad} » wants a no-break space: {line}",
                    n + 1
                );
            }
        }
    }

    #[test]
    fn every_need_and_public_has_its_name_in_every_language() {
        for lang in Lang::ALL {
            for theme in passerelle_domain::Theme::ALL {
                let key = format!("theme-{}", theme.key());
                assert!(
                    BUNDLES[lang.index()].has_message(&key),
                    "{} {key}",
                    lang.code()
                );
            }
            for kind in passerelle_domain::AudienceKind::ALL {
                let key = format!("audience-{}", kind.key());
                assert!(
                    BUNDLES[lang.index()].has_message(&key),
                    "{} {key}",
                    lang.code()
                );
            }
        }
        assert_eq!(
            Lang::Fr.theme(passerelle_domain::Theme::Numerique),
            "Numérique"
        );
    }

    #[test]
    fn plurals_follow_each_language() {
        assert_eq!(Lang::Fr.t_with("ages-one", &[("age", 1.into())]), "de 1 an");
        assert_eq!(
            Lang::Fr.t_with("ages-one", &[("age", 3.into())]),
            "de 3 ans"
        );
        assert_eq!(
            Lang::Pt.t_with("ages-one", &[("age", 3.into())]),
            "de 3 anos"
        );
    }

    #[test]
    fn the_preferred_language_is_the_highest_weighted_of_ours() {
        assert_eq!(preferred(None), Lang::Fr);
        assert_eq!(preferred(Some("ar-MA,ar;q=0.9,fr;q=0.8")), Lang::Ar);
        assert_eq!(preferred(Some("fr-FR,fr;q=0.9,en;q=0.8")), Lang::Fr);
        assert_eq!(preferred(Some("de-DE,tr;q=0.7,pt;q=0.8")), Lang::Pt);
        assert_eq!(preferred(Some("en;q=0, de")), Lang::Fr);
        assert_eq!(preferred(Some("x;;q=,,")), Lang::Fr);
    }

    #[test]
    fn only_the_translated_pages_have_other_languages() {
        for path in [
            "/",
            "/actions",
            "/actions?q=lecture",
            "/actions/10",
            "/axes/2",
            "/actions/10/familles",
            "/orienter",
            "/orienter/fiche?age=4",
            "/annuaire",
            "/annuaire/personnes/anne-sophie-belgaid",
            "/annuaire/territoires/secteur-nord",
        ] {
            assert!(translated(path), "{path}");
        }
        for path in [
            "/actions/x/familles",
            "/actions/10/orienter",
            "/actions/10.pdf",
            "/annuaire/organisations",
            "/bilan",
            "/seminaire",
            "/qualite",
            "/admin",
        ] {
            assert!(!translated(path), "{path}");
        }
    }
}
