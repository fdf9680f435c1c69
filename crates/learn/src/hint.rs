//! What a hint quotes: the one place that reads a hint's `backquoted` snippets.
//!
//! A hint is prose whose `backquoted` parts are code (the level files' one markup). Some are
//! whole statements the learner could type (`kms grant`), which the level page previews with
//! the engine; some are a statement's first words (`key enable`) or its shape with
//! placeholders (`disk create NAME encrypt KEY`), which name a statement without being one;
//! some are `expect` lines; the rest are words, names or codes. `lesson check` rejects a hint
//! whose snippet starts like a statement but does not parse ([`crate::check_level`]).

use keyline_rules::{Expectation, Statement, StatementKind, STATEMENT_KEYWORDS};

/// What one `backquoted` snippet of a hint is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Snippet {
    /// A whole statement the learner could type as it is.
    Statement(Statement),
    /// A statement's shape with placeholders for its names (`disk create NAME encrypt KEY`):
    /// it parses, but typing it as it is would not be what the hint means.
    Template(Statement),
    /// A statement's first words that are not a whole statement (`key enable`, `detach`).
    Words(StatementKind),
    /// An `expect` line.
    Expectation(Expectation),
    /// Starts like a statement or an `expect` line but does not parse: the engine's message.
    Broken(String),
    /// Anything else: a word, a name, a code, an option (`encrypt`, `/default`).
    Other,
}

/// A placeholder word of a template: capitals only, at least two (`NAME`, `KEY`, `DISK`).
/// Names may be capitals too, but the course writes real names in lower case, and a
/// one-letter capital name stays a name.
fn is_placeholder(word: &str) -> bool {
    word.len() >= 2 && word.bytes().all(|b| b.is_ascii_uppercase())
}

/// What `snippet` (the text between two backquotes) is.
pub fn classify(snippet: &str) -> Snippet {
    let first = snippet.split([' ', '\t']).next().unwrap_or("");
    if first == "expect" {
        return match snippet.parse::<Expectation>() {
            Ok(e) => Snippet::Expectation(e),
            Err(e) => Snippet::Broken(e.message),
        };
    }
    // `title` is a keyword of the scenario's header, not a statement a hint would quote.
    if first == "title" || !STATEMENT_KEYWORDS.contains(&first) {
        return Snippet::Other;
    }
    // A statement without arguments (`kms grant`) is its own first words: whole first.
    match Statement::parse(snippet) {
        Ok(s) if snippet.split([' ', '\t']).any(is_placeholder) => Snippet::Template(s),
        Ok(s) => Snippet::Statement(s),
        Err(e) => match StatementKind::from_words(snippet) {
            Some(kind) => Snippet::Words(kind),
            None => Snippet::Broken(e.message),
        },
    }
}

/// Every `backquoted` snippet of `hint`, in order, with what it is. An unclosed backquote's
/// tail is a snippet too, as the level page shows it as code.
pub fn hint_snippets(hint: &str) -> Vec<(&str, Snippet)> {
    hint.split('`')
        .skip(1)
        .step_by(2)
        .map(|s| (s, classify(s)))
        .collect()
}

/// The whole statements a hint quotes, in order, each once: what the level page previews
/// with the engine and offers to add. First words, templates, `expect` lines and snippets
/// that do not parse are left out.
pub fn hint_statements(hint: &str) -> Vec<Statement> {
    let mut out: Vec<Statement> = Vec::new();
    for (_, snippet) in hint_snippets(hint) {
        if let Snippet::Statement(s) = snippet {
            if !out.contains(&s) {
                out.push(s);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(hint: &str) -> Vec<String> {
        hint_statements(hint)
            .iter()
            .map(|s| s.to_string())
            .collect()
    }

    #[test]
    fn whole_statements_are_extracted_in_order() {
        assert_eq!(
            texts("Switch roles with `role security-admin`, then `kms grant`."),
            ["role security-admin", "kms grant"]
        );
        assert_eq!(
            texts("`disk create mail-restored from-backup mail-bk` (no `encrypt`: the key comes from mail)."),
            ["disk create mail-restored from-backup mail-bk"]
        );
    }

    #[test]
    fn first_words_templates_expectations_and_prose_are_not_statements() {
        assert_eq!(texts("Use `key enable` on it."), Vec::<String>::new());
        assert_eq!(
            texts("`disk create NAME encrypt KEY` encrypts; `disk create NAME` does not."),
            Vec::<String>::new()
        );
        assert_eq!(
            texts("Check with `expect d1 encrypted k1`."),
            Vec::<String>::new()
        );
        assert_eq!(
            texts("The start acts as a `member`, not `/default`."),
            Vec::<String>::new()
        );
        assert!(matches!(classify("disk create NAME"), Snippet::Template(_)));
        assert!(matches!(classify("key enable"), Snippet::Words(_)));
    }

    #[test]
    fn broken_snippets_give_no_statement() {
        assert!(matches!(
            classify("disk create"),
            Snippet::Broken(_) | Snippet::Words(_)
        ));
        assert!(matches!(classify("disk frobnicate d1"), Snippet::Broken(_)));
        assert_eq!(texts("Try `disk frobnicate d1`."), Vec::<String>::new());
        assert_eq!(texts("Unclosed `kms grant"), ["kms grant"]);
        assert_eq!(texts("`kms grant` and again `kms grant`"), ["kms grant"]);
        assert_eq!(texts(""), Vec::<String>::new());
    }

    #[test]
    fn every_hint_of_the_course_reads_without_a_broken_snippet() {
        for level in crate::Course::builtin().levels {
            for hint in &level.hints {
                for (text, snippet) in hint_snippets(hint) {
                    assert!(
                        !matches!(snippet, Snippet::Broken(_)),
                        "{}: `{text}`",
                        level.id
                    );
                }
            }
        }
    }
}
