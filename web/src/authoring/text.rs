//! Text edits: lines inserted into the scenario, a word replaced by a suggestion, and where
//! an inserted line lands.

/// Inserts `lines` so that the first becomes line `at + 1` (0-based index `at`), keeping a
/// final newline. Returns the new text and the 1-based line of the last inserted line.
pub fn insert_lines<L: AsRef<str>>(text: &str, at: usize, lines: &[L]) -> (String, u32) {
    let mut all: Vec<&str> = if text.is_empty() {
        Vec::new()
    } else {
        text.strip_suffix('\n')
            .unwrap_or(text)
            .split('\n')
            .collect()
    };
    let at = at.min(all.len());
    for (i, l) in lines.iter().enumerate() {
        all.insert(at + i, l.as_ref());
    }
    let mut out = all.join("\n");
    out.push('\n');
    (out, u32::try_from(at + lines.len()).unwrap_or(u32::MAX))
}

/// Replaces the word at `line:column` (1-based, characters) with `word`.
pub fn replace_word(text: &str, line: u32, column: u32, word: &str) -> Option<String> {
    let mut lines: Vec<String> = text.split('\n').map(str::to_owned).collect();
    let l = lines.get_mut((line as usize).checked_sub(1)?)?;
    let start = l
        .char_indices()
        .nth((column as usize).checked_sub(1)?)
        .map(|(i, _)| i)?;
    let end = l
        .get(start..)?
        .find([' ', '\t', '#', '\r'])
        .map_or(l.len(), |i| start + i);
    l.replace_range(start..end, word);
    Some(lines.join("\n"))
}

/// The 1-based line a line inserted after the caret's line becomes (after the last line when
/// there is no caret): where [`keyline_rules::preview`] must look.
pub fn insertion_line(cursor_line: Option<u32>, text: &str) -> u32 {
    match cursor_line {
        Some(l) => l.saturating_add(1),
        None => u32::try_from(text.lines().count())
            .unwrap_or(u32::MAX)
            .saturating_add(1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inserts_after_a_line_or_at_the_end() {
        let (t, last) = insert_lines("a\nb\n", 1, &["x", "y"]);
        assert_eq!((t.as_str(), last), ("a\nx\ny\nb\n", 3));
        let (t, last) = insert_lines("a\nb", 9, &["x"]);
        assert_eq!((t.as_str(), last), ("a\nb\nx\n", 3));
        let (t, last) = insert_lines("", 0, &["x"]);
        assert_eq!((t.as_str(), last), ("x\n", 1));
    }

    #[test]
    fn replaces_the_word_at_a_position() {
        assert_eq!(
            replace_word("a\ndisk creat d1\n", 2, 6, "create").as_deref(),
            Some("a\ndisk create d1\n")
        );
        assert_eq!(replace_word("x", 3, 1, "y"), None);
    }

    #[test]
    fn an_inserted_line_lands_after_the_caret_or_at_the_end() {
        assert_eq!(insertion_line(Some(2), "a\nb\nc\n"), 3);
        assert_eq!(insertion_line(None, "a\nb\nc\n"), 4);
        assert_eq!(insertion_line(None, ""), 1);
        // The line the reducer gives the first inserted line is the same.
        let (_, last) = insert_lines("a\nb\nc\n", 2, &["x"]);
        assert_eq!(last, insertion_line(Some(2), "a\nb\nc\n"));
    }
}
