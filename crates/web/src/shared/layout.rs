//! The layout every page shares: its metadata and menu, rendering, the
//! French error page, JSON-LD, and the answers that must not be cached or
//! that redirect after a form. Views hold text already typeset (`text::fr`)
//! and templates escape everything but sanitised Markdown and JSON-LD.

use askama::Template;
use axum::http::StatusCode;
use axum::http::header;
use axum::response::{Html, IntoResponse, Redirect, Response};

use crate::shared::cites::Here;
use crate::shared::error::AppError;
use crate::shared::i18n::Lang;

/// How the instance names itself on its own pages.
pub(crate) const INSTANCE_NAME: &str = "Cités éducatives";

/// What the layout needs from every page.
#[derive(Debug, Clone)]
pub(crate) struct Meta {
    pub(crate) title: String,
    pub(crate) description: String,
    /// Which entry of the main menu is current.
    pub(crate) nav: Nav,
    /// The cité's name, or the instance's for its own pages.
    pub(crate) cite: String,
    /// What this cité's links start with: `""` or `/roubaix`.
    pub(crate) root: String,
    /// A page of the national view: its own menu, not a cité's.
    pub(crate) national: bool,
    /// Other forms of the page or of its cité (`<link rel="alternate">`):
    /// the cité's Atom feeds on each of its pages, a page's PDF.
    pub(crate) alternates: Vec<Alternate>,
    /// The page's language (French unless the page is translated).
    pub(crate) lang: Lang,
    /// The interface's translations the cité marked reviewed.
    pub(crate) reviews: Vec<passerelle_domain::InterfaceReview>,
    /// The language switcher: the same page in each language (empty on
    /// the pages only in French).
    pub(crate) langs: Vec<LangLink>,
}

/// A link of the language switcher, written in its own language.
#[derive(Debug, Clone)]
pub(crate) struct LangLink {
    pub(crate) code: &'static str,
    pub(crate) native: &'static str,
    pub(crate) href: String,
    pub(crate) current: bool,
}

/// A `<link rel="alternate">`; `href` is a path of the cité or the instance.
#[derive(Debug, Clone)]
pub(crate) struct Alternate {
    pub(crate) mime: &'static str,
    pub(crate) title: String,
    pub(crate) href: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Nav {
    Home,
    Actions,
    Orient,
    Directory,
    Seminar,
    Quality,
    Review,
    None,
}

impl Meta {
    /// A page of the cité the request is for.
    pub(crate) fn new(title: impl Into<String>, here: &Here, nav: Nav) -> Meta {
        Meta {
            title: crate::shared::text::fr(&title.into()),
            description: String::new(),
            nav,
            cite: here.snapshot().catalogue.cite.name.clone(),
            root: here.root().to_owned(),
            national: false,
            lang: Lang::Fr,
            reviews: here.snapshot().catalogue.cite.interface_reviews.clone(),
            langs: Vec::new(),
            alternates: vec![
                Alternate {
                    mime: "application/atom+xml",
                    title: "Actions ajoutées ou modifiées (Atom)".into(),
                    href: format!("{}/flux/actions.atom", here.root()),
                },
                Alternate {
                    mime: "application/atom+xml",
                    title: "Événements (Atom)".into(),
                    href: format!("{}/flux/evenements.atom", here.root()),
                },
            ],
        }
    }

    /// A page of the instance itself (the national view, signing in when
    /// several cités share the instance).
    pub(crate) fn instance(title: impl Into<String>, nav: Nav) -> Meta {
        Meta {
            title: crate::shared::text::fr(&title.into()),
            description: String::new(),
            nav,
            cite: INSTANCE_NAME.to_owned(),
            root: String::new(),
            national: false,
            lang: Lang::Fr,
            reviews: Vec::new(),
            langs: Vec::new(),
            alternates: Vec::new(),
        }
    }

    /// A page of the national view (the cités, the search across them).
    pub(crate) fn national(title: impl Into<String>, nav: Nav) -> Meta {
        Meta {
            national: true,
            lang: Lang::Fr,
            reviews: Vec::new(),
            ..Meta::instance(title, nav)
        }
    }

    /// A page of the cité if the request is for one, else of the instance.
    pub(crate) fn at(title: impl Into<String>, here: Option<&Here>, nav: Nav) -> Meta {
        match here {
            Some(here) => Meta::new(title, here, nav),
            None => Meta::instance(title, nav),
        }
    }

    /// A link as the page shows it: a path of the cité (`/actions/5`, as
    /// views build them) gets the cité's root (`/roubaix/actions/5`) and,
    /// on a page in another language, that language (`/ar/actions/5`) if
    /// the page it leads to is translated; the instance's own paths,
    /// fragments and other addresses (`https:`, `mailto:`, `tel:`) stay as
    /// they are.
    pub(crate) fn link<S: AsRef<str> + ?Sized>(&self, href: &S) -> String {
        let href = href.as_ref();
        if !href.starts_with('/') || href.starts_with("//") {
            return href.to_owned();
        }
        if crate::shared::cites::is_instance_path(href.split(['?', '#']).next().unwrap_or(href)) {
            return href.to_owned();
        }
        let lang = if crate::shared::i18n::translated(href) {
            self.lang.prefix()
        } else {
            String::new()
        };
        format!("{}{lang}{href}", self.root)
    }

    /// ` hreflang="fr"` on a link of a page in another language to a page
    /// only in French (for `|safe`: a constant).
    pub(crate) fn hreflang<S: AsRef<str> + ?Sized>(&self, href: &S) -> &'static str {
        let href = href.as_ref();
        if self.foreign() && href.starts_with('/') && !crate::shared::i18n::translated(href) {
            " hreflang=\"fr\""
        } else {
            ""
        }
    }

    pub(crate) fn describe(mut self, d: impl Into<String>) -> Meta {
        self.description = d.into();
        self
    }

    /// The page as a PDF, at `path` of the cité (`/actions/5.pdf`).
    pub(crate) fn alternate_pdf(mut self, path: String) -> Meta {
        self.alternates.push(Alternate {
            mime: "application/pdf",
            title: "Version PDF".into(),
            href: self.link(&path),
        });
        self
    }

    /// `aria-current="page"` for the current menu entry (used by the layout).
    pub(crate) fn is(&self, nav: Nav) -> bool {
        self.nav == nav
    }

    /// The page in `lang`, one of those its interface is translated into;
    /// `path` (with its query) is the page's, for the language switcher.
    pub(crate) fn in_lang(mut self, lang: Lang, path: &str) -> Meta {
        let path = path.strip_suffix('?').unwrap_or(path);
        self.lang = lang;
        self.langs = Lang::ALL
            .into_iter()
            .map(|l| LangLink {
                code: l.code(),
                native: l.native(),
                href: format!("{}{}{path}", self.root, l.prefix()),
                current: l == lang,
            })
            .collect();
        self
    }

    /// A message of the interface, in the page's language.
    pub(crate) fn t(&self, key: &str) -> String {
        self.lang.t(key)
    }

    /// The page is not in French: data shown as stored (names, titles)
    /// is, and says so with `lang="fr"`.
    pub(crate) fn foreign(&self) -> bool {
        self.lang != Lang::Fr
    }

    /// The footer's word on the translation of the interface: reviewed (by
    /// whom), or drafted and awaiting review. Empty in French.
    pub(crate) fn translation_notice(&self) -> String {
        if !self.foreign() {
            return String::new();
        }
        match self.reviews.iter().find(|r| r.lang == self.lang.code()) {
            Some(r) => self.lang.t_with(
                "translation-reviewed",
                &[("name", fluent_bundle::FluentValue::from(r.by.clone()))],
            ),
            None => self.t("translation-draft"),
        }
    }

    /// ` lang="fr"` on what is shown as stored, when the page is not in
    /// French, and ` dir="ltr"` when the page is right to left (for
    /// `|safe`: a constant).
    pub(crate) fn fr_attr(&self) -> &'static str {
        match self.lang {
            Lang::Fr => "",
            l if l.rtl() => " lang=\"fr\" dir=\"ltr\"",
            _ => " lang=\"fr\"",
        }
    }
}

/// The name a page or a mail gives: the cité's, or the instance's on its
/// own pages.
pub(crate) fn site_name(here: Option<&Here>) -> String {
    here.map_or_else(
        || INSTANCE_NAME.to_owned(),
        |h| h.snapshot().catalogue.cite.name.clone(),
    )
}

/// Renders a template into an HTML response.
pub(crate) fn render<T: Template>(t: &T) -> Result<Html<String>, AppError> {
    Ok(Html(t.render()?))
}

#[derive(Template)]
#[template(path = "shared/error.html")]
pub(crate) struct ErrorPage {
    pub(crate) meta: Meta,
    pub(crate) status: u16,
    /// What went wrong, in the page's language.
    pub(crate) explanation: String,
    /// The precise message, in French.
    pub(crate) message: String,
    pub(crate) code: String,
}

/// An error page's status and precise message, kept on the response for
/// the language middleware to show the page again in the reader's language.
#[derive(Debug, Clone)]
pub(crate) struct ErrorShown {
    pub(crate) status: StatusCode,
    pub(crate) message: String,
}

impl ErrorPage {
    pub(crate) fn new(status: StatusCode, message: String) -> ErrorPage {
        ErrorPage::in_lang(status, message, Lang::Fr)
    }

    /// The page in `lang`: its title and explanation in that language, the
    /// precise message as written (French).
    pub(crate) fn in_lang(status: StatusCode, message: String, lang: Lang) -> ErrorPage {
        let key = match status {
            StatusCode::NOT_FOUND => "error-not-found",
            StatusCode::BAD_REQUEST => "error-bad-request",
            StatusCode::METHOD_NOT_ALLOWED => "error-method",
            StatusCode::UNAUTHORIZED => "error-unauthorized",
            StatusCode::FORBIDDEN => "error-forbidden",
            StatusCode::CONFLICT => "error-conflict",
            StatusCode::UNPROCESSABLE_ENTITY => "error-unprocessable",
            StatusCode::GONE => "error-gone",
            StatusCode::SERVICE_UNAVAILABLE => "error-unavailable",
            _ => "error-internal",
        };
        let mut meta = Meta::instance(lang.t(key), Nav::None);
        meta.lang = lang;
        ErrorPage {
            meta,
            status: status.as_u16(),
            explanation: lang.t(&format!("{key}-text")),
            message: crate::shared::text::fr(&message),
            code: lang.t_with("error-code", &[("n", status.as_u16().into())]),
        }
    }

    pub(crate) fn render_html(&self) -> askama::Result<String> {
        self.render()
    }
}

/// JSON for a `<script type="application/ld+json">` block: `<` is escaped so
/// that no text can close the element.
pub(crate) fn json_ld(value: &serde_json::Value) -> String {
    value
        .to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// Marks an answer as private: neither the browser nor the response cache
/// keeps it.
pub(crate) fn no_store(mut res: Response) -> Response {
    res.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    res
}

/// `303 See Other`: where a form sends the browser once it has done its work.
pub(crate) fn see_other(to: &str) -> Response {
    let mut res = Redirect::to(to).into_response();
    *res.status_mut() = StatusCode::SEE_OTHER;
    res
}

/// A page answered with `status` (a form refused: 422; a write that met
/// another: 409), never cached.
pub(crate) fn answer(
    status: axum::http::StatusCode,
    page: &impl askama::Template,
) -> Result<axum::response::Response, AppError> {
    use axum::response::IntoResponse;
    Ok(crate::shared::layout::no_store(
        (status, crate::shared::layout::render(page)?).into_response(),
    ))
}

#[cfg(test)]
mod tests {
    use super::{Meta, Nav};

    fn at(root: &str) -> Meta {
        Meta {
            root: root.to_owned(),
            ..Meta::instance("t", Nav::None)
        }
    }

    #[test]
    fn links_of_a_cite_get_its_root_and_nothing_else_does() {
        let m = at("/roubaix");
        assert_eq!(m.link("/"), "/roubaix/", "a cité's home is its own");
        assert_eq!(m.link("/actions/5?x=1#a"), "/roubaix/actions/5?x=1#a");
        assert_eq!(m.link("/connexion"), "/connexion");
        assert_eq!(m.link("/static/style.css"), "/static/style.css");
        assert_eq!(m.link("/compte/jetons"), "/compte/jetons");
        for other in [
            "https://ville.fr/",
            "mailto:a@b.fr",
            "tel:+33320",
            "#contenu",
            "//cdn",
        ] {
            assert_eq!(m.link(other), other);
        }
        assert_eq!(
            at("").link("/actions/5"),
            "/actions/5",
            "one cité: today's URLs"
        );
    }
}
