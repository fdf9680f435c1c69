//! The parser on arbitrary bytes: never panics, every error is positioned inside the text, and
//! valid UTF-8 parses the same through `parse` and `parse_bytes`.
#![no_main]

use keyline_rules::Program;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let p = Program::parse_bytes(data);
    let lines = p.source.split('\n').count();
    for e in &p.errors {
        assert!(
            e.line >= 1 && e.line as usize <= lines,
            "{e:?} outside {lines} lines"
        );
        assert!(e.column >= 1, "{e:?}");
        // The message is what the CLI prints after `FILE:`.
        assert!(e
            .to_string()
            .starts_with(&format!("{}:{}: ", e.line, e.column)));
    }
    for item in &p.items {
        // Item ranges slice the source on character boundaries.
        assert!(p.source.get(item.text.clone()).is_some(), "{item:?}");
    }
    if let Ok(text) = std::str::from_utf8(data) {
        let q = Program::parse(text);
        assert_eq!(p.items, q.items);
        assert_eq!(p.errors, q.errors);
        assert_eq!(p.title, q.title);
    }
});
