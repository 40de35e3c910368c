//! The pest parser generated from `grammar/slac.pest`.
#[derive(pest_derive::Parser)]
#[grammar = "../grammar/slac.pest"]
pub struct SlacParser;
