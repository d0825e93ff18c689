//! The op `cascade`: a scenario in, the run's JSON report out (the same as `lce run --json`);
//! see `vectors/scenarios/README.md`.

use std::string::String;

use serde_json::{Map, Value};

use super::scenario::{read_scenario, report_value};
use super::{OpError, Output};

/// `cascade`: reads the input as a scenario, runs it, and answers its report.
pub(super) fn run(input: &Map<String, Value>) -> Result<Output, OpError> {
    let scenario = read_scenario(input)?;
    let outcome = scenario.run(None, &mut |_| {})?;
    report_value(&scenario, &outcome)
}
