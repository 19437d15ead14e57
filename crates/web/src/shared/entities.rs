//! Entities as the store keeps them, for the areas that write them: the
//! stored version of one, and the canonical body a save writes.

use passerelle_domain::{Action, Axis, Cite, EntityKind, Organisation, Person, Territory};
use serde_json::Value;

use crate::shared::error::{AppError, store_error};

/// The stored entity, or a French 404.
pub(crate) async fn stored(
    ed: &crate::shared::ctx::Editor,
    kind: EntityKind,
    key: &str,
) -> Result<passerelle_store::Versioned, AppError> {
    ed.store
        .entity(ed.cite(), kind, key)
        .await
        .map_err(store_error)?
        .ok_or_else(|| AppError::NotFound("Cette fiche n'existe pas.".into()))
}

/// The body read back as its domain type and written again: the last check
/// before saving, and the canonical form the store keeps (defaults left out,
/// as an import writes them).
pub(crate) fn canonical(kind: EntityKind, body: Value) -> Result<Value, String> {
    fn via<T: serde::Serialize + for<'de> serde::Deserialize<'de>>(
        v: Value,
    ) -> Result<Value, String> {
        let typed: T = serde_json::from_value(v).map_err(|e| e.to_string())?;
        serde_json::to_value(typed).map_err(|e| e.to_string())
    }
    match kind {
        EntityKind::Action => via::<Action>(body),
        EntityKind::Axis => via::<Axis>(body),
        EntityKind::Organisation => via::<Organisation>(body),
        EntityKind::Person => via::<Person>(body),
        EntityKind::Territory => via::<Territory>(body),
        EntityKind::Cite => via::<Cite>(body),
        EntityKind::Seminar => via::<passerelle_domain::Seminar>(body),
        EntityKind::Programme => {
            let ok = body.get("slug").and_then(Value::as_str).is_some()
                && body.get("start_year").and_then(Value::as_i64)
                    <= body.get("end_year").and_then(Value::as_i64);
            if ok {
                Ok(body)
            } else {
                Err("la dernière année précède la première".into())
            }
        }
    }
}
