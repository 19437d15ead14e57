//! The world Typst compiles in: one template compiled into the binary, one
//! JSON file of data, the fonts shipped in the binary. Nothing is read from
//! disk or the network: any other file is "not found".

use std::sync::LazyLock;

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

/// The booklet's template.
const TEMPLATE: &str = include_str!("../templates/livret.typ");
/// The template of a committee's minutes.
const MINUTES: &str = include_str!("../templates/proces-verbal.typ");
/// The template of a funding convention.
const CONVENTION: &str = include_str!("../templates/convention.typ");
/// The template of a revue de projet.
const REVUE: &str = include_str!("../templates/revue.typ");

/// Which document a world compiles.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Template {
    Booklet,
    Minutes,
    Convention,
    Revue,
}

struct Shared {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
    main: FileId,
    minutes: FileId,
    convention: FileId,
    revue: FileId,
    data: FileId,
}

fn file_id(path: &str) -> FileId {
    // The paths are constants: a failure here is a bug seen by every test.
    let vpath = VirtualPath::new(path).expect("a constant virtual path");
    FileId::new(RootedPath::new(VirtualRoot::Project, vpath))
}

static SHARED: LazyLock<Shared> = LazyLock::new(|| {
    let fonts: Vec<Font> = typst_assets::fonts()
        .flat_map(|data| Font::iter(Bytes::new(data)))
        .collect();
    Shared {
        library: LazyHash::new(Library::default()),
        book: LazyHash::new(FontBook::from_fonts(&fonts)),
        fonts,
        main: file_id("/livret.typ"),
        minutes: file_id("/proces-verbal.typ"),
        convention: file_id("/convention.typ"),
        revue: file_id("/revue.typ"),
        data: file_id("/data.json"),
    }
});

pub(crate) struct BookletWorld {
    main: Source,
    data: Bytes,
    today: Datetime,
}

impl BookletWorld {
    pub(crate) fn new(template: Template, data: Vec<u8>, today: Datetime) -> BookletWorld {
        let main = match template {
            Template::Booklet => Source::new(SHARED.main, TEMPLATE.to_owned()),
            Template::Minutes => Source::new(SHARED.minutes, MINUTES.to_owned()),
            Template::Convention => Source::new(SHARED.convention, CONVENTION.to_owned()),
            Template::Revue => Source::new(SHARED.revue, REVUE.to_owned()),
        };
        BookletWorld {
            main,
            data: Bytes::new(data),
            today,
        }
    }
}

impl World for BookletWorld {
    fn library(&self) -> &LazyHash<Library> {
        &SHARED.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &SHARED.book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else {
            Err(FileError::AccessDenied)
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == SHARED.data {
            Ok(self.data.clone())
        } else if id == self.main.id() {
            Ok(Bytes::from_string(self.main.clone()))
        } else {
            Err(FileError::AccessDenied)
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        SHARED.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        Some(self.today)
    }
}
