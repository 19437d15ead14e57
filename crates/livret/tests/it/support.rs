use passerelle_livret::{Parsed, Reference, bundled};

pub(crate) fn booklet() -> String {
    bundled::BOOKLET.to_owned()
}

pub(crate) fn reference() -> Reference {
    bundled::reference().expect("bundled reference data parses")
}

pub(crate) fn roubaix() -> Parsed {
    bundled::roubaix().expect("bundled booklet parses").1
}
