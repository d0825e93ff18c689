//! What the long-running commands (`lce run`, `lce study`) share: a failure with its exit
//! status, the Ctrl-C flag, and the files they write.

use std::fs::OpenOptions;
use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;

/// A failure of a command: its message and exit status (1: invalid input or a failed run;
/// 2: a file that cannot be read or written; [`INTERRUPTED`]).
pub struct Failure(pub String, pub u8);

/// The exit status of a command that Ctrl-C interrupted (128 + SIGINT, as a shell reports it).
pub const INTERRUPTED: u8 = 130;

/// Set by the first Ctrl-C: the command stops at the end of its current block or path.
pub static STOP: AtomicBool = AtomicBool::new(false);

/// The command's exit status; a failure's message goes to standard error as `lce NAME: …`.
pub fn finish(name: &str, outcome: Result<u8, Failure>) -> ExitCode {
    match outcome {
        Ok(code) => ExitCode::from(code),
        Err(Failure(message, code)) => {
            let _ = writeln!(io::stderr(), "lce {name}: {message}");
            ExitCode::from(code)
        }
    }
}

/// Sets [`STOP`] on the first Ctrl-C; quits at once (exit status [`INTERRUPTED`]) on the
/// second. Without a handler (the platform refused one, or has no signals: WASI), Ctrl-C ends
/// the process as usual.
pub fn catch_ctrl_c() {
    #[cfg(not(target_arch = "wasm32"))]
    let _ = ctrlc::set_handler(|| {
        if STOP.swap(true, std::sync::atomic::Ordering::SeqCst) {
            std::process::exit(i32::from(INTERRUPTED));
        }
    });
}

/// Writes `contents` to `path`; a failure names the path (exit status 2).
pub fn write_file(path: &Path, contents: impl AsRef<[u8]>) -> Result<(), Failure> {
    std::fs::write(path, contents).map_err(|e| Failure(format!("cannot write {}: {e}", path.display()), 2))
}

/// Writes `text` to standard output and flushes it; a failure says it could not write `what`
/// (exit status 2).
pub fn write_stdout(what: &str, text: &str) -> Result<(), Failure> {
    let mut out = io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|e| Failure(format!("cannot write {what}: {e}"), 2))
}

/// Checks, before the command runs, that `what` can be written to `path`: its directory
/// exists and the file can be opened for writing (an existing file is not truncated here; a
/// new one is created and removed again).
///
/// Errors: a message naming the path, exit status 2.
pub fn writable(what: &str, path: &Path) -> Result<(), Failure> {
    let fail = |why: String| {
        Failure(
            format!("cannot write {what} to {}: {why} (nothing was run)", path.display()),
            2,
        )
    };
    if path.is_dir() {
        return Err(fail(String::from("it is a directory")));
    }
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    if !dir.is_dir() {
        return Err(fail(format!("the directory {} does not exist", dir.display())));
    }
    // `--csv SCENARIO.json` (the scenario taken as the output's name) must not destroy it: no
    // output of lce is JSON written to a path given this way, so an existing JSON file is kept.
    let json = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json") || e.eq_ignore_ascii_case("jsonl"));
    if json && path.exists() {
        return Err(fail(String::from(
            "it is an existing JSON file (a scenario or vectors?), which lce does not overwrite with an output; \
             name the output file, or remove that one first",
        )));
    }
    if path.exists() {
        OpenOptions::new()
            .write(true)
            .open(path)
            .map(drop)
            .map_err(|e| fail(e.to_string()))
    } else {
        OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(path)
            .map_err(|e| fail(e.to_string()))?;
        std::fs::remove_file(path).map_err(|e| fail(e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_output_path_is_checked_before_the_run() {
        let dir = std::env::temp_dir().join(format!("lce-writable-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap_or_default();
        let new = dir.join("new.svg");
        assert!(writable("the chart", &new).is_ok());
        assert!(!new.exists(), "the probe leaves no file behind");
        let old = dir.join("old.csv");
        std::fs::write(&old, "kept").unwrap_or_default();
        assert!(writable("the CSV", &old).is_ok());
        // An existing JSON file (a scenario taken as the output's name) is never overwritten.
        let scenario = dir.join("scenario.json");
        std::fs::write(&scenario, "{}").unwrap_or_default();
        let Err(Failure(message, 2)) = writable("the CSV", &scenario) else {
            unreachable!("an existing JSON file fails with status 2")
        };
        assert!(message.contains("existing JSON file"), "{message}");
        assert_eq!(std::fs::read_to_string(&scenario).unwrap_or_default(), "{}");
        assert_eq!(
            std::fs::read_to_string(&old).unwrap_or_default(),
            "kept",
            "not truncated"
        );
        let Err(Failure(message, 2)) = writable("the chart", &dir.join("missing/x.svg")) else {
            unreachable!("a missing directory fails with status 2")
        };
        assert!(
            message.ends_with("missing does not exist (nothing was run)"),
            "{message}"
        );
        let Err(Failure(message, 2)) = writable("the chart", &dir) else {
            unreachable!("a directory fails with status 2")
        };
        assert!(message.ends_with("it is a directory (nothing was run)"), "{message}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
