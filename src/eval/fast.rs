//! The fast path of a `health` line: the answer without a `serde_json::Value` of the whole case.
//!
//! A keeper sends the same token set with every account; parsing it again into a `Value` (a
//! hash map per object, a string per field) and reading it again is most of the cost of a
//! `health` case. This path scans the line once into a flat list of nodes borrowing the text,
//! reads the token set only when its text has not been seen lately (a small cache keyed by the
//! exact text of `tokens`, `perps` and `options`), reads the account through the same reader
//! as the op, and echoes `input` by copying its text without the white space.
//!
//! **It answers exactly what the general path answers, or nothing.** It takes only lines in a
//! subset of JSON whose `serde_json` reading and compact writing are known: strings without a
//! backslash or a control character (so their text is their value, and `serde_json` writes it
//! back unchanged), numbers that are integers of 1 to 18 digits without a sign or a leading
//! zero (`serde_json` reads and writes them as the same `u64`), no key twice in an object (a
//! `Value` would keep the last one), nesting below [`MAX_DEPTH`], nothing after the object. Of
//! those, it takes only `health` cases whose input has no key the op does not take, and only
//! when everything succeeds: any error, and anything else, is left to the general path, which
//! then answers it (and names the error) as it always does. `tests.rs` compares both paths
//! byte for byte on every vector line and on edits of them.

use std::string::String;
use std::vec::Vec;

use serde_json::{Map, Value};

use super::ops_risk::write_health;
use super::world::TokenSet;
use super::{Definitions, Fields};
use crate::Wad;
use crate::account::{Account, Position};

/// The deepest nesting the fast path scans (deeper lines take the general path).
const MAX_DEPTH: u32 = 16;

/// How many token sets the cache keeps.
const CACHED_SETS: usize = 32;

/// What a node is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Null,
    True,
    False,
    /// A non-negative integer of at most 18 digits.
    Int(u64),
    /// A string whose text (between the quotes) is its value.
    Str,
    Arr,
    Obj,
}

/// One value of the scanned line, in document order: a container's members follow it, up to
/// `next`.
#[derive(Clone, Copy, Debug)]
struct Node {
    kind: Kind,
    /// The value's text: for a string, between the quotes; for a container, from its opening
    /// to its closing bracket included.
    start: usize,
    end: usize,
    /// The span of its key, when it is a member of an object.
    key: Option<(usize, usize)>,
    /// The index of the node after this one's last descendant.
    next: usize,
}

/// A line scanned into nodes (the first node is the whole case).
struct Scan<'t> {
    text: &'t str,
    nodes: Vec<Node>,
}

impl<'t> Scan<'t> {
    /// Scans `text`, or `None` when it is not entirely in the subset (see the module doc).
    fn new(text: &'t str) -> Option<Self> {
        let mut p = Parser {
            bytes: text.as_bytes(),
            pos: 0,
            nodes: Vec::with_capacity(64),
        };
        p.value(None, 0)?;
        p.ws();
        if p.pos != p.bytes.len() || p.nodes.first()?.kind != Kind::Obj {
            return None;
        }
        Some(Self { text, nodes: p.nodes })
    }

    fn node(&self, i: usize) -> Option<&Node> {
        self.nodes.get(i)
    }

    fn str_at(&self, start: usize, end: usize) -> Option<&'t str> {
        self.text.get(start..end)
    }

    /// The members of object `obj`: (key, node index).
    fn members(&self, obj: usize) -> impl Iterator<Item = (&'t str, usize)> + '_ {
        let end = self.node(obj).map_or(obj, |n| n.next);
        let mut i = obj.saturating_add(1);
        core::iter::from_fn(move || {
            if i >= end {
                return None;
            }
            let node = self.node(i)?;
            let (ks, ke) = node.key?;
            let at = i;
            i = node.next;
            Some((self.str_at(ks, ke)?, at))
        })
    }

    /// The member `key` of object `obj`.
    fn get(&self, obj: usize, key: &str) -> Option<usize> {
        self.members(obj).find(|(k, _)| *k == key).map(|(_, i)| i)
    }

    /// The raw text of node `i` (for a string, without its quotes).
    fn raw(&self, i: usize) -> Option<&'t str> {
        let n = self.node(i)?;
        self.str_at(n.start, n.end)
    }

    /// Node `i` and its descendants as a `Value`: what `serde_json` reads from its text.
    fn value(&self, i: usize) -> Option<Value> {
        let n = self.node(i)?;
        Some(match n.kind {
            Kind::Null => Value::Null,
            Kind::True => Value::Bool(true),
            Kind::False => Value::Bool(false),
            Kind::Int(v) => Value::from(v),
            Kind::Str => Value::String(String::from(self.raw(i)?)),
            Kind::Arr => {
                let mut items = Vec::new();
                let mut j = i.saturating_add(1);
                while j < n.next {
                    items.push(self.value(j)?);
                    j = self.node(j)?.next;
                }
                Value::Array(items)
            }
            Kind::Obj => {
                let mut map = Map::new();
                for (k, j) in self.members(i) {
                    map.insert(String::from(k), self.value(j)?);
                }
                Value::Object(map)
            }
        })
    }

    /// Appends the text of node `i` without its white space: what `serde_json` writes for the
    /// `Value` it reads from that text (strings and numbers are kept as they are).
    fn compact(&self, i: usize, out: &mut Vec<u8>) -> Option<()> {
        let n = self.node(i)?;
        let bytes = self.text.as_bytes().get(n.start..n.end)?;
        if n.kind == Kind::Str {
            out.push(b'"');
            out.extend_from_slice(bytes);
            out.push(b'"');
            return Some(());
        }
        let mut in_string = false;
        for &b in bytes {
            match b {
                b'"' => {
                    in_string = !in_string;
                    out.push(b);
                }
                b' ' | b'\t' | b'\n' | b'\r' if !in_string => {}
                _ => out.push(b),
            }
        }
        Some(())
    }
}

/// A recursive-descent scanner of the subset.
struct Parser<'b> {
    bytes: &'b [u8],
    pos: usize,
    nodes: Vec<Node>,
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn bump(&mut self) {
        self.pos = self.pos.saturating_add(1);
    }

    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.bump();
        }
    }

    fn literal(&mut self, word: &[u8]) -> Option<()> {
        let end = self.pos.checked_add(word.len())?;
        (self.bytes.get(self.pos..end)? == word).then(|| self.pos = end)
    }

    /// A string's span (between the quotes), the cursor on its opening quote.
    fn string(&mut self) -> Option<(usize, usize)> {
        self.bump();
        let start = self.pos;
        loop {
            match self.peek()? {
                b'"' => break,
                b'\\' | 0..=0x1f => return None,
                _ => self.bump(),
            }
        }
        let end = self.pos;
        self.bump();
        Some((start, end))
    }

    /// Scans one value (its key given when it is a member of an object) into `nodes`.
    fn value(&mut self, key: Option<(usize, usize)>, depth: u32) -> Option<()> {
        if depth >= MAX_DEPTH {
            return None;
        }
        self.ws();
        let at = self.nodes.len();
        let start = self.pos;
        let mut node = Node {
            kind: Kind::Null,
            start,
            end: start,
            key,
            next: 0,
        };
        self.nodes.push(node);
        match self.peek()? {
            b'n' => self.literal(b"null")?,
            b't' => {
                self.literal(b"true")?;
                node.kind = Kind::True;
            }
            b'f' => {
                self.literal(b"false")?;
                node.kind = Kind::False;
            }
            b'"' => {
                let (s, e) = self.string()?;
                node.kind = Kind::Str;
                node.start = s;
                node.end = e;
            }
            b'1'..=b'9' => {
                let mut v: u64 = 0;
                let mut digits = 0u32;
                while let Some(d @ b'0'..=b'9') = self.peek() {
                    digits = digits.saturating_add(1);
                    if digits > 18 {
                        return None;
                    }
                    v = v.checked_mul(10)?.checked_add(u64::from(d.wrapping_sub(b'0')))?;
                    self.bump();
                }
                // A fraction or an exponent is left to the general path.
                if matches!(self.peek(), Some(b'.' | b'e' | b'E')) {
                    return None;
                }
                node.kind = Kind::Int(v);
            }
            b'0' => {
                self.bump();
                if matches!(self.peek(), Some(b'0'..=b'9' | b'.' | b'e' | b'E')) {
                    return None;
                }
                node.kind = Kind::Int(0);
            }
            b'[' => {
                node.kind = Kind::Arr;
                self.bump();
                self.ws();
                if self.peek()? == b']' {
                    self.bump();
                } else {
                    loop {
                        self.value(None, depth.saturating_add(1))?;
                        self.ws();
                        match self.peek()? {
                            b',' => self.bump(),
                            b']' => {
                                self.bump();
                                break;
                            }
                            _ => return None,
                        }
                    }
                }
            }
            b'{' => {
                node.kind = Kind::Obj;
                self.bump();
                self.ws();
                let first_member = self.nodes.len();
                if self.peek()? == b'}' {
                    self.bump();
                } else {
                    loop {
                        self.ws();
                        if self.peek()? != b'"' {
                            return None;
                        }
                        let k = self.string()?;
                        self.ws();
                        if self.peek()? != b':' {
                            return None;
                        }
                        self.bump();
                        // A key given twice: a `Value` keeps the last one, not worth following.
                        let name = self.bytes.get(k.0..k.1)?;
                        let mut j = first_member;
                        while let Some(m) = self.nodes.get(j) {
                            let (ms, me) = m.key?;
                            if self.bytes.get(ms..me)? == name {
                                return None;
                            }
                            j = m.next;
                        }
                        self.value(Some(k), depth.saturating_add(1))?;
                        self.ws();
                        match self.peek()? {
                            b',' => self.bump(),
                            b'}' => {
                                self.bump();
                                break;
                            }
                            _ => return None,
                        }
                    }
                }
            }
            _ => return None,
        }
        if matches!(
            node.kind,
            Kind::Arr | Kind::Obj | Kind::Null | Kind::True | Kind::False | Kind::Int(_)
        ) {
            node.end = self.pos;
        }
        node.next = self.nodes.len();
        *self.nodes.get_mut(at)? = node;
        Some(())
    }
}

/// The token sets read lately, by the text of their `tokens`, `perps` and `options`.
#[derive(Clone, Debug, Default)]
pub(super) struct SetCache {
    /// (the texts of the three parts, each followed by a NUL; the set they give).
    entries: Vec<(String, TokenSet)>,
    /// The entry the next new set replaces, once the cache is full (first in, first out).
    victim: usize,
}

impl SetCache {
    /// An empty cache.
    pub(super) const fn new() -> Self {
        Self {
            entries: Vec::new(),
            victim: 0,
        }
    }

    /// The set whose parts have the texts `parts`, or the one `read` gives, kept.
    fn get_or_read(&mut self, parts: [&str; 3], read: impl FnOnce() -> Option<TokenSet>) -> Option<&TokenSet> {
        let len: usize = parts.iter().map(|p| p.len().saturating_add(1)).sum();
        let same = |key: &str| {
            key.len() == len && {
                let mut rest = key.as_bytes();
                parts.iter().all(|p| match rest.split_at_checked(p.len()) {
                    Some((head, tail)) if head == p.as_bytes() && tail.first() == Some(&0) => {
                        rest = tail.get(1..).unwrap_or(&[]);
                        true
                    }
                    _ => false,
                })
            }
        };
        let at = match self.entries.iter().position(|(k, _)| same(k)) {
            Some(i) => i,
            None => {
                let set = read()?;
                let mut key = String::with_capacity(len);
                for p in parts {
                    key.push_str(p);
                    key.push('\u{0}');
                }
                if self.entries.len() < CACHED_SETS {
                    self.entries.push((key, set));
                    self.entries.len().saturating_sub(1)
                } else {
                    let i = self.victim;
                    *self.entries.get_mut(i)? = (key, set);
                    self.victim = i.saturating_add(1) % CACHED_SETS;
                    i
                }
            }
        };
        self.entries.get(at).map(|(_, set)| set)
    }
}

/// The account of array node `at`, when it is read as [`read_account`](super::read_account)
/// reads it without an error: each position exactly `{"token", "balance"}`,
/// `{"perp", "base"[, "quote"]}` or `{"option", "quantity"}` (in any order), indices that
/// name an entry of `set`, decimals that parse, no slot twice, within the capacity. Anything
/// else is `None` (the general path then reads it, and names the error).
fn account(scan: &Scan<'_>, at: usize, set: &TokenSet) -> Option<Account> {
    let node = scan.node(at)?;
    if node.kind != Kind::Arr {
        return None;
    }
    let mut account = Account::new();
    let mut i = at.saturating_add(1);
    while i < node.next {
        let p = scan.node(i)?;
        if p.kind != Kind::Obj {
            return None;
        }
        let (mut index, mut amount, mut quote, mut slot) = (None, None, None, None);
        let mut fields = 0usize;
        for (key, j) in scan.members(i) {
            fields = fields.saturating_add(1);
            let int = || match scan.node(j)?.kind {
                Kind::Int(v) => u16::try_from(v).ok(),
                _ => None,
            };
            let dec = || match scan.node(j)?.kind {
                Kind::Str => Wad::parse_decimal(scan.raw(j)?).ok(),
                _ => None,
            };
            match key {
                "token" | "perp" | "option" if slot.is_none() => {
                    slot = Some(key);
                    index = Some(int()?);
                }
                "balance" | "base" | "quantity" if amount.is_none() => amount = Some((key, dec()?)),
                "quote" => quote = Some(dec()?),
                _ => return None,
            }
        }
        let (index, (amount_key, amount)) = (index?, amount?);
        let (len, position) = match (slot?, amount_key, quote) {
            ("token", "balance", None) if fields == 2 => (
                set.tokens.len(),
                Position::Token {
                    token: index,
                    balance: amount,
                },
            ),
            ("perp", "base", quote) => (
                set.perps.len(),
                Position::Perp {
                    market: index,
                    base: amount,
                    quote: quote.unwrap_or(Wad::ZERO),
                },
            ),
            ("option", "quantity", None) if fields == 2 => (
                set.options.len(),
                Position::Option {
                    series: index,
                    quantity: amount,
                },
            ),
            _ => return None,
        };
        if usize::from(index) >= len {
            return None;
        }
        account.open(position).ok()?;
        i = p.next;
    }
    Some(account)
}

/// The keys of a `health` input that the kernel's own rule reads: a case with any other key
/// (a preset's `protocol`, `pool`, `position`) takes the general path.
const KERNEL_HEALTH_INPUTS: &[&str] = &["tokens", "perps", "options", "account"];

/// Appends the answer to `line` to `out` when it is a `health` case in the subset that
/// succeeds (see the module documentation), and returns `Some`; otherwise appends nothing and
/// returns `None`.
pub(super) fn health_line(line: &str, defs: &Definitions, cache: &mut SetCache, out: &mut Vec<u8>) -> Option<()> {
    // Other ops are not scanned at all.
    if !line.contains("\"health\"") {
        return None;
    }
    let scan = Scan::new(line)?;
    let op = scan.get(0, "op")?;
    if scan.node(op)?.kind != Kind::Str || scan.raw(op)? != "health" {
        return None;
    }
    let input = scan.get(0, "input")?;
    if scan.node(input)?.kind != Kind::Obj || scan.members(input).any(|(k, _)| !KERNEL_HEALTH_INPUTS.contains(&k)) {
        return None;
    }
    let tokens = scan.get(input, "tokens")?;
    let part = |key: &str| scan.get(input, key);
    let set = match scan.node(tokens)?.kind {
        Kind::Str => {
            if part("perps").is_some() || part("options").is_some() {
                return None;
            }
            defs.get(scan.raw(tokens)?)?
        }
        Kind::Arr => {
            // An absent part is "", a present one is an array: its text starts with '['.
            let text = |key: &str| match part(key) {
                None => Some(""),
                Some(i) if scan.node(i)?.kind == Kind::Arr => scan.raw(i),
                Some(_) => None,
            };
            let parts = [scan.raw(tokens)?, text("perps")?, text("options")?];
            cache.get_or_read(parts, || {
                let mut parts = Map::new();
                for name in ["tokens", "perps", "options"] {
                    if let Some(i) = part(name) {
                        parts.insert(String::from(name), scan.value(i)?);
                    }
                }
                TokenSet::read(&Fields::root(&parts)).ok()
            })?
        }
        _ => return None,
    };
    let account = account(&scan, part("account")?, set)?;
    let ctx = set.context().ok()?;
    // `{"op":"health","input":<its text, compact>,"output":<output>}`, all or nothing.
    let start = out.len();
    out.extend_from_slice(b"{\"op\":\"health\",\"input\":");
    let written = scan.compact(input, out).and_then(|()| {
        out.extend_from_slice(b",\"output\":");
        write_health(&account, &ctx, out).ok()?;
        out.push(b'}');
        Some(())
    });
    if written.is_none() {
        out.truncate(start);
    }
    written
}
