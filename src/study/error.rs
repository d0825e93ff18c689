//! The error of a study: what is wrong, where in the study, and why.

use core::fmt;
use std::string::String;

use crate::eval::OpError;

/// Why a study cannot be read or run.
///
/// `what` names the place in the study (`vary[0].field`, `solve.range`, `paths`, or
/// `scenario.venues[1].oracle.latency` for the scenario's own fields); `why` says what is
/// wrong in a few words; `field`, when there is one, is the scenario field concerned (the field
/// a path names, or the field the scenario reader refused).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StudyError {
    /// The kind of error, as [`Error::kind`](crate::Error::kind): `"invalid"`, `"overflow"`, …
    pub kind: &'static str,
    /// Where in the study.
    pub what: String,
    /// Why, in a few words.
    pub why: &'static str,
    /// The scenario field concerned, if any.
    pub field: Option<String>,
}

impl StudyError {
    /// An `invalid` error at `what`, because `why`.
    #[must_use]
    pub fn invalid(what: impl Into<String>, why: &'static str) -> Self {
        Self {
            kind: "invalid",
            what: what.into(),
            why,
            field: None,
        }
    }

    /// The same error, naming the scenario field `field`.
    #[must_use]
    pub fn with_field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    /// The scenario reader's (or a run's) error `e`, met at `what` in the study: its kind, the
    /// scenario field it names, and `why`.
    #[must_use]
    pub fn scenario(what: impl Into<String>, why: &'static str, e: &OpError) -> Self {
        Self {
            kind: e.kind,
            what: what.into(),
            why,
            field: Some(e.what.clone()),
        }
    }
}

impl fmt::Display for StudyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} `{}`", self.kind, self.what)?;
        if let Some(field) = &self.field {
            write!(f, " ({field})")?;
        }
        write!(f, ": {}", self.why)
    }
}

impl std::error::Error for StudyError {}
