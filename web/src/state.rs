//! The app's one state and its reducer. Every change is an [`Action`]; the reducer evaluates
//! the new text with the engine, and components render what it reported.

use crate::authoring::text::insert_lines;
use crate::authoring::{Line, Lines};
use keyline_rules::{Program, Report, RuleId};
use std::rc::Rc;
use yew::prelude::*;

/// The largest scenario the app takes, typed, pasted or sent to the embed (a link's limit is
/// lower: `keyline_link::MAX_TEXT`). Beyond it the text is refused and the current one kept.
pub const MAX_SCENARIO_BYTES: usize = 8_000_000;

const MB: usize = 1_000_000;

/// The alert for a scenario of `bytes` bytes, over [`MAX_SCENARIO_BYTES`].
pub fn too_large(bytes: usize) -> Notice {
    Notice {
        alert: true,
        text: format!(
            "That scenario is larger than {} MB ({}.{} MB), so it was not loaded. Your scenario is unchanged.",
            MAX_SCENARIO_BYTES / MB,
            // Integers: formatting an f64 would add its formatter to the bundle.
            bytes / MB,
            bytes / (MB / 10) % 10,
        ),
    }
}

/// A shared value compared by identity: the report is replaced, never changed in place, so
/// comparing pointers is exact and avoids a deep comparison on every render.
#[derive(Debug)]
pub struct Shared<T>(pub Rc<T>);

impl<T> Clone for Shared<T> {
    fn clone(&self) -> Self {
        Shared(self.0.clone())
    }
}

impl<T> PartialEq for Shared<T> {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl<T> std::ops::Deref for Shared<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

/// The engine's report, shared between components.
pub type ReportRef = Shared<Report>;
/// The parsed scenario the report was built from, for the analyses (lineage, what-if, the
/// state at a step), so that no component parses the text again.
pub type ProgramRef = Shared<Program>;

/// Parses `text` once, after the `locked` lines (a level's start; empty in the playground),
/// and evaluates both as one scenario.
fn evaluate(locked: &str, text: &str) -> (ProgramRef, ReportRef) {
    let program = if locked.is_empty() {
        Program::parse(text)
    } else {
        Program::parse(&format!("{locked}\n{text}"))
    };
    let report = Report::build(&program);
    (Shared(Rc::new(program)), Shared(Rc::new(report)))
}

/// How many lines `locked` puts before the editable text (see [`AppState::locked`]).
fn lines_in(locked: &str) -> u32 {
    if locked.is_empty() {
        0
    } else {
        u32::try_from(locked.split('\n').count()).unwrap_or(u32::MAX)
    }
}

/// What is selected: a line and the resources it involves (highlighted everywhere).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Selection {
    pub line: Option<u32>,
    pub names: Vec<String>,
}

/// A message shown above the workspace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// An alert (`role="alert"`): something went wrong.
    pub alert: bool,
    pub text: String,
}

/// Where the text came from, for history and autosave.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// Typed, or inserted by a builder action.
    Edit,
    /// Restored from storage on load.
    Saved,
    /// Opened from a `#s=`/`#z=` link or an embed message: not saved until edited.
    Link,
    /// An example or a history entry, replacing the text.
    Replace,
}

/// Everything the app knows.
#[derive(Debug, Clone, PartialEq)]
pub struct AppState {
    /// The editable text (a level's learner lines, or the whole playground scenario).
    pub text: Rc<str>,
    /// Lines evaluated before `text` that nobody edits here: a level's locked start (no
    /// trailing newline), empty in the playground. The report's and the program's line numbers
    /// count them; [`AppState::offset`] maps them back to the editor's.
    pub locked: Rc<str>,
    pub program: ProgramRef,
    pub report: ReportRef,
    pub origin: Origin,
    /// Bumped whenever the text changes by other means than typing, so the editor re-syncs.
    pub revision: u64,
    /// 1-based line of the caret, where builder actions insert after.
    pub cursor_line: Option<u32>,
    pub selection: Selection,
    pub rule: Option<RuleId>,
    pub notice: Option<Notice>,
    /// Time travel: show the state after this many statements (None: live).
    pub at_step: Option<usize>,
}

impl AppState {
    pub fn new(text: &str, origin: Origin) -> Self {
        Self::with_locked("", text, origin)
    }

    /// A state whose `locked` lines come before the editable `text` (a level page).
    pub fn with_locked(locked: &str, text: &str, origin: Origin) -> Self {
        let locked = locked.strip_suffix('\n').unwrap_or(locked);
        let (program, report) = evaluate(locked, text);
        AppState {
            text: text.into(),
            locked: locked.into(),
            program,
            report,
            origin,
            revision: 0,
            cursor_line: None,
            selection: Selection::default(),
            rule: None,
            notice: None,
            at_step: None,
        }
    }

    /// How many locked lines come before the editable text: a report line `L` is the
    /// editor's line `L - offset`.
    pub fn offset(&self) -> u32 {
        lines_in(&self.locked)
    }

    /// The caret's line in the whole evaluated scenario (locked lines counted), for the
    /// builder and the board, which read the program.
    pub fn program_cursor(&self) -> Option<u32> {
        self.cursor_line.map(|l| l.saturating_add(self.offset()))
    }

    /// The state with `lines` inserted after line `at` of the text (past the end: appended),
    /// the caret on the last inserted line and that line selected.
    fn inserted(&self, at: usize, lines: &[Line]) -> Self {
        let lines: Vec<String> = lines.iter().map(Line::text).collect();
        let (text, last) = insert_lines(&self.text, at, &lines);
        let mut s = self.with_text(text, Origin::Edit, true);
        s.cursor_line = Some(last);
        s.selection = Selection {
            line: Some(last + self.offset()),
            names: Vec::new(),
        };
        s
    }

    fn with_text(&self, text: String, origin: Origin, resync: bool) -> Self {
        let (program, report) = evaluate(&self.locked, &text);
        let at_step = self.at_step.filter(|s| *s < report.steps.len());
        AppState {
            text: text.into(),
            locked: self.locked.clone(),
            program,
            report,
            origin,
            revision: self.revision + u64::from(resync),
            cursor_line: self.cursor_line,
            selection: self.selection.clone(),
            rule: self.rule,
            notice: self.notice.clone(),
            at_step,
        }
    }
}

/// What can happen.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// The user typed: the whole new text.
    Edit(String),
    /// Replace the text (an example, a link, history, an embed message).
    Load(String, Origin),
    /// Insert lines after the caret's line (or at the end), as a builder action does. Shared,
    /// so a button that inserts them again does not copy them.
    Insert(Lines),
    /// Insert lines after the last line, wherever the caret is (a hint's "Add this line",
    /// previewed at the end of the learner's lines).
    Append(Lines),
    /// Insert lines just before a 1-based line (a fix).
    InsertBefore(u32, Lines),
    Cursor(u32),
    Select(Selection),
    OpenRule(Option<RuleId>),
    Notify(Option<Notice>),
    /// Time travel to after this many statements; None is live.
    TimeTravel(Option<usize>),
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        match action {
            Action::Edit(ref text) | Action::Load(ref text, _)
                if text.len() > MAX_SCENARIO_BYTES =>
            {
                let mut s = (*self).clone();
                // The editor puts the text it had back.
                s.revision += 1;
                s.notice = Some(too_large(text.len()));
                Rc::new(s)
            }
            Action::Edit(text) if *self.text == *text => self,
            Action::Edit(text) => Rc::new(self.with_text(text, Origin::Edit, false)),
            Action::Load(text, origin) => {
                let mut s = self.with_text(text, origin, true);
                s.cursor_line = None;
                s.selection = Selection::default();
                s.at_step = None;
                Rc::new(s)
            }
            Action::Insert(lines) => {
                let total = self.text.lines().count();
                let at = self.cursor_line.map_or(total, |l| l as usize);
                Rc::new(self.inserted(at, &lines))
            }
            Action::Append(lines) => Rc::new(self.inserted(usize::MAX, &lines)),
            Action::InsertBefore(line, lines) => {
                let lines: Vec<String> = lines.iter().map(Line::text).collect();
                // A line of the whole scenario; never inside the locked start.
                let at = (line.saturating_sub(self.offset()) as usize).saturating_sub(1);
                let (text, last) = insert_lines(&self.text, at, &lines);
                let mut s = self.with_text(text, Origin::Edit, true);
                s.selection = Selection {
                    line: Some(last + 1 + self.offset()),
                    names: Vec::new(),
                };
                Rc::new(s)
            }
            Action::Cursor(line) if self.cursor_line == Some(line) => self,
            Action::Cursor(line) => {
                let mut s = (*self).clone();
                s.cursor_line = Some(line);
                Rc::new(s)
            }
            Action::Select(sel) => {
                let mut s = (*self).clone();
                s.selection = sel;
                Rc::new(s)
            }
            Action::OpenRule(rule) => {
                let mut s = (*self).clone();
                s.rule = rule;
                Rc::new(s)
            }
            Action::Notify(n) => {
                let mut s = (*self).clone();
                s.notice = n;
                Rc::new(s)
            }
            Action::TimeTravel(step) => {
                let mut s = (*self).clone();
                s.at_step = step.filter(|st| *st < s.report.steps.len());
                s.selection = Selection {
                    line: s
                        .at_step
                        .and_then(|st| st.checked_sub(1))
                        .and_then(|i| s.report.steps.get(i))
                        .map(|st| st.line),
                    names: Vec::new(),
                };
                Rc::new(s)
            }
        }
    }
}

/// A dispatcher, as components receive it.
pub type Dispatch = UseReducerDispatcher<AppState>;
