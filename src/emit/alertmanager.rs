//! The `alertmanager` target (in progress).
use crate::model::Agreement;
pub fn emit(_a: &Agreement, source: &str) -> String { super::header(source) }
