//! The shared planner: what every target reads to know what a goal, step or
//! tier is measured from and how. Targets import this module, never each
//! other: `openslo` and `alertmanager` reach the same series, measures,
//! burn-rate pairs and weekday runs that `prometheus` compiles to rules.

pub mod burn;
pub mod measure;
pub mod segments;
pub mod series;
pub mod weekdays;
