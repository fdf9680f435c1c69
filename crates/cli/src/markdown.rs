//! Scenarios inside Markdown (`keyline check guide.md`): every fenced code block whose info
//! string's first word is `keyline` is one scenario. CommonMark is read by `pulldown-cmark`
//! (backtick and tilde fences, indented fences, fences in lists and block quotes, an unclosed
//! fence running to the end of the document), with source offsets, so each scenario line
//! knows its line and column in the Markdown file.

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};

/// One `keyline` block: its scenario text and where each of its lines starts in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub text: String,
    /// For each scenario line (0-based index), its 1-based line in the Markdown file and the
    /// number of characters before it on that line (container markers, indentation).
    starts: Vec<(u32, u32)>,
    /// The Markdown line of the opening fence.
    fence_line: u32,
}

impl Block {
    /// The Markdown line of the scenario's 1-based `line`.
    pub fn md_line(&self, line: u32) -> u32 {
        self.start(line).0
    }

    /// The Markdown line and column of the scenario's 1-based `line` and `column`.
    pub fn md_position(&self, line: u32, column: u32) -> (u32, u32) {
        let (l, before) = self.start(line);
        (l, before.saturating_add(column))
    }

    fn start(&self, line: u32) -> (u32, u32) {
        let index = usize::try_from(line.saturating_sub(1)).unwrap_or(usize::MAX);
        match self.starts.get(index) {
            Some(&s) => s,
            // A line the block does not hold (the engine numbers only lines it was given, so
            // this is a defence): count on from the last known line, or from the fence.
            None => {
                let after_last = index.saturating_add(1).saturating_sub(self.starts.len());
                let after_last = u32::try_from(after_last).unwrap_or(u32::MAX);
                match self.starts.last() {
                    Some(&(l, _)) => (l.saturating_add(after_last), 0),
                    None => (self.fence_line.saturating_add(line), 0),
                }
            }
        }
    }
}

/// Whether a fenced block's info string marks a Keyline scenario: its first word is `keyline`.
pub fn is_keyline(info: &str) -> bool {
    info.split_whitespace().next() == Some("keyline")
}

/// Line starts of `text` (byte offsets), for offset → line lookups.
struct Lines<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Lines { text, starts }
    }

    /// The 1-based line of `offset` and the characters before it on that line.
    fn position(&self, offset: usize) -> (u32, u32) {
        let index = match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let start = self.starts.get(index).copied().unwrap_or(0);
        let before = self
            .text
            .get(start..offset)
            .map_or(0, |s| s.chars().count());
        (
            u32::try_from(index + 1).unwrap_or(u32::MAX),
            u32::try_from(before).unwrap_or(u32::MAX),
        )
    }
}

/// Every `keyline` block of a Markdown document, in order.
pub fn blocks(md: &str) -> Vec<Block> {
    let lines = Lines::new(md);
    let mut out = Vec::new();
    let mut current: Option<Block> = None;
    // Whether the next text starts a new scenario line (after a line end, or at the start).
    let mut fresh = true;
    for (event, range) in Parser::new_ext(md, Options::empty()).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) if is_keyline(&info) => {
                current = Some(Block {
                    text: String::new(),
                    starts: Vec::new(),
                    fence_line: lines.position(range.start).0,
                });
                fresh = true;
            }
            Event::Text(t) => {
                if let Some(b) = current.as_mut() {
                    // Where the text sits in the file: its range, or its end when the parser
                    // dropped indentation it had counted in the range.
                    let at = match md.get(range.clone()) {
                        Some(src) if src == &*t => range.start,
                        _ => range.end.saturating_sub(t.len()).max(range.start),
                    };
                    append(b, &t, at, &lines, &mut fresh);
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some(b) = current.take() {
                    out.push(b);
                }
            }
            _ => {}
        }
    }
    if let Some(b) = current.take() {
        out.push(b);
    }
    out
}

/// Appends text found at byte `at` of the file, recording where each new line starts.
fn append(b: &mut Block, t: &str, at: usize, lines: &Lines<'_>, fresh: &mut bool) {
    let mut offset = at;
    for piece in t.split_inclusive('\n') {
        if *fresh {
            b.starts.push(lines.position(offset));
        }
        b.text.push_str(piece);
        *fresh = piece.ends_with('\n');
        offset = offset.saturating_add(piece.len());
    }
}

/// Whether a file name is Markdown: `.md` or `.markdown`, in any case.
pub fn is_markdown_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.ends_with(".md") || lower.ends_with(".markdown")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines_of(b: &Block) -> Vec<u32> {
        (1..=u32::try_from(b.text.lines().count()).unwrap())
            .map(|l| b.md_line(l))
            .collect()
    }

    #[test]
    fn backtick_and_tilde_fences() {
        let md = "# Guide\n\n```keyline\nkey create k1\nexpect ok\n```\n\ntext\n\n~~~ keyline title\nwait 1\n~~~\n\n```rust\nfn x() {}\n```\n";
        let b = blocks(md);
        assert_eq!(b.len(), 2);
        assert_eq!(b[0].text, "key create k1\nexpect ok\n");
        assert_eq!(lines_of(&b[0]), vec![4, 5]);
        assert_eq!(b[1].text, "wait 1\n");
        assert_eq!(lines_of(&b[1]), vec![11]);
    }

    #[test]
    fn indented_fences_and_containers_keep_their_columns() {
        let md = "- step\n\n  ```keyline\n  key create k1\n  ```\n\n> ```keyline\n> key  create k2\n>\n> wait 1\n> ```\n";
        let b = blocks(md);
        assert_eq!(b.len(), 2);
        assert_eq!(b[0].text, "key create k1\n");
        assert_eq!(b[0].md_position(1, 5), (4, 7));
        assert_eq!(b[1].text, "key  create k2\n\nwait 1\n");
        assert_eq!(lines_of(&b[1]), vec![8, 9, 10]);
        assert_eq!(b[1].md_position(3, 1), (10, 3));
    }

    #[test]
    fn an_unclosed_fence_runs_to_the_end() {
        let md = "intro\n\n```keyline\nkey create k1\nwait 1";
        let b = blocks(md);
        assert_eq!(b.len(), 1);
        assert_eq!(b[0].text, "key create k1\nwait 1");
        assert_eq!(lines_of(&b[0]), vec![4, 5]);
    }

    #[test]
    fn only_keyline_blocks() {
        assert!(is_keyline("keyline"));
        assert!(is_keyline("  keyline  board"));
        assert!(!is_keyline("keylines"));
        assert!(!is_keyline("Keyline"));
        assert!(!is_keyline(""));
        let md = "    key create k1\n\n```\nkey create k1\n```\n";
        assert!(
            blocks(md).is_empty(),
            "indented code and bare fences are not scenarios"
        );
    }

    #[test]
    fn lines_beyond_the_block_count_on() {
        let b = blocks(
            "```keyline
```

```keyline
key create k1
```
",
        );
        assert_eq!(b.len(), 2);
        assert_eq!(b[0].md_line(1), 2);
        assert_eq!(b[1].md_line(1), 5);
        assert_eq!(b[1].md_line(3), 7);
    }

    #[test]
    fn markdown_names() {
        assert!(is_markdown_name("docs/Guide.MD"));
        assert!(is_markdown_name("a.markdown"));
        assert!(!is_markdown_name("a.kl"));
        assert!(!is_markdown_name("-"));
    }
}
