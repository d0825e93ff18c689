//! `lce study --html`: a self-contained report page.

use lce::study::{Outcome, Study};

/// The page.
pub fn page(_study: &Study, _outcome: &Outcome) -> Result<String, String> {
    Ok(String::new())
}
