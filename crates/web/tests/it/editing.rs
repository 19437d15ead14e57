//! Editing on the web, over a real SQLite store: forms, validation,
//! conflicts, history and restore, archive, visibility, permissions, CSRF,
//! and script payloads shown inert.

use std::sync::Arc;

use axum::Router;
use axum::http::Method;
use passerelle_domain::{Account, Email, EntityKind, Membership, Role, Slug, diff};
use passerelle_store::{AccountStore, CatalogueStore, ImportRecord, SignInStore};
use passerelle_store_sqlite::SqliteStore;
use passerelle_web::{AppState, Editing, Mailer, Snapshot};

use crate::{Answer, post_form, send};

pub(crate) const FICHE5: &str = "programmation-2020-2022~fiche-5";

/// Who is asking: a role, or nobody.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Who {
    Anonymous,
    Contributor,
    Troika,
    /// Referent of Citéo, operator of fiche 5.
    ReferentOwn,
    /// Referent of the GAPAS, not an operator of fiche 5.
    ReferentOther,
    Admin,
}

impl Who {
    pub(crate) const ALL: [Who; 6] = [
        Who::Anonymous,
        Who::Contributor,
        Who::Troika,
        Who::ReferentOwn,
        Who::ReferentOther,
        Who::Admin,
    ];

    fn account(self) -> Option<Account> {
        let (email, role, org) = match self {
            Who::Anonymous => return None,
            Who::Contributor => ("parent@exemple.fr", Role::Contributeur, None),
            Who::Troika => ("troika@nord.gouv.fr", Role::Troika, None),
            Who::ReferentOwn => ("referent@citeo.com", Role::Referent, Some("citeo")),
            Who::ReferentOther => ("referent@gapas.fr", Role::Referent, Some("gapas")),
            Who::Admin => ("coordination@ville-roubaix.fr", Role::Administrateur, None),
        };
        Some(Account::member(
            Email::parse(email).unwrap(),
            format!("{self:?}"),
            Membership::new("roubaix", role, org.map(|o| Slug::parse(o).unwrap())),
        ))
    }

    /// The session cookie and CSRF token of this role's session.
    pub(crate) fn session(self) -> Option<(String, String)> {
        self.account().map(|_| {
            (
                format!("passerelle_session=session-{self:?}"),
                format!("csrf-{self:?}"),
            )
        })
    }
}

pub(crate) struct Fixture {
    pub app: Router,
    pub state: AppState,
    pub store: Arc<SqliteStore>,
}

/// Roubaix imported into a fresh database, one account and session per role.
pub(crate) async fn fixture() -> Fixture {
    fixture_of(&["roubaix"]).await
}

/// These cités in a fresh database, each holding the Roubaix programme under
/// its own slug (so that the same route exists in each); one account and
/// session per role, every role held in Roubaix only.
pub(crate) async fn fixture_of(cites: &[&str]) -> Fixture {
    let store = Arc::new(SqliteStore::open("sqlite::memory:").await.unwrap());
    let (reference, parsed) = passerelle_livret::bundled::roubaix().unwrap();
    let report = passerelle_livret::check::report(
        passerelle_livret::bundled::BOOKLET,
        &reference,
        parsed.irregularities,
    );
    let mut snapshots = Vec::new();
    for slug in cites {
        let mut catalogue = parsed.catalogue.clone();
        catalogue.cite.slug = Slug::parse(slug).unwrap();
        let entities = catalogue.to_entities();
        let record = ImportRecord {
            source: "test".into(),
            added: entities.len(),
            updated: 0,
            removed: 0,
            report: "[]".into(),
        };
        store
            .apply(slug, &entities, &diff(&[], &entities), &record)
            .await
            .unwrap();
        snapshots.push(Snapshot::new(catalogue, report.clone(), "livret.md".into()).unwrap());
    }
    for who in Who::ALL {
        if let Some(account) = who.account() {
            let (cookie, csrf) = who.session().unwrap();
            open_session(&store, &account, &cookie, &csrf).await;
        }
    }
    let state = if snapshots.len() == 1 {
        AppState::new(snapshots.remove(0))
    } else {
        AppState::several(snapshots)
    }
    .with_accounts(store.clone(), false)
    .with_editing(Editing::new(
        store.clone(),
        Mailer::log(),
        "http://passerelle.test",
    ));
    Fixture {
        app: passerelle_web::app(state.clone()),
        state,
        store,
    }
}

/// Creates an account with a session whose cookie is `passerelle_session=…`.
pub(crate) async fn open_session(store: &SqliteStore, account: &Account, cookie: &str, csrf: &str) {
    store.create_account(account, "x", "test").await.unwrap();
    let token = cookie.trim_start_matches("passerelle_session=");
    let now = passerelle_store::rows::unix_now();
    store
        .open_session(&passerelle_store::NewSession {
            token_hash: &passerelle_auth::token_hash(token),
            email: account.email.as_str(),
            csrf,
            now,
            expires_at: i64::MAX,
            user_agent: "test",
            ip: "",
            pending: false,
            // A fixture's session has passed the second factor its role
            // may need: the matrices test permissions, not sign-in.
            second_factor: true,
            id_token: None,
            method: "test",
        })
        .await
        .unwrap();
}

pub(crate) async fn get_as(f: &Fixture, who: Who, uri: &str) -> Answer {
    match who.session() {
        Some((cookie, _)) => send(&f.app, Method::GET, uri, &[("cookie", &cookie)]).await,
        None => send(&f.app, Method::GET, uri, &[]).await,
    }
}

/// Posts a form as `who`, with their session's CSRF token added.
pub(crate) async fn post_as(f: &Fixture, who: Who, uri: &str, pairs: &[(&str, &str)]) -> Answer {
    let mut all: Vec<(&str, &str)> = pairs.to_vec();
    let session = who.session();
    if let Some((_, csrf)) = &session {
        all.push(("csrf", csrf));
    }
    let body = serde_urlencoded::to_string(&all).unwrap();
    match &session {
        Some((cookie, _)) => post_form(&f.app, uri, &body, &[("cookie", cookie)]).await,
        None => post_form(&f.app, uri, &body, &[]).await,
    }
}

/// The form's current values, as the browser would send them back.
pub(crate) fn form_values(html: &str) -> Vec<(String, String)> {
    let doc = scraper_lite(html);
    doc.into_iter()
        .filter(|(k, _)| k != "csrf" && k != "intent")
        .collect()
}

/// Reads the name/value pairs of a form's inputs, selects and textareas
/// (what a browser submits), without an HTML library: our own markup only.
fn scraper_lite(html: &str) -> Vec<(String, String)> {
    fn attr(tag: &str, name: &str) -> Option<String> {
        let pat = format!(" {name}=\"");
        let start = tag.find(&pat)? + pat.len();
        let end = tag[start..].find('"')? + start;
        Some(unescape(&tag[start..end]))
    }
    fn unescape(s: &str) -> String {
        s.replace("&#60;", "<")
            .replace("&#62;", ">")
            .replace("&#34;", "\"")
            .replace("&#39;", "'")
            .replace("&quot;", "\"")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&#38;", "&")
            .replace("&amp;", "&")
    }
    let start = html
        .find("<form method=\"post\" action=\"/admin/")
        .unwrap_or(0);
    let end = html[start..]
        .find("</form>")
        .map_or(html.len(), |e| start + e);
    let form = &html[start..end];
    let mut out = Vec::new();
    let mut rest = form;
    while let Some(i) = rest.find('<') {
        rest = &rest[i..];
        let tag_end = rest.find('>').unwrap_or(rest.len() - 1);
        let tag = &rest[..=tag_end];
        if tag.starts_with("<input") {
            if let Some(name) = attr(tag, "name") {
                let checkbox = tag.contains("type=\"checkbox\"");
                if !checkbox || tag.contains(" checked") {
                    out.push((name, attr(tag, "value").unwrap_or_default()));
                }
            }
        } else if tag.starts_with("<textarea") {
            let name = attr(tag, "name").unwrap_or_default();
            let body = &rest[tag_end + 1..];
            let close = body.find("</textarea>").unwrap_or(0);
            out.push((name, unescape(&body[..close])));
        } else if tag.starts_with("<select") {
            let name = attr(tag, "name").unwrap_or_default();
            let body = &rest[tag_end + 1..];
            let close = body.find("</select>").unwrap_or(0);
            let options = &body[..close];
            let selected = options
                .split("<option")
                .find(|o| o.contains(" selected"))
                .or_else(|| options.split("<option").nth(1))
                .and_then(|o| attr(o, "value"))
                .unwrap_or_default();
            out.push((name, selected));
        }
        rest = &rest[1..];
    }
    out
}

pub(crate) fn set(values: &mut Vec<(String, String)>, name: &str, value: &str) {
    match values.iter_mut().find(|(k, _)| k == name) {
        Some(v) => v.1 = value.to_owned(),
        None => values.push((name.to_owned(), value.to_owned())),
    }
}

pub(crate) async fn submit(
    f: &Fixture,
    who: Who,
    uri: &str,
    values: &[(String, String)],
) -> Answer {
    let pairs: Vec<(&str, &str)> = values
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .chain([("intent", "enregistrer")])
        .collect();
    post_as(f, who, uri, &pairs).await
}

pub(crate) async fn stored_body(f: &Fixture, kind: EntityKind, key: &str) -> serde_json::Value {
    f.store
        .entity("roubaix", kind, key)
        .await
        .unwrap()
        .unwrap()
        .entity
        .body
}

#[tokio::test]
async fn an_edit_shows_on_the_public_page_in_the_history_and_restore_gives_back_the_original() {
    let f = fixture().await;
    let key = "programmation-2020-2022/fiche-5";
    let original = stored_body(&f, EntityKind::Action, key).await;
    let uri = format!("/admin/actions/{FICHE5}");
    let form = get_as(&f, Who::Admin, &uri).await;
    assert_eq!(form.status, 200, "{}", form.body);
    let mut values = form_values(&form.body);
    set(&mut values, "title", "Médiation scolaire renforcée");
    set(
        &mut values,
        "objectives",
        "Prévenir le décrochage\nAccompagner les familles",
    );
    let saved = submit(&f, Who::Admin, &uri, &values).await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    assert_eq!(
        saved.header("location"),
        Some(format!("{uri}?enregistre=1").as_str())
    );

    let public = get_as(&f, Who::Anonymous, "/actions/5").await;
    assert!(public.body.contains("Médiation scolaire renforcée"));
    assert!(public.body.contains("Accompagner les familles"));
    let api = get_as(&f, Who::Anonymous, "/api/v1/actions/5").await.json();
    assert_eq!(api["title"], "Médiation scolaire renforcée");
    let found = get_as(&f, Who::Anonymous, "/actions?q=renforc%C3%A9e").await;
    assert!(
        found.body.contains("/actions/5"),
        "the index follows the edit"
    );

    let history = get_as(&f, Who::Admin, &format!("{uri}/historique")).await;
    assert_eq!(history.status, 200);
    assert!(history.body.contains("Version 2 — modifiée"));
    assert!(history.body.contains("Médiation scolaire renforcée"));
    assert!(history.body.contains("coordination@ville-roubaix.fr"));
    let restored = post_as(
        &f,
        Who::Admin,
        &format!("{uri}/restaurer"),
        &[("version", "2"), ("restore", "1")],
    )
    .await;
    assert_eq!(restored.status, 303, "{}", restored.body);
    assert_eq!(stored_body(&f, EntityKind::Action, key).await, original);
    let public = get_as(&f, Who::Anonymous, "/actions/5").await;
    assert!(!public.body.contains("Médiation scolaire renforcée"));
    let history = f
        .store
        .history("roubaix", EntityKind::Action, key)
        .await
        .unwrap();
    assert_eq!(
        history.len(),
        3,
        "the restore is a new version; nothing is erased"
    );
}

#[tokio::test]
async fn a_refused_form_says_why_next_to_each_field_and_keeps_what_was_typed() {
    let f = fixture().await;
    let uri = format!("/admin/actions/{FICHE5}");
    let mut values = form_values(&get_as(&f, Who::Admin, &uri).await.body);
    set(&mut values, "title", "");
    set(&mut values, "description", "Nouvelle description gardée");
    set(&mut values, "contacts.0.email", "pas-une-adresse");
    // Fiche 5 prints no audience: this fills the first blank row.
    set(&mut values, "audiences.0.label", "Élèves");
    set(&mut values, "audiences.0.ages", "18-3");
    let refused = submit(&f, Who::Admin, &uri, &values).await;
    assert_eq!(refused.status, 422);
    let errors = refused
        .body
        .split("champ(s) à corriger")
        .nth(1)
        .unwrap_or_default();
    let errors = &errors[..errors.find("</ul>").unwrap_or(0)];
    assert!(refused.body.contains("3 champ(s) à corriger"), "{errors}");
    assert!(refused.body.contains("Ce champ est obligatoire."));
    assert!(
        refused
            .body
            .contains("« pas-une-adresse » n&#39;est pas une adresse électronique.")
    );
    assert!(refused.body.contains("href=\"#f-contacts-0-email\""));
    assert!(
        refused
            .body
            .contains("aria-invalid=\"true\" aria-describedby=\"f-contacts-0-email-e\"")
    );
    assert!(refused.body.contains("Nouvelle description gardée"));
    assert!(refused.body.contains("value=\"18-3\""));
    let stored = stored_body(&f, EntityKind::Action, "programmation-2020-2022/fiche-5").await;
    assert_ne!(stored["description"], "Nouvelle description gardée");
}

#[tokio::test]
async fn of_two_concurrent_edits_the_second_is_refused_with_the_diff_and_its_input_kept() {
    let f = fixture().await;
    let uri = format!("/admin/actions/{FICHE5}");
    let form = get_as(&f, Who::Admin, &uri).await;
    let mut first = form_values(&form.body);
    let mut second = first.clone();
    set(&mut first, "title", "Titre choisi par Julia");
    set(
        &mut second,
        "description",
        "Description écrite par Guillaume",
    );
    assert_eq!(submit(&f, Who::Admin, &uri, &first).await.status, 303);
    let refused = submit(&f, Who::Admin, &uri, &second).await;
    assert_eq!(refused.status, 409, "{}", refused.body);
    assert!(refused.body.contains("Quelqu'un a modifié cette fiche"));
    assert!(
        refused.body.contains("Titre choisi par Julia"),
        "the diff shows what changed"
    );
    assert!(
        refused.body.contains("Description écrite par Guillaume"),
        "the input is kept"
    );
    let stored = stored_body(&f, EntityKind::Action, "programmation-2020-2022/fiche-5").await;
    assert_eq!(stored["title"], "Titre choisi par Julia");
    assert_ne!(stored["description"], "Description écrite par Guillaume");
    // Saving again from the conflict page is a deliberate choice: it applies.
    let again = form_values(&refused.body);
    assert_eq!(submit(&f, Who::Admin, &uri, &again).await.status, 303);
    let stored = stored_body(&f, EntityKind::Action, "programmation-2020-2022/fiche-5").await;
    assert_eq!(stored["description"], "Description écrite par Guillaume");
}

#[tokio::test]
async fn markdown_preview_and_extra_rows_save_nothing() {
    let f = fixture().await;
    let uri = format!("/admin/actions/{FICHE5}");
    let mut values = form_values(&get_as(&f, Who::Admin, &uri).await.body);
    set(
        &mut values,
        "description",
        "**Gras** et <script>alert(1)</script>",
    );
    let mut pairs: Vec<(&str, &str)> = values
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    pairs.push(("intent", "apercu"));
    let preview = post_as(&f, Who::Admin, &uri, &pairs).await;
    assert_eq!(preview.status, 200);
    assert!(preview.body.contains("<strong>Gras</strong>"));
    assert!(!preview.body.contains("<script>alert(1)"));
    pairs.pop();
    pairs.push(("intent", "lignes"));
    let rows = post_as(&f, Who::Admin, &uri, &pairs).await;
    assert!(
        rows.body.contains("name=\"resources.4.title\""),
        "blank rows added"
    );
    let history = f
        .store
        .history(
            "roubaix",
            EntityKind::Action,
            "programmation-2020-2022/fiche-5",
        )
        .await
        .unwrap();
    assert_eq!(history.len(), 1);
}

#[tokio::test]
async fn a_new_organisation_is_created_then_archived_and_restored() {
    let f = fixture().await;
    let form = get_as(&f, Who::Admin, "/admin/organisations/nouveau").await;
    assert_eq!(form.status, 200);
    let mut values = form_values(&form.body);
    set(&mut values, "name", "Association des Parents de l'Alma");
    set(&mut values, "kind", "association");
    let created = submit(&f, Who::Admin, "/admin/organisations/nouveau", &values).await;
    assert_eq!(created.status, 303, "{}", created.body);
    let page = get_as(
        &f,
        Who::Anonymous,
        "/annuaire/organisations/association-des-parents-de-l-alma",
    )
    .await;
    assert_eq!(page.status, 200);
    // The same name again is refused on its field.
    let again = submit(&f, Who::Admin, "/admin/organisations/nouveau", &values).await;
    assert_eq!(again.status, 409);
    assert!(again.body.contains("existe déjà"));

    let key = "association-des-parents-de-l-alma";
    let archived = post_as(
        &f,
        Who::Admin,
        &format!("/admin/organisations/{key}/archiver"),
        &[("version", "1")],
    )
    .await;
    assert_eq!(archived.status, 303);
    let gone = get_as(
        &f,
        Who::Anonymous,
        &format!("/annuaire/organisations/{key}"),
    )
    .await;
    assert_eq!(gone.status, 404);
    let list = get_as(&f, Who::Admin, "/admin/organisations").await;
    assert!(list.body.contains("archivée"));
    let back = post_as(
        &f,
        Who::Admin,
        &format!("/admin/organisations/{key}/desarchiver"),
        &[("version", "2")],
    )
    .await;
    assert_eq!(back.status, 303);
    let page = get_as(
        &f,
        Who::Anonymous,
        &format!("/annuaire/organisations/{key}"),
    )
    .await;
    assert_eq!(page.status, 200);
}

#[tokio::test]
async fn contact_details_kept_for_professionals_are_hidden_from_the_public() {
    let f = fixture().await;
    let uri = "/admin/personnes/marie-claude-venant";
    let mut values = form_values(&get_as(&f, Who::Admin, uri).await.body);
    let email = values
        .iter()
        .find(|(k, _)| k == "emails")
        .map(|(_, v)| v.lines().next().unwrap_or_default().to_owned())
        .unwrap();
    assert!(email.contains('@'));
    set(&mut values, "email_visibility", "professionnels");
    assert_eq!(submit(&f, Who::Admin, uri, &values).await.status, 303);
    for page in [
        "/annuaire/personnes/marie-claude-venant",
        "/actions/5",
        "/api/v1/actions/5",
        "/api/v1/people/marie-claude-venant",
    ] {
        let public = get_as(&f, Who::Anonymous, page).await;
        assert_eq!(public.status, 200, "{page}");
        assert!(
            !public.body.contains(&email),
            "{page} shows {email} to the public"
        );
        let contributor = get_as(&f, Who::Contributor, page).await;
        assert!(
            !contributor.body.contains(&email),
            "{page} shows {email} to a contributor"
        );
        let pro = get_as(&f, Who::Troika, page).await;
        assert!(
            pro.body.contains(&email),
            "{page} hides {email} from the troïka"
        );
    }
}

#[tokio::test]
async fn the_activity_log_is_for_administrators_and_no_route_alters_it() {
    let f = fixture().await;
    let uri = format!("/admin/actions/{FICHE5}");
    let values = form_values(&get_as(&f, Who::Admin, &uri).await.body);
    submit(&f, Who::Admin, &uri, &values).await;
    let before = f.store.activity(None, 1000).await.unwrap();
    assert_eq!(get_as(&f, Who::Admin, "/admin/activite").await.status, 200);
    for who in [Who::Troika, Who::ReferentOwn, Who::Contributor] {
        assert_eq!(get_as(&f, who, "/admin/activite").await.status, 403);
    }
    assert_eq!(
        get_as(&f, Who::Anonymous, "/admin/activite").await.status,
        401
    );
    for method in [Method::POST, Method::PUT, Method::DELETE, Method::PATCH] {
        let (cookie, _) = Who::Admin.session().unwrap();
        let a = send(
            &f.app,
            method.clone(),
            "/admin/activite",
            &[("cookie", &cookie)],
        )
        .await;
        assert_eq!(a.status, 405, "{method}");
    }
    assert_eq!(f.store.activity(None, 1000).await.unwrap(), before);
}

fn link_in(mail: &passerelle_web::Mail, path: &str) -> String {
    let start = mail
        .body
        .find(&format!("http://passerelle.test{path}"))
        .unwrap();
    let rest = &mail.body[start + "http://passerelle.test".len()..];
    rest.split_whitespace().next().unwrap().to_owned()
}

#[tokio::test]
async fn an_invitation_link_creates_the_account_once() {
    let f = fixture().await;
    let invited = post_as(
        &f,
        Who::Admin,
        "/admin/comptes/inviter",
        &[
            ("email", "mediatrice@ville-roubaix.fr"),
            ("name", "Nadia Médiatrice"),
            ("role", "referent"),
            ("organisation", "citeo"),
        ],
    )
    .await;
    assert_eq!(invited.status, 303, "{}", invited.body);
    let mail = f.state.editing().unwrap().logged_mail().pop().unwrap();
    assert_eq!(mail.to, "mediatrice@ville-roubaix.fr");
    let link = link_in(&mail, "/invitation/");
    let form = get_as(&f, Who::Anonymous, &link).await;
    assert_eq!(form.status, 200);
    assert!(form.body.contains("Référent d&#39;un opérateur"));
    let differ = post_form(
        &f.app,
        &link,
        "password=un-mot-de-passe-long&confirmation=autre-chose-long",
        &[],
    )
    .await;
    assert_eq!(differ.status, 422);
    assert!(differ.body.contains("Les deux mots de passe diffèrent."));
    let short = post_form(&f.app, &link, "password=court&confirmation=court", &[]).await;
    assert_eq!(short.status, 422);
    let ok = post_form(
        &f.app,
        &link,
        "password=un-mot-de-passe-long&confirmation=un-mot-de-passe-long",
        &[],
    )
    .await;
    assert_eq!(ok.status, 303, "{}", ok.body);
    let (account, hash) = f
        .store
        .account("mediatrice@ville-roubaix.fr")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        account.memberships,
        [Membership::new(
            "roubaix",
            Role::Referent,
            Some(Slug::parse("citeo").unwrap())
        )]
    );
    assert!(passerelle_auth::verify_password(
        "un-mot-de-passe-long",
        &hash
    ));
    let again = post_form(
        &f.app,
        &link,
        "password=un-autre-mot-de-passe&confirmation=un-autre-mot-de-passe",
        &[],
    )
    .await;
    assert_eq!(again.status, 404, "a link works once");
    // A referent must name an organisation.
    let refused = post_as(
        &f,
        Who::Admin,
        "/admin/comptes/inviter",
        &[("email", "x@y.fr"), ("name", "X"), ("role", "referent")],
    )
    .await;
    assert_eq!(refused.status, 422);
}

/// Asks for a reset link as a browser would: the form first (its CSRF
/// cookie and field), then the address.
pub(crate) async fn forgot(f: &Fixture, email: &str) -> Answer {
    let form = send(&f.app, Method::GET, "/mot-de-passe-oublie", &[]).await;
    assert_eq!(form.status, 200, "{}", form.body);
    let cookie = form.cookie("passerelle_csrf").unwrap();
    let csrf = cookie.trim_start_matches("passerelle_csrf=").to_owned();
    let body = serde_urlencoded::to_string([("email", email), ("csrf", csrf.as_str())]).unwrap();
    post_form(
        &f.app,
        "/mot-de-passe-oublie",
        &body,
        &[("cookie", &cookie)],
    )
    .await
}

/// The mails logged, once there are `n` (they leave in the background).
pub(crate) async fn mails_once(f: &Fixture, n: usize) -> Vec<passerelle_web::Mail> {
    for _ in 0..200 {
        let mails = f.state.editing().unwrap().logged_mail();
        if mails.len() >= n {
            return mails;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    f.state.editing().unwrap().logged_mail()
}

#[tokio::test]
async fn a_forgotten_password_is_reset_by_a_one_time_link_and_unknown_addresses_learn_nothing() {
    let f = fixture().await;
    let unknown = forgot(&f, "personne@nulle-part.fr").await;
    let known = forgot(&f, "troika@nord.gouv.fr").await;
    assert_eq!(
        (unknown.status, known.status),
        (axum::http::StatusCode::OK, axum::http::StatusCode::OK)
    );
    assert_eq!(
        unknown.body, known.body,
        "the answer does not tell which accounts exist"
    );
    let mails = mails_once(&f, 1).await;
    assert_eq!(mails.len(), 1);
    let link = link_in(&mails[0], "/reinitialisation/");
    let ok = post_form(
        &f.app,
        &link,
        "password=nouveau-mot-de-passe&confirmation=nouveau-mot-de-passe",
        &[],
    )
    .await;
    assert_eq!(ok.status, 303);
    let (_, hash) = f
        .store
        .account("troika@nord.gouv.fr")
        .await
        .unwrap()
        .unwrap();
    assert!(passerelle_auth::verify_password(
        "nouveau-mot-de-passe",
        &hash
    ));
    // The reset ended the sessions opened before it.
    assert_eq!(get_as(&f, Who::Troika, "/admin").await.status, 401);
    assert_eq!(
        post_form(
            &f.app,
            &link,
            "password=encore-un-autre-mdp&confirmation=encore-un-autre-mdp",
            &[]
        )
        .await
        .status,
        404
    );
    // Throttled: three requests per account in a quarter of an hour.
    for _ in 0..2 {
        forgot(&f, "troika@nord.gouv.fr").await;
    }
    let blocked = forgot(&f, "troika@nord.gouv.fr").await;
    assert_eq!(blocked.status, 429);
}
