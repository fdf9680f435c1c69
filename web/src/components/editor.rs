//! The scenario editor: a textarea over a highlighted copy of the text, a gutter with a mark per
//! line (text as well as colour), completions, and the parse errors with their suggestions.

use crate::authoring::text::replace_word;
use crate::state::{Action, Dispatch};
use keyline_rules::{complete, highlight, Completion, Outcome, Report};
use std::rc::Rc;
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

/// Beyond this, the editor shows plain text (no overlay, no gutter) to stay responsive.
const MAX_DECORATED_LINES: usize = 3000;
const MAX_DECORATED_BYTES: usize = 300_000;
/// The textarea's size in plain mode (it scrolls itself).
const PLAIN_ROWS: usize = 30;
const PLAIN_COLS: usize = 120;

/// Properties of [`Editor`].
#[derive(Clone, PartialEq, Properties)]
pub struct EditorProps {
    pub text: Rc<str>,
    /// Changes when the text was replaced other than by typing.
    pub revision: u64,
    pub report: crate::state::ReportRef,
    /// The line to highlight and scroll to.
    pub focus_line: Option<u32>,
    #[prop_or(false)]
    pub readonly: bool,
    pub dispatch: Dispatch,
    /// Lines the report counts before `text` (a level's locked start): report line `L` is
    /// this editor's line `L - offset`.
    #[prop_or(0)]
    pub offset: u32,
}

/// What a line's gutter shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    None,
    Statement(Outcome),
    Expect(bool),
    Error,
}

impl Mark {
    /// The symbol and its words, so the mark does not rely on colour.
    pub fn label(self) -> (&'static str, &'static str, &'static str) {
        match self {
            Mark::None => ("", "", ""),
            Mark::Statement(Outcome::Ok) => ("✓", "ok", "mark-ok"),
            Mark::Statement(Outcome::Warn) => ("!", "warning", "mark-warn"),
            Mark::Statement(Outcome::Fail) => ("✗", "failed", "mark-fail"),
            Mark::Expect(true) => ("=", "expectation passed", "mark-pass"),
            Mark::Expect(false) => ("≠", "expectation failed", "mark-unmet"),
            Mark::Error => ("?", "parse error", "mark-error"),
        }
    }
}

/// One mark per line of `lines` lines, for a text that starts after `offset` report lines.
pub fn marks(report: &Report, lines: usize, offset: u32) -> Vec<Mark> {
    let mut m = vec![Mark::None; lines];
    let mut set = |line: u32, mark: Mark| {
        let line = line.saturating_sub(offset) as usize;
        if let Some(slot) = line.checked_sub(1).and_then(|i| m.get_mut(i)) {
            *slot = mark;
        }
    };
    for s in &report.steps {
        set(s.line, Mark::Statement(s.outcome));
    }
    for e in &report.expectations {
        set(e.line, Mark::Expect(e.passed));
    }
    for e in &report.errors {
        set(e.line, Mark::Error);
    }
    m
}

/// The UTF-16 offset `pos` as a byte offset into `text`.
pub fn byte_offset(text: &str, pos: u32) -> usize {
    let mut units = 0u32;
    for (i, c) in text.char_indices() {
        if units >= pos {
            return i;
        }
        units += c.len_utf16() as u32;
    }
    text.len()
}

fn utf16_len(text: &str) -> u32 {
    text.chars().map(|c| c.len_utf16() as u32).sum()
}

/// The completion state: where the current line starts, the caret, and the candidates.
#[derive(Debug, Clone, PartialEq, Default)]
struct Completing {
    line_start: usize,
    caret: usize,
    completion: Completion,
}

fn completing(text: &str, caret: usize, report: &Report) -> Completing {
    let caret = caret.min(text.len());
    let before = text.get(..caret).unwrap_or("");
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let prefix = text.get(line_start..caret).unwrap_or("");
    // Only at the end of a word: not in the middle of one.
    let next = text.get(caret..).and_then(|s| s.chars().next());
    let completion = if next.is_some_and(|c| !c.is_whitespace()) {
        Completion::default()
    } else {
        complete(prefix, &report.state)
    };
    Completing {
        line_start,
        caret,
        completion,
    }
}

/// The scenario editor.
#[component]
pub fn Editor(props: &EditorProps) -> Html {
    let area = use_node_ref();
    let scroller = use_node_ref();
    let comp = use_state(Completing::default);
    let decorated = props.text.len() <= MAX_DECORATED_BYTES
        && props.text.split('\n').nth(MAX_DECORATED_LINES).is_none();
    // The lines, only where they are drawn.
    let lines: Vec<&str> = if decorated {
        props.text.split('\n').collect()
    } else {
        Vec::new()
    };

    // The textarea is not given its value on every render: typing already put the text there,
    // and setting a long text again costs a copy and a layout. The effect below sets it when
    // the text was replaced (example, link, builder, fix) and on the first render.
    {
        let area = area.clone();
        let text = props.text.clone();
        use_effect_with(props.revision, move |_| {
            if let Some(a) = area.cast::<HtmlTextAreaElement>() {
                if a.value() != *text {
                    a.set_value(&text);
                }
            }
        });
    }
    // Scroll the focused line into view.
    {
        let scroller = scroller.clone();
        use_effect_with(props.focus_line, move |line| {
            if let (Some(line), Some(el)) = (line, scroller.cast::<web_sys::Element>()) {
                if let Ok(Some(g)) = el.query_selector(&format!("[data-gutter-line=\"{line}\"]")) {
                    let opts = web_sys::ScrollIntoViewOptions::new();
                    opts.set_block(web_sys::ScrollLogicalPosition::Nearest);
                    g.scroll_into_view_with_scroll_into_view_options(&opts);
                }
            }
        });
    }

    let refresh = {
        let comp = comp.clone();
        let report = props.report.clone();
        let dispatch = props.dispatch.clone();
        move |a: &HtmlTextAreaElement| {
            let text = a.value();
            let caret = byte_offset(&text, a.selection_start().ok().flatten().unwrap_or(0));
            let line = text.get(..caret).map_or(0, |s| s.matches('\n').count()) + 1;
            dispatch.dispatch(Action::Cursor(u32::try_from(line).unwrap_or(u32::MAX)));
            comp.set(completing(&text, caret, &report));
        }
    };
    let oninput = {
        let dispatch = props.dispatch.clone();
        let refresh = refresh.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(p) = gloo_utils::window().performance() {
                let _ = p.mark("keyline:input");
            }
            if let Some(a) = e.target_dyn_into::<HtmlTextAreaElement>() {
                dispatch.dispatch(Action::Edit(a.value()));
                refresh(&a);
            }
        })
    };
    let onclick = {
        let refresh = refresh.clone();
        Callback::from(move |e: MouseEvent| {
            if let Some(a) = e.target_dyn_into::<HtmlTextAreaElement>() {
                refresh(&a);
            }
        })
    };
    let accept = {
        let comp = comp.clone();
        let area = area.clone();
        let dispatch = props.dispatch.clone();
        Callback::from(move |item: String| {
            let Some(a) = area.cast::<HtmlTextAreaElement>() else {
                return;
            };
            let text = a.value();
            let c = (*comp).clone();
            let from = (c.line_start + c.completion.start).min(text.len());
            let to = c.caret.min(text.len()).max(from);
            let (Some(head), Some(tail)) = (text.get(..from), text.get(to..)) else {
                return;
            };
            let new_text = format!("{head}{item} {tail}");
            let caret = utf16_len(head) + utf16_len(&item) + 1;
            a.set_value(&new_text);
            let _ = a.set_selection_range(caret, caret);
            let _ = a.focus();
            dispatch.dispatch(Action::Edit(new_text));
            comp.set(Completing::default());
        })
    };
    let onkeydown = {
        let comp = comp.clone();
        let accept = accept.clone();
        Callback::from(move |e: KeyboardEvent| match e.key().as_str() {
            "Tab" if !e.shift_key() => {
                if let Some(first) = comp.completion.items.first() {
                    e.prevent_default();
                    accept.emit(first.clone());
                }
            }
            "Escape" => comp.set(Completing::default()),
            _ => {}
        })
    };
    let onkeyup = {
        let refresh = refresh.clone();
        Callback::from(move |e: KeyboardEvent| {
            if matches!(
                e.key().as_str(),
                "ArrowUp"
                    | "ArrowDown"
                    | "ArrowLeft"
                    | "ArrowRight"
                    | "Home"
                    | "End"
                    | "PageUp"
                    | "PageDown"
            ) {
                if let Some(a) = e.target_dyn_into::<HtmlTextAreaElement>() {
                    refresh(&a);
                }
            }
        })
    };

    // The textarea is as wide as its longest line (tabs expanded) and as tall as every line, so
    // the scroll box around it, not the textarea itself, scrolls: the highlighted copy stays
    // under the caret. Plain (very long) text scrolls inside the textarea itself, a screenful
    // high: there is no copy to keep aligned, and a box as tall as every line costs the browser
    // seconds of layout.
    let (rows, cols) = if decorated {
        let widest = lines.iter().map(|l| display_width(l)).max().unwrap_or(0);
        (lines.len() + 1, widest.max(30) + 4)
    } else {
        (PLAIN_ROWS, PLAIN_COLS)
    };
    let marks = if decorated {
        marks(&props.report, lines.len(), props.offset)
    } else {
        Vec::new()
    };
    let focus = props.focus_line.map(|l| l as usize);

    let gutter = decorated.then(|| {
        html! {
            <div class="gutter" aria-hidden="true">
                { for marks.iter().enumerate().map(|(i, m)| {
                    let n = i + 1;
                    html! { <GutterLine key={n} {n} mark={*m} focus={focus == Some(n)} /> }
                }) }
            </div>
        }
    });
    let overlay = decorated.then(|| {
        // Errors by line, so each line finds its own at once.
        let mut errors: Vec<Option<(u32, String)>> = vec![None; lines.len()];
        for e in &props.report.errors {
            let line = e.line.saturating_sub(props.offset) as usize;
            if let Some(slot) = line.checked_sub(1).and_then(|i| errors.get_mut(i)) {
                slot.get_or_insert((e.column, e.message.clone()));
            }
        }
        html! {
            <pre class="highlight" aria-hidden="true">
                { for lines.iter().zip(errors).enumerate().map(|(i, (line, error))| {
                    let n = i + 1;
                    html! { <HlLine key={n} text={AttrValue::from((*line).to_owned())} {error} focus={focus == Some(n)} /> }
                }) }
            </pre>
        }
    });

    let completions = (!comp.completion.items.is_empty()).then(|| {
        html! {
            <div class="completions" role="listbox" aria-label="Completions (Tab accepts the first, Escape closes)">
                { for comp.completion.items.iter().take(12).enumerate().map(|(i, item)| {
                    let accept = accept.clone();
                    let it = item.clone();
                    html! {
                        <button type="button" role="option" aria-selected={(i == 0).to_string()}
                            class={classes!("completion", (i == 0).then_some("first"))}
                            onclick={Callback::from(move |_| accept.emit(it.clone()))}>{ item.clone() }</button>
                    }
                }) }
                <span class="hint">{ "Tab ↹ accepts" }</span>
            </div>
        }
    });

    html! {
        <div class="editor">
            <div class={classes!("editor-scroll", (!decorated).then_some("plain"))} ref={scroller}>
                { gutter.unwrap_or_default() }
                <div class="code">
                    { overlay.unwrap_or_default() }
                    <textarea
                        id="scenario"
                        ref={area}
                        class="scenario"
                        spellcheck="false"
                        autocomplete="off"
                        autocapitalize="off"
                        wrap="off"
                        readonly={props.readonly}
                        rows={rows.to_string()}
                        cols={cols.to_string()}
                        aria-describedby="editor-help"
                        {oninput} {onclick} {onkeydown} {onkeyup} />
                </div>
            </div>
            <p id="editor-help" class="muted small">
                { if decorated { "Every edit re-evaluates. Tab completes keywords and names." } else { "This scenario is very long: highlighting and the gutter are off; verdicts are below." } }
            </p>
            { completions.unwrap_or_default() }
            <ParseErrors report={props.report.clone()} text={props.text.clone()} dispatch={props.dispatch.clone()} offset={props.offset} />
        </div>
    }
}

/// Properties of [`GutterLine`].
#[derive(Clone, PartialEq, Properties)]
pub struct GutterLineProps {
    pub n: usize,
    pub mark: Mark,
    pub focus: bool,
}

/// One gutter line: its number and mark; re-rendered only when they change.
#[component]
pub fn GutterLine(p: &GutterLineProps) -> Html {
    let (sym, words, class) = p.mark.label();
    let n = p.n;
    html! {
        <div class={classes!("gutter-line", class, p.focus.then_some("line-focus"))}
             data-gutter-line={n.to_string()} title={format!("line {n}{}{words}", if words.is_empty() { "" } else { ": " })}>
            <span class="line-no">{ n }</span>
            <span class="line-mark">{ sym }</span>
        </div>
    }
}

/// Properties of [`HlLine`].
#[derive(Clone, PartialEq, Properties)]
pub struct HlLineProps {
    pub text: AttrValue,
    pub error: Option<(u32, String)>,
    pub focus: bool,
}

/// One highlighted line; re-rendered only when its text, error or focus changes.
#[component]
pub fn HlLine(p: &HlLineProps) -> Html {
    html! {
        <div class={classes!("hl-line", p.focus.then_some("line-focus"))}>
            { highlighted(&p.text, p.error.clone()) }
        </div>
    }
}

/// Columns a line takes with tab stops every 8 (the editor's `tab-size`).
fn display_width(line: &str) -> usize {
    line.chars()
        .fold(0, |w, c| if c == '\t' { (w / 8 + 1) * 8 } else { w + 1 })
}

/// One line as coloured tokens, the word at the error column underlined.
fn highlighted(line: &str, error: Option<(u32, String)>) -> Html {
    let err_byte = error.as_ref().map(|(col, _)| {
        line.char_indices()
            .nth((*col as usize).saturating_sub(1))
            .map_or(line.len(), |(i, _)| i)
    });
    let mut out: Vec<Html> = Vec::new();
    let mut pos = 0;
    let mut underlined = false;
    for t in highlight(line) {
        if t.start > pos {
            out.push(html! { { line.get(pos..t.start).unwrap_or("") } });
        }
        let text = line.get(t.start..t.end).unwrap_or("");
        let is_err = err_byte.is_some_and(|b| b >= t.start && b < t.end.max(t.start + 1));
        underlined |= is_err;
        let class = classes!(
            format!("tok-{}", t.kind.as_str()),
            is_err.then_some("tok-error")
        );
        out.push(html! { <span {class}>{ text }</span> });
        pos = t.end;
    }
    if pos < line.len() {
        out.push(html! { { line.get(pos..).unwrap_or("") } });
    }
    if let (false, Some(_)) = (underlined, &error) {
        // The error is past the last word: mark the end of the line.
        out.push(html! { <span class="tok-error tok-eol">{ " " }</span> });
    }
    if line.is_empty() {
        out.push(html! { { "\u{200b}" } });
    }
    html! { <>{ for out }</> }
}

/// Properties of [`ParseErrors`].
#[derive(Clone, PartialEq, Properties)]
pub struct ParseErrorsProps {
    pub report: crate::state::ReportRef,
    pub text: Rc<str>,
    pub dispatch: Dispatch,
    /// As [`EditorProps::offset`].
    #[prop_or(0)]
    pub offset: u32,
}

/// The parse errors, each with its position, message and a button for its suggestion.
#[component]
pub fn ParseErrors(props: &ParseErrorsProps) -> Html {
    if props.report.errors.is_empty() {
        return html! {};
    }
    html! {
        <ul class="parse-errors" aria-label="Parse errors">
            { for props.report.errors.iter().take(200).map(|e| {
                let line = e.line.saturating_sub(props.offset);
                let fix = e.suggestion.as_ref().and_then(|s| {
                    let new_text = replace_word(&props.text, line, e.column, s)?;
                    let d = props.dispatch.clone();
                    let label = format!("Use “{s}”");
                    Some(html! {
                        <button type="button" class="small"
                            onclick={Callback::from(move |_| d.dispatch(Action::Load(new_text.clone(), crate::state::Origin::Edit)))}>
                            { label }
                        </button>
                    })
                });
                html! {
                    <li data-error-line={line.to_string()} data-error-code={e.code.as_str()}>
                        <span class="pos">{ format!("{line}:{}", e.column) }</span>
                        { " " }<span>{ e.message.clone() }</span>{ " " }{ fix.unwrap_or_default() }
                    </li>
                }
            }) }
        </ul>
    }
}
