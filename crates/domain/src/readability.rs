//! How readable a French text is: two scores and the rules of the
//! easy-to-read standard (*FALC*, « facile à lire et à comprendre ») that a
//! machine can check. No IO; the text is Markdown, as the fields hold it.
//!
//! - **Flesch, Kandel & Moles' French adaptation** (1958), the variant
//!   textstat and most French tools use:
//!   `207 − 1.015 × words/sentence − 73.6 × syllables/word`.
//!   Higher is easier; 60–70 is ordinary prose, under 30 "very difficult".
//! - **LIX** (Björnsson): `words/sentence + 100 × long words/words`, a long
//!   word having more than 6 letters. Lower is easier.
//!
//! Syllables are those of spoken French (see [`syllables`]); sentences end at
//! `.`, `!`, `?` or `…`, and each Markdown paragraph, list item or heading
//! ends one too.

/// The FALC limit on a sentence's length, in words.
pub const MAX_SENTENCE_WORDS: usize = 15;

/// The counts the scores are computed from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub sentences: usize,
    pub words: usize,
    pub syllables: usize,
    /// Words of more than 6 letters.
    pub long_words: usize,
}

impl Counts {
    /// Kandel & Moles' Flesch score; `None` for a text without words.
    pub fn flesch(&self) -> Option<f64> {
        (self.words > 0 && self.sentences > 0).then(|| {
            207.0
                - 1.015 * self.words as f64 / self.sentences as f64
                - 73.6 * self.syllables as f64 / self.words as f64
        })
    }

    /// Björnsson's LIX; `None` for a text without words.
    pub fn lix(&self) -> Option<f64> {
        (self.words > 0 && self.sentences > 0).then(|| {
            self.words as f64 / self.sentences as f64
                + 100.0 * self.long_words as f64 / self.words as f64
        })
    }
}

/// The usual bands of the Flesch scale, easiest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Band {
    VeryEasy,
    Easy,
    FairlyEasy,
    Standard,
    FairlyDifficult,
    Difficult,
    VeryDifficult,
}

impl Band {
    pub fn of(flesch: f64) -> Band {
        match flesch {
            f if f >= 90.0 => Band::VeryEasy,
            f if f >= 80.0 => Band::Easy,
            f if f >= 70.0 => Band::FairlyEasy,
            f if f >= 60.0 => Band::Standard,
            f if f >= 50.0 => Band::FairlyDifficult,
            f if f >= 30.0 => Band::Difficult,
            _ => Band::VeryDifficult,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Band::VeryEasy => "très facile",
            Band::Easy => "facile",
            Band::FairlyEasy => "assez facile",
            Band::Standard => "standard",
            Band::FairlyDifficult => "assez difficile",
            Band::Difficult => "difficile",
            Band::VeryDifficult => "très difficile",
        }
    }

    /// A key for styles and tests.
    pub fn key(self) -> &'static str {
        match self {
            Band::VeryEasy => "tres-facile",
            Band::Easy => "facile",
            Band::FairlyEasy => "assez-facile",
            Band::Standard => "standard",
            Band::FairlyDifficult => "assez-difficile",
            Band::Difficult => "difficile",
            Band::VeryDifficult => "tres-difficile",
        }
    }
}

/// One sentence of the text, as a reader sees it (Markdown removed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    pub text: String,
    /// The line of the field where it starts (1-based).
    pub line: usize,
    pub words: usize,
}

/// What breaks one of the FALC rules a machine can check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rule {
    /// A sentence of more than [`MAX_SENTENCE_WORDS`] words.
    LongSentence(usize),
    /// An acronym whose first use is not followed or preceded by its meaning
    /// in parentheses.
    UndefinedAcronym(String),
    /// A number written in letters.
    NumberInLetters(String),
    /// A percentage sign.
    Percent,
    /// A roman numeral.
    RomanNumeral(String),
    /// A sign a reader may not know (`&`, `/`, `#`, `°`…).
    SpecialSign(char),
}

impl Rule {
    /// What the quality report says, in French.
    pub fn message(&self) -> String {
        match self {
            Rule::LongSentence(n) => {
                format!("phrase de {n} mots (au plus {MAX_SENTENCE_WORDS})")
            }
            Rule::UndefinedAcronym(a) => {
                format!("sigle « {a} » non expliqué à sa première apparition")
            }
            Rule::NumberInLetters(w) => format!("nombre écrit en lettres : « {w} »"),
            Rule::Percent => "pourcentage (« % ») : préférez « 1 sur 4 »".to_owned(),
            Rule::RomanNumeral(r) => format!("chiffre romain « {r} »"),
            Rule::SpecialSign(c) => format!("signe « {c} » à éviter"),
        }
    }
}

/// A rule broken, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fault {
    pub line: usize,
    pub rule: Rule,
    /// The sentence at fault (shortened when long).
    pub sentence: String,
}

/// Everything measured of one text.
#[derive(Debug, Clone, PartialEq)]
pub struct Analysis {
    pub counts: Counts,
    pub sentences: Vec<Sentence>,
    pub faults: Vec<Fault>,
}

impl Analysis {
    pub fn flesch(&self) -> Option<f64> {
        self.counts.flesch()
    }

    pub fn lix(&self) -> Option<f64> {
        self.counts.lix()
    }

    pub fn band(&self) -> Option<Band> {
        self.flesch().map(Band::of)
    }

    /// "52 (assez difficile), LIX 48": one line for a page.
    pub fn summary(&self) -> Option<String> {
        let (f, l, b) = (self.flesch()?, self.lix()?, self.band()?);
        Some(format!(
            "{} ({}), LIX {}",
            f.round() as i64,
            b.label(),
            l.round() as i64
        ))
    }
}

/// Measures a Markdown text.
pub fn analyse(markdown: &str) -> Analysis {
    let sentences = sentences(markdown);
    let mut counts = Counts {
        sentences: sentences.len(),
        ..Counts::default()
    };
    for s in &sentences {
        for w in words(&s.text) {
            counts.words += 1;
            counts.syllables += syllables(w);
            if w.chars().filter(|c| c.is_alphabetic()).count() > 6 {
                counts.long_words += 1;
            }
        }
    }
    let faults = faults(&sentences);
    Analysis {
        counts,
        sentences,
        faults,
    }
}

/// The words of a plain text: runs between spaces holding a letter or a
/// digit, their punctuation trimmed. `l'école` and `Familles-Écoles` are
/// one word each, as the reader sees them.
pub fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| c.is_whitespace())
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| w.chars().any(char::is_alphanumeric))
}

const VOWELS: &str = "aeiouyàâäéèêëîïôöùûüœæ";

fn is_vowel(c: char) -> bool {
    VOWELS.contains(c)
}

/// Nouns, adjectives and adverbs ending in `-ent` (whose ending is heard),
/// where a verb's `-ent` (ils *parlent*) is silent. Words in `-ment` are
/// taken as heard without being listed.
const HEARD_ENT: &[&str] = &[
    "absent",
    "accident",
    "adolescent",
    "agent",
    "argent",
    "cent",
    "client",
    "compétent",
    "conscient",
    "content",
    "continent",
    "dent",
    "différent",
    "équivalent",
    "évident",
    "excellent",
    "fréquent",
    "gent",
    "incident",
    "indulgent",
    "innocent",
    "insuffisent",
    "intelligent",
    "lent",
    "parent",
    "patient",
    "permanent",
    "pertinent",
    "présent",
    "président",
    "récent",
    "référent",
    "régent",
    "résident",
    "souvent",
    "talent",
    "urgent",
    "vent",
];

/// The syllables of a French word as spoken: a final mute `e` (`école`,
/// `écoles`) and a verb's final `-ent` are silent, an inner `e` is counted
/// (`sa-me-di`), a vowel before another is a glide (`science`, `nuage`: one
/// syllable) except after a consonant and `l` or `r` (`cli-ent`), and `é`
/// or a diaeresis after a vowel starts a syllable of its own (`po-é-sie`,
/// `No-ël`), as does a vowel after `é` (`cré-a-tion`).
/// A number counts one syllable per digit; a word always has at least one.
pub fn syllables(word: &str) -> usize {
    let lower: Vec<char> = word.to_lowercase().chars().collect();
    if lower.iter().all(|c| !c.is_alphabetic()) {
        return lower.iter().filter(|c| c.is_ascii_digit()).count().max(1);
    }
    // The word's letters only: an elided article has no syllable of its own
    // (l'école is é-cole).
    let letters: Vec<char> = lower.into_iter().filter(|c| c.is_alphabetic()).collect();
    let n = letters.len();
    // The u of qu and gu is no vowel.
    let vowel_at = |i: usize| {
        is_vowel(letters[i]) && !(letters[i] == 'u' && i > 0 && matches!(letters[i - 1], 'q' | 'g'))
    };
    let vowels: Vec<bool> = (0..n).map(vowel_at).collect();
    let mut count = 0;
    for i in 0..n {
        if !vowels[i] {
            continue;
        }
        let c = letters[i];
        let prev = |k: usize| i.checked_sub(k).map(|j| letters[j]);
        let in_group = i > 0 && vowels[i - 1];
        let starts_new = !in_group
            // é or a diaeresis after a vowel: po-é-sie, No-ël, na-ïf (but
            // the glide of so-cié-té).
            || (matches!(c, 'é' | 'ï' | 'ë' | 'ü') && prev(1) != Some('i'))
            // A vowel after é: cré-a-tion, ré-u-nion (but idée, journée).
            || (prev(1) == Some('é') && c != 'e')
            // After y between vowels: cra-yon, ci-toy-en.
            || (prev(1) == Some('y') && i >= 2 && vowels[i - 2])
            // i before a vowel after a consonant and l or r: cli-ent, pri-er.
            || (prev(1) == Some('i')
                && prev(2).is_some_and(|c| matches!(c, 'l' | 'r'))
                && prev(3).is_some_and(|c| !is_vowel(c) && !matches!(c, 'l' | 'r')))
            // The prefix co- before a vowel: co-o-pé-ra-tion, co-or-di-na-tion.
            || (i == 2 && letters[..2] == ['c', 'o'] && matches!(c, 'o' | 'a' | 'é'));
        if starts_new {
            count += 1;
        }
    }
    let text: String = letters.iter().collect();
    // Whether the word ends with `suffix` after a consonant (the u of qu
    // and gu being one: langue, chaque).
    let consonant_before = |suffix: &str| {
        let len = suffix.chars().count();
        text.ends_with(suffix) && n > len && !vowels[n - len - 1]
    };
    // A final mute e alone after a consonant (école, écoles), a verb's -ent.
    let silent = consonant_before("e")
        || consonant_before("es")
        || (consonant_before("ent")
            && n > 4
            && !text.ends_with("ment")
            && !HEARD_ENT.contains(&text.as_str()));
    if silent && count > 1 {
        count -= 1;
    }
    count.max(1)
}

/// The sentences of a Markdown text, with their line.
pub fn sentences(markdown: &str) -> Vec<Sentence> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut start = 0;
    let flush = |current: &mut String, start: usize, out: &mut Vec<Sentence>| {
        let text = crate::text::squash_spaces(current);
        current.clear();
        let words = words(&text).count();
        if words > 0 {
            out.push(Sentence {
                text,
                line: start,
                words,
            });
        }
    };
    for (i, raw) in markdown.lines().enumerate() {
        let line_no = i + 1;
        let trimmed = raw.trim();
        let (block_start, content) = block_content(trimmed);
        if trimmed.is_empty() || block_start {
            flush(&mut current, start, &mut out);
        }
        if trimmed.is_empty() {
            continue;
        }
        let plain = strip_inline(content);
        let chars: Vec<char> = plain.chars().collect();
        for (j, &c) in chars.iter().enumerate() {
            if current.trim().is_empty() {
                start = line_no;
            }
            current.push(c);
            if matches!(c, '.' | '!' | '?' | '…')
                && chars
                    .get(j + 1)
                    .is_none_or(|n| n.is_whitespace() || *n == '»')
                && !is_abbreviation(&current)
            {
                flush(&mut current, start, &mut out);
            }
        }
        current.push(' ');
        if block_start && is_heading(trimmed) {
            flush(&mut current, start, &mut out);
        }
    }
    flush(&mut current, start, &mut out);
    out
}

fn is_heading(line: &str) -> bool {
    line.starts_with('#')
}

/// Whether a line starts a block of its own (a heading, a list item, a
/// quotation), and its text without the marker.
fn block_content(line: &str) -> (bool, &str) {
    if let Some(rest) = line.strip_prefix('#') {
        return (true, rest.trim_start_matches('#').trim());
    }
    for marker in ["- ", "* ", "+ ", "> "] {
        if let Some(rest) = line.strip_prefix(marker) {
            return (true, rest);
        }
    }
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 {
        let rest = &line[digits..];
        if let Some(r) = rest.strip_prefix(". ").or_else(|| rest.strip_prefix(") ")) {
            return (true, r);
        }
    }
    (false, line)
}

/// Markdown's inline marks removed: emphasis, links (their text kept),
/// autolinks and HTML tags (their text kept).
fn strip_inline(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let chars: Vec<char> = line.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '*' | '_' if is_emphasis(&chars, i) => i += 1,
            '`' => i += 1,
            '<' => {
                // An HTML tag or an autolink: skip to '>', keeping an
                // autolink's address as a word.
                let end = chars[i..].iter().position(|c| *c == '>').map(|p| p + i);
                match end {
                    Some(e) => {
                        let inner: String = chars[i + 1..e].iter().collect();
                        if inner.contains("://") || inner.contains('@') {
                            out.push_str(&inner);
                        }
                        i = e + 1;
                    }
                    None => {
                        out.push('<');
                        i += 1;
                    }
                }
            }
            ']' if chars.get(i + 1) == Some(&'(') => {
                // The end of a link's text: skip its address.
                let end = chars[i..].iter().position(|c| *c == ')').map(|p| p + i);
                i = end.map_or(i + 1, |e| e + 1);
            }
            '[' => i += 1,
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}

/// Whether a `*` or `_` is an emphasis mark rather than a letter's
/// neighbour inside a word (`snake_case`) or a sign standing alone.
fn is_emphasis(chars: &[char], i: usize) -> bool {
    let prev = i.checked_sub(1).map(|p| chars[p]);
    let next = chars.get(i + 1).copied();
    let alnum = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    if chars[i] == '_' && alnum(prev) && alnum(next) {
        return false;
    }
    !(prev.is_none_or(char::is_whitespace) && next.is_none_or(char::is_whitespace))
}

/// Whether the text ends with an abbreviation's point rather than a
/// sentence's: `M.`, `Mme.`, `etc.` followed by more, an initial.
fn is_abbreviation(text: &str) -> bool {
    let last = text
        .trim_end_matches('.')
        .rsplit(|c: char| c.is_whitespace() || c == '(')
        .next()
        .unwrap_or_default();
    let letters = last.chars().filter(|c| c.is_alphabetic()).count();
    (letters == 1 && last.chars().all(|c| c.is_uppercase()))
        || ["M", "Mme", "Mlle", "Dr", "cf", "ex", "p", "n", "av", "bd"].contains(&last)
}

const NUMBER_WORDS: &[&str] = &[
    "deux",
    "trois",
    "quatre",
    "cinq",
    "six",
    "sept",
    "huit",
    "dix",
    "onze",
    "douze",
    "treize",
    "quatorze",
    "quinze",
    "seize",
    "vingt",
    "vingts",
    "trente",
    "quarante",
    "cinquante",
    "soixante",
    "cent",
    "cents",
    "mille",
    "million",
    "millions",
    "milliard",
    "milliards",
];

/// Signs the FALC guides ask to avoid. `+` is left to acronyms (REP+), `@`
/// and `/` to addresses.
const SPECIAL_SIGNS: &[char] = &[
    '&', '#', '§', '°', '\\', '|', '~', '^', '=', '*', '<', '>', '/',
];

fn faults(sentences: &[Sentence]) -> Vec<Fault> {
    let mut out = Vec::new();
    let mut defined: Vec<String> = Vec::new();
    for s in sentences {
        let mut push = |rule: Rule| {
            out.push(Fault {
                line: s.line,
                rule,
                sentence: shorten(&s.text, 160),
            })
        };
        if s.words > MAX_SENTENCE_WORDS {
            push(Rule::LongSentence(s.words));
        }
        if s.text.contains('%') {
            push(Rule::Percent);
        }
        let tokens: Vec<&str> = s.text.split_whitespace().collect();
        let mut signs: Vec<char> = Vec::new();
        for (k, token) in tokens.iter().enumerate() {
            let address = token.contains("://") || token.contains('@') || token.starts_with("www.");
            if !address {
                for c in token.chars() {
                    if SPECIAL_SIGNS.contains(&c) && !signs.contains(&c) {
                        signs.push(c);
                    }
                }
            }
            let word = token.trim_matches(|c: char| !c.is_alphanumeric() && c != '+');
            let bare = word.trim_end_matches('+');
            let lower = word.to_lowercase();
            if NUMBER_WORDS.contains(&lower.as_str())
                || lower.split('-').filter(|p| !p.is_empty()).count() > 1
                    && lower
                        .split('-')
                        .all(|p| NUMBER_WORDS.contains(&p) || p == "et")
            {
                push(Rule::NumberInLetters(word.to_owned()));
            } else if is_roman(bare) {
                push(Rule::RomanNumeral(bare.to_owned()));
            } else if is_acronym(bare) && !defined.iter().any(|d| d == bare) {
                defined.push(bare.to_owned());
                let explained = token.starts_with('(')
                    || tokens.get(k + 1).is_some_and(|n| n.starts_with('('))
                    || token.ends_with(')')
                    || k > 0 && tokens[k - 1].ends_with(')');
                if !explained {
                    push(Rule::UndefinedAcronym(word.to_owned()));
                }
            }
        }
        for c in signs {
            push(Rule::SpecialSign(c));
        }
    }
    out
}

/// Two to seven capitals (digits allowed after the first): CAF, REP, QPV,
/// PLFEQ. Not a roman numeral.
fn is_acronym(word: &str) -> bool {
    let caps = word.chars().filter(|c| c.is_uppercase()).count();
    (2..=7).contains(&caps)
        && word.chars().next().is_some_and(char::is_uppercase)
        && word.chars().all(|c| c.is_uppercase() || c.is_ascii_digit())
        && !is_roman(word)
}

/// I, V and X only (II, IV, XXI), with an ordinal ending (XXe, Ier). Not C,
/// D, L, M, which make acronyms (CDI, CM).
fn is_roman(word: &str) -> bool {
    let core = ["ème", "er", "e"]
        .iter()
        .find_map(|s| word.strip_suffix(s))
        .unwrap_or(word);
    let ordinal = core.len() < word.len();
    !core.is_empty()
        && core.chars().all(|c| matches!(c, 'I' | 'V' | 'X'))
        && (core.len() >= 2 || ordinal)
}

fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let cut: String = text.chars().take(max).collect();
    let at = cut.rfind(' ').unwrap_or(cut.len());
    format!("{}…", &cut[..at])
}

#[cfg(test)]
mod tests;
