//! The examples gallery: titled scenarios (web/examples/*.kl, embedded at build time) that
//! together show every rule of SPEC §3. Opening one replaces the editor text; autosave keeps the
//! previous text in history.

use crate::state::{Action, Dispatch, Origin};
use yew::prelude::*;

/// One example scenario.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Example {
    /// The file stem, e.g. `01-inheritance`.
    pub id: &'static str,
    /// The scenario's `title` line.
    pub title: &'static str,
    /// The scenario text.
    pub text: &'static str,
    /// One line on what it shows.
    pub summary: &'static str,
}

/// The text after `title ` on the first `title` line of `text`, trimmed; `fallback` without one.
pub const fn title_of(text: &'static str, fallback: &'static str) -> &'static str {
    let b = text.as_bytes();
    let mut i = 0;
    // At the start of each line, look for `title` followed by a space or a tab.
    while i < b.len() {
        let mut j = i;
        while j < b.len() && (b[j] == b' ' || b[j] == b'\t') {
            j += 1;
        }
        if j + 6 <= b.len()
            && b[j] == b't'
            && b[j + 1] == b'i'
            && b[j + 2] == b't'
            && b[j + 3] == b'l'
            && b[j + 4] == b'e'
            && (b[j + 5] == b' ' || b[j + 5] == b'\t')
        {
            let mut start = j + 6;
            while start < b.len() && (b[start] == b' ' || b[start] == b'\t') {
                start += 1;
            }
            let mut end = start;
            while end < b.len() && b[end] != b'\n' && b[end] != b'#' {
                end += 1;
            }
            while end > start && matches!(b[end - 1], b' ' | b'\t' | b'\r') {
                end -= 1;
            }
            let (head, _) = b.split_at(end);
            let (_, line) = head.split_at(start);
            return match core::str::from_utf8(line) {
                Ok(title) if !title.is_empty() => title,
                _ => fallback,
            };
        }
        while i < b.len() && b[i] != b'\n' {
            i += 1;
        }
        i += 1;
    }
    fallback
}

macro_rules! example {
    ($id:literal, $summary:literal) => {
        Example {
            id: $id,
            title: title_of(include_str!(concat!("../../examples/", $id, ".kl")), $id),
            text: include_str!(concat!("../../examples/", $id, ".kl")),
            summary: $summary,
        }
    };
}

/// Every example, in the order the gallery lists them.
pub const EXAMPLES: &[Example] = &[
    example!(
        "01-inheritance",
        "Snapshots, backups and the disks restored from them keep the key; encryption never changes."
    ),
    example!(
        "02-cmk-disabled-detach",
        "Disabling a key puts attached disks at risk; a detached disk cannot attach until it is enabled."
    ),
    example!(
        "03-default-key",
        "evs/default is always enabled; names ending in /default are reserved."
    ),
    example!(
        "04-kms-grant",
        "Encrypted disks need KMS access, which only a security admin can grant."
    ),
    example!(
        "05-images-and-as",
        "An encrypted image's key reaches its servers, the images made from them and Auto Scaling launches."
    ),
    example!(
        "06-scheduled-deletion",
        "Cancel a mistaken deletion within its window, enable the key, and nothing is lost."
    ),
    example!(
        "07-deletion-goes-through",
        "When the deletion day comes, the disk, its snapshots and backups become unrecoverable."
    ),
    example!(
        "08-system-disk-swap",
        "Stop and start need no key; a system disk is swapped only on a stopped server."
    ),
    example!(
        "09-names-and-lifecycle",
        "Taken, unknown and reserved names; what deleting a disk or a server takes with it."
    ),
    example!(
        "10-disabled-key-new-resources",
        "A disabled key can encrypt no new disk, snapshot, backup, image or server; key states go in order."
    ),
    example!(
        "11-auto-scaling-data-disks",
        "A configuration copies every data disk's encryption; a launch with an unavailable key fails whole."
    ),
];

/// The example with this id.
pub fn example(id: &str) -> Option<&'static Example> {
    EXAMPLES.iter().find(|e| e.id == id)
}

/// Properties of [`Examples`].
#[derive(Clone, PartialEq, Properties)]
pub struct ExamplesProps {
    pub dispatch: Dispatch,
}

/// The gallery of titled example scenarios: an "Examples" button in the header that opens the
/// list; choosing one loads it into the editor.
#[component]
pub fn Examples(props: &ExamplesProps) -> Html {
    let details = use_node_ref();
    let summary = use_node_ref();

    let close = {
        let details = details.clone();
        let summary = summary.clone();
        // Closes the list and puts the focus back on its button.
        move || {
            if let Some(d) = details.cast::<web_sys::Element>() {
                let _ = d.remove_attribute("open");
            }
            if let Some(s) = summary.cast::<web_sys::HtmlElement>() {
                let _ = s.focus();
            }
        }
    };

    let onkeydown = {
        let close = close.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                e.prevent_default();
                close();
            }
        })
    };

    html! {
        <details class="examples" ref={details} {onkeydown}>
            <summary class="examples-button" ref={summary}>{ "Examples" }</summary>
            <div class="examples-panel panel">
                <p class="sub-title" id="examples-title">{ "Example scenarios" }</p>
                <p class="small muted">{ "Opening one replaces the editor text; the current text stays in history." }</p>
                <ul class="examples-list" aria-labelledby="examples-title">
                    { for EXAMPLES.iter().map(|ex| {
                        let onclick = {
                            let dispatch = props.dispatch.clone();
                            let close = close.clone();
                            let text = ex.text;
                            Callback::from(move |_: MouseEvent| {
                                dispatch.dispatch(Action::Load(text.to_owned(), Origin::Replace));
                                close();
                            })
                        };
                        html! {
                            <li class="example">
                                <button type="button" class="example-open" data-example={ex.id}
                                    aria-describedby={format!("example-{}-summary", ex.id)} {onclick}>
                                    { ex.title }
                                </button>
                                <span id={format!("example-{}-summary", ex.id)} class="small muted example-summary">{ ex.summary }</span>
                            </li>
                        }
                    }) }
                </ul>
            </div>
        </details>
    }
}
