use crate::support::*;

#[test]
fn dump() {
    let p = roubaix();
    std::fs::write("/tmp/catalogue.json", serde_json::to_string_pretty(&p.catalogue).unwrap()).unwrap();
    let r: Vec<String> = p.irregularities.iter().map(|i| format!("{} {:?} {:?} {}", i.line, i.code, i.fiche, i.message)).collect();
    std::fs::write("/tmp/irr.txt", r.join("\n")).unwrap();
}
