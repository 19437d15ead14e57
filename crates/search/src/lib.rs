#![doc = include_str!("../README.md")]

use std::collections::BTreeMap;

use passerelle_domain::query::{matches_age, partner_key};
use passerelle_domain::text::fold;
use passerelle_domain::{ActionFilter, AudienceKind, Catalogue, Theme};
use serde::Serialize;
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, FuzzyTermQuery, Occur, Query, TermQuery};
use tantivy::schema::{FAST, Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions};
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer,
    StopWordFilter, TextAnalyzer,
};
use tantivy::{Index, IndexReader, IndexWriter, TantivyDocument, Term};

/// Errors of the search layer. The engine's own error is kept as the source.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("l'index de recherche a échoué")]
    Engine(#[from] tantivy::TantivyError),
    #[error("l'index de recherche n'a pas pu être construit : {0}")]
    Build(String),
}

const ANALYZER: &str = "fr";
/// Folded surface forms without stemming: what one-typo matching compares.
const RAW_ANALYZER: &str = "fr_raw";

/// Words of at least this many letters tolerate one typo.
pub const FUZZY_MIN_LETTERS: usize = 6;

fn raw_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

fn french_analyzer() -> Result<TextAnalyzer, SearchError> {
    let stop = StopWordFilter::new(Language::French)
        .ok_or_else(|| SearchError::Build("no French stop words".into()))?;
    Ok(TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(stop)
        .filter(Stemmer::new(Language::French))
        .build())
}

#[derive(Debug, Clone, Copy)]
struct Fields {
    /// Position of the document in `SearchIndex::docs`.
    ord: Field,
    title: Field,
    body: Field,
    title_raw: Field,
    body_raw: Field,
}

/// What a hit is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum HitKind {
    Action,
    Organisation,
    Person,
}

/// One result: for an action, `id` is `programme-slug/fiche-N`; otherwise the slug.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hit {
    pub kind: HitKind,
    pub id: String,
    pub score: f32,
    /// For an action: its (programme, action) indices in the catalogue searched.
    #[serde(skip)]
    pub position: Option<(usize, usize)>,
}

impl Hit {
    /// The action this hit is, in the catalogue that was searched.
    pub fn action<'c>(
        &self,
        catalogue: &'c Catalogue,
    ) -> Option<(
        &'c passerelle_domain::Programme,
        &'c passerelle_domain::Action,
    )> {
        let (p, a) = self.position?;
        let programme = catalogue.programmes.get(p)?;
        Some((programme, programme.actions.get(a)?))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FacetCount {
    pub key: String,
    pub label: String,
    pub count: usize,
}

/// Counts of the matching actions by each facet value.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Facets {
    pub axis: Vec<FacetCount>,
    pub audience: Vec<FacetCount>,
    pub age: Vec<FacetCount>,
    pub territory: Vec<FacetCount>,
    pub partner: Vec<FacetCount>,
    pub operator: Vec<FacetCount>,
    pub theme: Vec<FacetCount>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Results {
    /// Matching actions, best first (by fiche number when there is no text).
    pub actions: Vec<Hit>,
    pub organisations: Vec<Hit>,
    pub people: Vec<Hit>,
    pub facets: Facets,
}

/// The age bands the facets and the coverage matrix count by.
pub const AGE_BANDS: [(u32, u32); 6] = [(0, 2), (3, 5), (6, 10), (11, 15), (16, 18), (19, 25)];

/// An indexed document: kind, id, and an action's (programme, action) position.
type IndexedDoc = (HitKind, String, Option<(usize, usize)>);

/// A French full-text index over one catalogue's actions, organisations and people.
pub struct SearchIndex {
    /// What each indexed document is: kind, id, and for an action its
    /// (programme, action) position in the catalogue.
    docs: Vec<IndexedDoc>,
    index: Index,
    reader: IndexReader,
    fields: Fields,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex").finish_non_exhaustive()
    }
}

impl SearchIndex {
    /// Builds the index of a catalogue, in memory. The catalogue given to
    /// [`SearchIndex::search`] must be the one last indexed.
    pub fn build(catalogue: &Catalogue) -> Result<SearchIndex, SearchError> {
        let mut schema = Schema::builder();
        let text = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(ANALYZER)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        );
        let raw = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(RAW_ANALYZER)
                .set_index_option(IndexRecordOption::WithFreqs),
        );
        let fields = Fields {
            ord: schema.add_u64_field("ord", FAST),
            title: schema.add_text_field("title", text.clone()),
            body: schema.add_text_field("body", text),
            title_raw: schema.add_text_field("title_raw", raw.clone()),
            body_raw: schema.add_text_field("body_raw", raw),
        };
        let index = Index::create_in_ram(schema.build());
        index.tokenizers().register(ANALYZER, french_analyzer()?);
        index.tokenizers().register(RAW_ANALYZER, raw_analyzer());
        // Reloaded by hand once built: no watcher thread per index (an
        // instance holds one index per cité).
        let reader = index
            .reader_builder()
            .reload_policy(tantivy::ReloadPolicy::Manual)
            .num_warming_threads(0)
            .try_into()?;
        let mut me = SearchIndex {
            docs: Vec::new(),
            index,
            reader,
            fields,
        };
        me.refresh(catalogue)?;
        Ok(me)
    }

    /// Re-indexes the catalogue, so that searches see it. The writer (its
    /// threads and memory arena) lives only while indexing: a snapshot's
    /// index is read, not written, once built.
    pub fn refresh(&mut self, catalogue: &Catalogue) -> Result<(), SearchError> {
        let f = self.fields;
        let mut writer: IndexWriter = self.index.writer_with_num_threads(1, 15_000_000)?;
        writer.delete_all_documents()?;
        self.docs.clear();
        for (pi, programme) in catalogue.programmes.iter().enumerate() {
            for (ai, a) in programme.actions.iter().enumerate() {
                let mut body: Vec<String> = vec![a.description.clone()];
                body.extend(a.title_variants.iter().cloned());
                body.extend(a.objectives.iter().cloned());
                body.extend(
                    a.audiences
                        .iter()
                        .map(|x| format!("{} {}", x.label, x.note.clone().unwrap_or_default())),
                );
                body.extend(a.partners.iter().map(|p| p.label.clone()));
                body.extend(a.operators.iter().map(|o| o.label.clone()));
                body.extend(a.themes.iter().map(|t| t.label().to_owned()));
                body.extend(
                    a.perimeter
                        .iter()
                        .filter_map(|p| catalogue.territory(&p.territory))
                        .map(|t| t.name.clone()),
                );
                body.extend(a.contacts.iter().map(|c| c.name.clone()));
                let mut doc = TantivyDocument::default();
                doc.add_u64(f.ord, self.docs.len() as u64);
                self.docs.push((
                    HitKind::Action,
                    format!("{}/{}", programme.slug, a.slug()),
                    Some((pi, ai)),
                ));
                add(&mut doc, f, &a.title, &body.join("\n"));
                writer.add_document(doc)?;
            }
        }
        for o in &catalogue.organisations {
            let mut doc = TantivyDocument::default();
            doc.add_u64(f.ord, self.docs.len() as u64);
            self.docs
                .push((HitKind::Organisation, o.slug.to_string(), None));
            let title = format!("{} {}", o.name, o.acronym.clone().unwrap_or_default());
            add(
                &mut doc,
                f,
                &title,
                &format!("{} {}", o.aliases.join(" "), o.kind.label()),
            );
            writer.add_document(doc)?;
        }
        for p in &catalogue.people {
            let mut doc = TantivyDocument::default();
            doc.add_u64(f.ord, self.docs.len() as u64);
            self.docs.push((HitKind::Person, p.slug.to_string(), None));
            let org = p
                .organisation
                .as_ref()
                .and_then(|o| catalogue.organisation(o))
                .map(|o| o.name.clone());
            let title = format!("{} {}", p.name, p.name_variants.join(" "));
            add(
                &mut doc,
                f,
                &title,
                &format!("{} {}", p.functions.join(" "), org.unwrap_or_default()),
            );
            writer.add_document(doc)?;
        }
        writer.commit()?;
        writer.wait_merging_threads()?;
        self.reader.reload()?;
        Ok(())
    }

    /// The French stems of a query's words, to highlight them in results.
    pub fn stems(&self, text: &str) -> Vec<String> {
        self.query_words(text)
            .map(|w| w.into_iter().flat_map(|w| w.stems).collect())
            .unwrap_or_default()
    }

    /// Each query word as its French stems and, when long enough to
    /// tolerate a typo, its folded surface form.
    fn query_words(&self, text: &str) -> Result<Vec<QueryWord>, SearchError> {
        let mut analyzer = self
            .index
            .tokenizers()
            .get(ANALYZER)
            .ok_or_else(|| SearchError::Build("analyzer".into()))?;
        let mut out = Vec::new();
        for word in text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
        {
            let mut stems = Vec::new();
            let mut stream = analyzer.token_stream(word);
            while stream.advance() {
                stems.push(stream.token().text.clone());
            }
            if stems.is_empty() {
                continue; // a stop word
            }
            let surface = (word.chars().count() >= FUZZY_MIN_LETTERS).then(|| fold(word));
            out.push(QueryWord { stems, surface });
        }
        Ok(out)
    }

    fn text_query(&self, words: &[QueryWord], occur: Occur) -> Box<dyn Query> {
        let f = self.fields;
        let clauses: Vec<(Occur, Box<dyn Query>)> = words
            .iter()
            .map(|w| {
                let mut alternatives: Vec<(Occur, Box<dyn Query>)> = Vec::new();
                for (stemmed, raw, boost) in
                    [(f.title, f.title_raw, 3.0), (f.body, f.body_raw, 1.0)]
                {
                    for stem in &w.stems {
                        let exact: Box<dyn Query> = Box::new(TermQuery::new(
                            Term::from_field_text(stemmed, stem),
                            IndexRecordOption::WithFreqs,
                        ));
                        alternatives
                            .push((Occur::Should, Box::new(BoostQuery::new(exact, boost * 2.0))));
                    }
                    if let Some(surface) = &w.surface {
                        let fz: Box<dyn Query> = Box::new(FuzzyTermQuery::new(
                            Term::from_field_text(raw, surface),
                            1,
                            true,
                        ));
                        alternatives.push((Occur::Should, Box::new(BoostQuery::new(fz, boost))));
                    }
                }
                (
                    occur,
                    Box::new(BooleanQuery::new(alternatives)) as Box<dyn Query>,
                )
            })
            .collect();
        Box::new(BooleanQuery::new(clauses))
    }

    /// Matching documents, best first, as (score, position in `docs`).
    fn ranked(&self, query: &dyn Query) -> Result<Vec<(f32, usize)>, SearchError> {
        let searcher = self.reader.searcher();
        let limit = (searcher.num_docs() as usize).max(1);
        let top = searcher.search(query, &TopDocs::with_limit(limit).order_by_score())?;
        let mut columns = Vec::with_capacity(searcher.segment_readers().len());
        for reader in searcher.segment_readers() {
            columns.push(reader.fast_fields().u64("ord")?);
        }
        Ok(top
            .into_iter()
            .filter_map(|(score, addr)| {
                let ord = columns.get(addr.segment_ord as usize)?.first(addr.doc_id)?;
                Some((score, usize::try_from(ord).ok()?))
            })
            .collect())
    }

    /// Searches the catalogue: every word must match (exactly, by its French
    /// stem, or with one typo when it has 6 letters or more); when no action
    /// matches them all, any word will do. Actions are then filtered and
    /// counted by facet. An empty text lists every action that passes the filter
    /// (and no organisation or person: the directory lists those).
    pub fn search(
        &self,
        catalogue: &Catalogue,
        text: &str,
        filter: &ActionFilter,
    ) -> Result<Results, SearchError> {
        let (mut results, matched) = self.found(catalogue, text, filter)?;
        results.facets = facets(catalogue, &matched);
        Ok(results)
    }

    /// The actions [`SearchIndex::search`] finds, best first, without the
    /// facets (a search over many cités' programmes counts its own).
    pub fn search_actions(
        &self,
        catalogue: &Catalogue,
        text: &str,
        filter: &ActionFilter,
    ) -> Result<Vec<Hit>, SearchError> {
        Ok(self.found(catalogue, text, filter)?.0.actions)
    }

    fn found<'c>(
        &self,
        catalogue: &'c Catalogue,
        text: &str,
        filter: &ActionFilter,
    ) -> Result<(Results, Vec<&'c passerelle_domain::Action>), SearchError> {
        let words = self.query_words(text)?;
        let hits: Vec<(f32, usize)> = if words.is_empty() {
            (0..self.docs.len())
                .filter(|&i| self.docs[i].0 == HitKind::Action)
                .map(|i| (0.0, i))
                .collect()
        } else {
            let all = self.ranked(&*self.text_query(&words, Occur::Must))?;
            if words.len() == 1
                || all
                    .iter()
                    .any(|(_, i)| self.docs.get(*i).is_some_and(|d| d.0 == HitKind::Action))
            {
                all
            } else {
                self.ranked(&*self.text_query(&words, Occur::Should))?
            }
        };
        let mut results = Results::default();
        let mut matched = Vec::new();
        for (score, i) in hits {
            let Some((kind, id, position)) = self.docs.get(i) else {
                continue;
            };
            let hit = Hit {
                kind: *kind,
                id: id.clone(),
                score,
                position: *position,
            };
            match (kind, position) {
                (HitKind::Action, Some((p, a))) => {
                    let Some(action) = catalogue.programmes.get(*p).and_then(|p| p.actions.get(*a))
                    else {
                        continue;
                    };
                    if filter.matches(catalogue, action) {
                        matched.push(action);
                        results.actions.push(hit);
                    }
                }
                (HitKind::Organisation, _) => results.organisations.push(hit),
                (HitKind::Person, _) => results.people.push(hit),
                (HitKind::Action, None) => {}
            }
        }
        Ok((results, matched))
    }
}

struct QueryWord {
    stems: Vec<String>,
    surface: Option<String>,
}

fn add(doc: &mut TantivyDocument, f: Fields, title: &str, body: &str) {
    doc.add_text(f.title, title);
    doc.add_text(f.body, body);
    doc.add_text(f.title_raw, title);
    doc.add_text(f.body_raw, body);
}

fn count<K: Ord + Clone>(into: &mut BTreeMap<K, (String, usize)>, key: K, label: String) {
    into.entry(key).or_insert((label, 0)).1 += 1;
}

fn sorted(map: BTreeMap<String, (String, usize)>) -> Vec<FacetCount> {
    let mut v: Vec<FacetCount> = map
        .into_iter()
        .map(|(key, (label, count))| FacetCount { key, label, count })
        .collect();
    v.sort_by(|a, b| {
        b.count
            .cmp(&a.count)
            .then_with(|| fold(&a.label).cmp(&fold(&b.label)))
    });
    v
}

fn facets(catalogue: &Catalogue, actions: &[&passerelle_domain::Action]) -> Facets {
    let mut axis = BTreeMap::new();
    let mut audience = BTreeMap::new();
    let mut territory = BTreeMap::new();
    let mut partner = BTreeMap::new();
    let mut operator = BTreeMap::new();
    let mut theme = BTreeMap::new();
    let mut age = Vec::new();
    let axis_title = |n: u8| {
        catalogue
            .current_programme()
            .and_then(|p| p.axes.iter().find(|a| a.number == n))
            .map_or_else(|| format!("Axe {n}"), |a| format!("Axe {n} : {}", a.title))
    };
    for a in actions {
        count(&mut axis, format!("{}", a.axis), axis_title(a.axis));
        let kinds: std::collections::BTreeSet<AudienceKind> =
            a.audiences.iter().map(|x| x.kind).collect();
        for k in kinds {
            count(&mut audience, k.key().to_owned(), k.label().to_owned());
        }
        for p in &a.perimeter {
            let name = catalogue
                .territory(&p.territory)
                .map_or_else(|| p.territory.to_string(), |t| t.name.clone());
            count(&mut territory, p.territory.to_string(), name);
        }
        for p in &a.partners {
            count(
                &mut partner,
                partner_key(&p.label, p.organisation.as_ref()).to_string(),
                p.label.clone(),
            );
        }
        for o in &a.operators {
            count(
                &mut operator,
                partner_key(&o.label, o.organisation.as_ref()).to_string(),
                o.label.clone(),
            );
        }
        for t in &a.themes {
            count(&mut theme, t.key().to_owned(), t.label().to_owned());
        }
    }
    for (lo, hi) in AGE_BANDS {
        let n = actions
            .iter()
            .filter(|a| (lo..=hi).any(|age| matches_age(a, age)))
            .count();
        if n > 0 {
            age.push(FacetCount {
                key: format!("{lo}-{hi}"),
                label: format!("{lo} à {hi} ans"),
                count: n,
            });
        }
    }
    let mut axis = sorted(axis);
    axis.sort_by(|a, b| a.key.cmp(&b.key));
    let theme = sorted(theme)
        .into_iter()
        .filter(|f| Theme::from_key(&f.key).is_some())
        .collect();
    Facets {
        axis,
        audience: sorted(audience),
        age,
        territory: sorted(territory),
        partner: sorted(partner),
        operator: sorted(operator),
        theme,
    }
}
