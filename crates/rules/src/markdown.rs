//! The Markdown report for a support ticket (`keyline run --markdown`, the app's download).

use crate::codes::Outcome;
use crate::report::Report;
use std::fmt::Write;

/// Escapes text so it reads as text in Markdown (and in HTML rendered from it).
fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '#' | '|' | '<' | '>' | '!' => {
                out.push('\\');
                out.push(c);
            }
            '&' => out.push_str("&amp;"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Code-span text: backticks are replaced so the span cannot be closed early.
fn code(text: &str) -> String {
    let t: String = text
        .chars()
        .map(|c| if c == '`' || c.is_control() { '\'' } else { c })
        .collect();
    format!("`{t}`")
}

impl Report {
    /// The report as Markdown: title, summary, each parse error, failing expectation and
    /// failing statement with its line, code, rule, sentence and fix.
    pub fn to_markdown(&self) -> String {
        let mut s = String::new();
        let title = self
            .title
            .as_deref()
            .filter(|t| !t.is_empty())
            .unwrap_or("Untitled scenario");
        let _ = writeln!(s, "# Keyline report: {}\n", esc(title));
        let fails = self
            .steps
            .iter()
            .filter(|x| x.outcome == Outcome::Fail)
            .count();
        let warns = self
            .steps
            .iter()
            .filter(|x| x.outcome == Outcome::Warn)
            .count();
        let _ = writeln!(
            s,
            "**Summary:** {} — {} statements ({} failed, {} warned), {} parse errors.\n",
            self.summary,
            self.steps.len(),
            fails,
            warns,
            self.errors.len()
        );
        if !self.errors.is_empty() {
            let _ = writeln!(s, "## Parse errors\n");
            for e in &self.errors {
                let _ = writeln!(
                    s,
                    "- Line {}:{} — {} — {}",
                    e.line,
                    e.column,
                    e.code.as_str(),
                    esc(&e.message)
                );
            }
            s.push('\n');
        }
        let failing: Vec<_> = self.expectations.iter().filter(|e| !e.passed).collect();
        if !failing.is_empty() {
            let _ = writeln!(s, "## Failing expectations\n");
            for e in failing {
                let _ = writeln!(
                    s,
                    "- Line {}: {} — expected {}, got {}",
                    e.line,
                    code(&e.text),
                    esc(&e.expected()),
                    esc(&e.actual)
                );
            }
            s.push('\n');
        }
        let failed: Vec<_> = self
            .steps
            .iter()
            .filter(|x| x.outcome == Outcome::Fail)
            .collect();
        if !failed.is_empty() {
            let _ = writeln!(s, "## Failing statements\n");
            for st in failed {
                let c = st.code.map(|c| c.as_str()).unwrap_or("");
                let _ = writeln!(
                    s,
                    "- Line {}: {} — **{}** ({})",
                    st.line,
                    code(&st.statement),
                    c,
                    st.rule
                );
                let _ = writeln!(s, "  - {}", esc(&st.message));
                match &st.fix {
                    Some(fix) => {
                        let lines: Vec<String> = fix.iter().map(|l| code(l)).collect();
                        let _ = writeln!(
                            s,
                            "  - Fix: insert before line {}: {}",
                            st.line,
                            lines.join(", ")
                        );
                    }
                    None => {
                        let _ = writeln!(s, "  - Fix: none that a statement can make.");
                    }
                }
            }
            s.push('\n');
        }
        self.key_risks(&mut s);
        let _ = writeln!(
            s,
            "## Final state\n\nDay {}; KMS access {}; {} keys, {} servers, {} disks, {} snapshots, {} backups, {} images, {} configs.",
            self.state.day,
            if self.state.kms_access { "granted" } else { "not granted" },
            self.state.keys.len(),
            self.state.servers.len(),
            self.state.disks.len(),
            self.state.snapshots.len(),
            self.state.backups.len(),
            self.state.images.len(),
            self.state.configs.len()
        );
        s
    }
}

impl Report {
    /// "Key risks": the audit's findings, only when there are any (a report of a scenario
    /// without findings reads exactly as it did before the audit existed).
    fn key_risks(&self, s: &mut String) {
        if self.findings.is_empty() {
            return;
        }
        let _ = writeln!(
            s,
            "## Key risks\n\n{} on the final state (`keyline audit` lists every key and what depends on it):\n",
            if self.findings.len() == 1 {
                "1 finding".to_owned()
            } else {
                format!("{} findings", self.findings.len())
            }
        );
        for f in &self.findings {
            let when = match f.days_left {
                Some(left) => format!(", {left} days left"),
                None => String::new(),
            };
            let _ = writeln!(
                s,
                "- **{}** — {} {} (key {}, {}{}) ({})",
                f.effect.as_str(),
                f.kind,
                code(&f.resource),
                code(&f.key),
                f.key_state,
                when,
                f.rule
            );
            let _ = writeln!(s, "  - {}", esc(&f.message));
            if let Some(fix) = &f.fix {
                let lines: Vec<String> = fix.iter().map(|l| code(l)).collect();
                let _ = writeln!(s, "  - Fix: restore the key: {}", lines.join(", "));
            }
        }
        s.push('\n');
    }
}
