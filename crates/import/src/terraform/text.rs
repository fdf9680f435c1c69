//! The scenario's text, rendered line by line with the line number of every planned change's
//! statements (the app and `keyline audit` point at them).

use super::builder::Line;
use super::PLANNED_MARKER;

/// The text written so far.
pub(super) struct Text {
    text: String,
    /// Lines written so far (the title is line 1).
    line_no: u32,
    /// The line numbers of each planned change's statements.
    change_lines: Vec<Vec<u32>>,
}

impl Text {
    /// A text holding only its title, for a plan of `changes` planned changes.
    pub(super) fn new(title: &str, changes: usize) -> Self {
        Text {
            text: format!("{title}\n"),
            line_no: 1,
            change_lines: vec![Vec::new(); changes],
        }
    }

    fn push(&mut self, line: &str) {
        self.text.push_str(line);
        self.text.push('\n');
        self.line_no += 1;
    }

    /// Writes one line; a blank line only when the text does not end with one already.
    pub(super) fn line(&mut self, l: Line) {
        match l {
            Line::Blank => {
                if !self.text.ends_with("\n\n") {
                    self.push("");
                }
            }
            Line::Note(n) => self.push(&format!("# {n}")),
            Line::Warning(w) => self.push(&format!("# warning: {w}")),
            Line::Stmt(s, c, change) => {
                let mut line = s.to_string();
                if !c.is_empty() {
                    line.push_str("  # ");
                    line.push_str(&c);
                }
                self.push(&line);
                let line_no = self.line_no;
                if let Some(list) = change.and_then(|i| self.change_lines.get_mut(i)) {
                    list.push(line_no);
                }
            }
        }
    }

    /// Writes the `# planned changes` section; returns the marker's line number.
    pub(super) fn planned(&mut self, lines: Vec<Line>) -> u32 {
        self.line(Line::Blank);
        self.push(PLANNED_MARKER);
        let marker = self.line_no;
        self.push("# Terraform fixes no order between independent changes; here new keys come first, then key state changes, detaches and deletions, then creations, attaches and power changes: the order that shows the risk (a detach after its key's disabling warns, an attach fails).");
        for l in lines {
            self.line(l);
        }
        marker
    }

    /// The text and the line numbers of each planned change's statements.
    pub(super) fn finish(self) -> (String, Vec<Vec<u32>>) {
        (self.text, self.change_lines)
    }
}
