//! Reading cases: JSON Lines, or one JSON array of cases.

use std::collections::VecDeque;
use std::format;
use std::io::{self, BufRead};
use std::string::String;
use std::vec::Vec;

use serde_json::Value;

use super::{OpError, eval_case};

/// One case read from a source: the line it starts on and its JSON, or why it is not JSON.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    /// The 1-based line of the source where the case starts (for a syntax error: where the
    /// error is).
    pub line: usize,
    /// The case, or `json: <parse message> at line L column C` when the text is not JSON.
    pub case: Result<Value, String>,
}

impl Entry {
    /// The answer to this entry: [`eval_case`] of the case, or [`json_error_answer`] when it
    /// is not JSON.
    #[must_use]
    pub fn answer(&self) -> Value {
        match &self.case {
            Ok(case) => eval_case(case),
            Err(what) => json_error_answer(what),
        }
    }

    /// The case's `expect`, when it is a JSON object that has one.
    #[must_use]
    pub fn expect(&self) -> Option<&Value> {
        self.case.as_ref().ok()?.get("expect")
    }
}

/// The answer to text that is not JSON: `{"op": null, "input": null, "error": {"kind":
/// "invalid", "what": what, "why": "the text is not valid JSON"}}` (`what` holds the
/// parser's message and where).
#[must_use]
pub fn json_error_answer(what: &str) -> Value {
    super::answer(Value::Null, Value::Null, Err(OpError::invalid(what, NOT_JSON)))
}

/// The why of text that is not JSON.
pub(crate) const NOT_JSON: &str = "the text is not valid JSON";

/// Reads the cases of `source` (see [`Reader`]).
pub fn read_cases<R: BufRead>(source: R) -> Reader<R> {
    Reader {
        source,
        line: 0,
        started: false,
        done: false,
        pending: VecDeque::new(),
    }
}

/// An iterator over the cases of a source, in order.
///
/// The source is JSON Lines — one case per line, blank lines skipped, a line that is not JSON
/// giving an [`Entry`] with an `Err` case before reading goes on — unless its first
/// non-whitespace character is `[`: then the whole source is one JSON array of cases. In an
/// array, a syntax error ends the reading: the cases before it are kept, and the error is the
/// last entry. A UTF-8 byte-order mark at the start is ignored.
///
/// JSON Lines are read one line at a time, so a program can write a case to a pipe and read
/// its answer before it writes the next one. An item is `Err` only when the source itself
/// cannot be read; the iterator ends after it.
#[derive(Debug)]
pub struct Reader<R> {
    source: R,
    /// The number of lines read so far.
    line: usize,
    /// Whether a non-blank line has been seen (the format is decided on the first one).
    started: bool,
    /// Whether the source is exhausted (what is left is in `pending`).
    done: bool,
    /// Entries of an array, parsed at once and handed out one by one.
    pending: VecDeque<Entry>,
}

impl<R: BufRead> Iterator for Reader<R> {
    type Item = io::Result<Entry>;

    fn next(&mut self) -> Option<Self::Item> {
        if let Some(entry) = self.pending.pop_front() {
            return Some(Ok(entry));
        }
        if self.done {
            return None;
        }
        match self.advance() {
            Ok(Some(entry)) => Some(Ok(entry)),
            Ok(None) => {
                self.done = true;
                None
            }
            Err(e) => {
                self.done = true;
                Some(Err(e))
            }
        }
    }
}

/// JSON's white space.
const JSON_WS: [char; 4] = [' ', '\t', '\n', '\r'];

impl<R: BufRead> Reader<R> {
    /// Reads up to the next entry.
    fn advance(&mut self) -> io::Result<Option<Entry>> {
        let mut buf = Vec::new();
        loop {
            buf.clear();
            if self.source.read_until(b'\n', &mut buf)? == 0 {
                return Ok(None);
            }
            self.line = self.line.saturating_add(1);
            let line = self.line;
            if line == 1 && buf.starts_with(b"\xEF\xBB\xBF") {
                buf.drain(..3);
            }
            let Ok(text) = core::str::from_utf8(&buf) else {
                self.started = true;
                return Ok(Some(Entry {
                    line,
                    case: Err(format!("json: invalid UTF-8 at line {line}")),
                }));
            };
            let trimmed = text.trim_start_matches(JSON_WS);
            if trimmed.is_empty() {
                continue;
            }
            if !self.started && trimmed.starts_with('[') {
                self.started = true;
                self.done = true;
                self.source.read_to_end(&mut buf)?;
                self.pending = match String::from_utf8(buf) {
                    Ok(all) => read_array(&all, line),
                    Err(_) => VecDeque::from([Entry {
                        line,
                        case: Err(String::from("json: invalid UTF-8")),
                    }]),
                };
                return Ok(self.pending.pop_front());
            }
            self.started = true;
            // Without its line end, so that an error at the end of the line is placed on it.
            let text = text.strip_suffix('\n').unwrap_or(text);
            let text = text.strip_suffix('\r').unwrap_or(text);
            let case = serde_json::from_str(text).map_err(|e| {
                let at = Position { line, column: 1 };
                json_message(&e, at)
            });
            return Ok(Some(Entry { line, case }));
        }
    }
}

/// A place in the source, 1-based.
#[derive(Clone, Copy, Debug)]
struct Position {
    line: usize,
    column: usize,
}

/// `json: <message> at line L column C`, for a serde_json error in text that starts at `at`.
fn json_message(e: &serde_json::Error, at: Position) -> String {
    let full = format!("{e}");
    // serde_json appends " at line L column C" relative to the text it read: replace it with
    // the position in the whole source.
    let message = full.rfind(" at line ").and_then(|i| full.get(..i)).unwrap_or(&full);
    if e.line() == 0 {
        return format!("json: {message} at line {}", at.line);
    }
    let line = at.line.saturating_add(e.line()).saturating_sub(1);
    let column = if e.line() == 1 {
        at.column.saturating_add(e.column()).saturating_sub(1)
    } else {
        e.column()
    };
    format!("json: {message} at line {line} column {column}")
}

/// A cursor over the text of an array, keeping track of lines and columns.
struct Cursor<'a> {
    text: &'a str,
    pos: usize,
    line: usize,
    line_start: usize,
}

impl<'a> Cursor<'a> {
    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    fn rest(&self) -> &'a str {
        self.text.get(self.pos..).unwrap_or("")
    }

    /// Moves `n` bytes on, counting the line ends passed.
    fn bump(&mut self, n: usize) {
        let end = self.pos.saturating_add(n).min(self.text.len());
        let passed = self.text.as_bytes().get(self.pos..end).unwrap_or(&[]);
        for (i, &b) in passed.iter().enumerate() {
            if b == b'\n' {
                self.line = self.line.saturating_add(1);
                self.line_start = self.pos.saturating_add(i).saturating_add(1);
            }
        }
        self.pos = end;
    }

    fn skip_ws(&mut self) {
        let n = self
            .rest()
            .len()
            .saturating_sub(self.rest().trim_start_matches(JSON_WS).len());
        self.bump(n);
    }

    fn position(&self) -> Position {
        Position {
            line: self.line,
            column: self.pos.saturating_sub(self.line_start).saturating_add(1),
        }
    }

    /// An entry for a syntax error at the cursor.
    fn error(&self, message: &str) -> Entry {
        let at = self.position();
        Entry {
            line: at.line,
            case: Err(format!("json: {message} at line {} column {}", at.line, at.column)),
        }
    }
}

/// The entries of a JSON array of cases whose text `text` starts on line `first_line`.
fn read_array(text: &str, first_line: usize) -> VecDeque<Entry> {
    let mut entries = VecDeque::new();
    let mut cur = Cursor {
        text,
        pos: 0,
        line: first_line,
        line_start: 0,
    };
    cur.skip_ws();
    cur.bump(1); // the '['
    cur.skip_ws();
    if cur.peek() == Some(b']') {
        cur.bump(1);
        return finish_array(cur, entries);
    }
    loop {
        cur.skip_ws();
        let start = cur.position();
        let mut stream = serde_json::Deserializer::from_str(cur.rest()).into_iter::<Value>();
        match stream.next() {
            Some(Ok(case)) => {
                entries.push_back(Entry {
                    line: start.line,
                    case: Ok(case),
                });
                let consumed = stream.byte_offset();
                cur.bump(consumed);
            }
            Some(Err(e)) => {
                let message = json_message(&e, start);
                let line = if e.line() == 0 {
                    start.line
                } else {
                    start.line.saturating_add(e.line()).saturating_sub(1)
                };
                entries.push_back(Entry {
                    line,
                    case: Err(message),
                });
                return entries;
            }
            None => {
                entries.push_back(cur.error("EOF while parsing a list"));
                return entries;
            }
        }
        cur.skip_ws();
        match cur.peek() {
            Some(b',') => cur.bump(1),
            Some(b']') => {
                cur.bump(1);
                return finish_array(cur, entries);
            }
            Some(_) => {
                entries.push_back(cur.error("expected `,` or `]`"));
                return entries;
            }
            None => {
                entries.push_back(cur.error("EOF while parsing a list"));
                return entries;
            }
        }
    }
}

/// After the closing `]`: only white space may follow.
fn finish_array(mut cur: Cursor<'_>, mut entries: VecDeque<Entry>) -> VecDeque<Entry> {
    cur.skip_ws();
    if cur.peek().is_some() {
        entries.push_back(cur.error("trailing characters after the array"));
    }
    entries
}
