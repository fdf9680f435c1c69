//! "Import from API output": paste (or drop) KMS, EVS and ECS JSON responses, preview the
//! scenario `keyline-import` makes of them with its warnings, and insert it into the editor
//! (the previous text stays in history).

use crate::state::{Action, Dispatch, Origin};
use gloo_file::callbacks::{read_as_text, FileReader};
use keyline_import::{import, Document};
use yew::prelude::*;

/// The largest paste the importer reads (the same limit as a link).
const MAX_INPUT: usize = 5_000_000;

/// Properties of [`Import`].
#[derive(Clone, PartialEq, Properties)]
pub struct ImportProps {
    pub dispatch: Dispatch,
}

/// The import panel.
#[component]
pub fn Import(props: &ImportProps) -> Html {
    let open = use_state(|| false);
    let input = use_state(String::new);
    // Files being read: a reader dropped before it is done cancels its read, so they are kept
    // while the panel is mounted.
    let readers = use_mut_ref(Vec::<FileReader>::new);
    let toggle = {
        let open = open.clone();
        Callback::from(move |_| open.set(!*open))
    };
    if !*open {
        return html! {
            <button type="button" onclick={toggle} data-import-toggle="" aria-expanded="false">{ "Import API output" }</button>
        };
    }
    let oninput = {
        let input = input.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(t) = e.target_dyn_into::<web_sys::HtmlTextAreaElement>() {
                input.set(t.value());
            }
        })
    };
    let ondrop = {
        let input = input.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            let Some(files) = e.data_transfer().and_then(|d| d.files()) else {
                return;
            };
            for i in 0..files.length() {
                let Some(file) = files.get(i) else { continue };
                let file = gloo_file::File::from(file);
                let input = input.clone();
                let reader = read_as_text(&file, move |text| {
                    if let Ok(text) = text {
                        let mut all = (*input).clone();
                        if !all.is_empty() {
                            all.push('\n');
                        }
                        all.push_str(&text);
                        input.set(all);
                    }
                });
                readers.borrow_mut().push(reader);
            }
        })
    };
    let ondragover = Callback::from(|e: DragEvent| e.prevent_default());
    let text = (*input).clone();
    let result = if text.trim().is_empty() {
        None
    } else if text.len() > MAX_INPUT {
        Some(Err("The pasted text is larger than 5 MB.".to_owned()))
    } else {
        Some(import(&[Document::new("pasted text", text.clone())], None).map_err(|e| e.to_string()))
    };
    let preview = match &result {
        None => {
            html! { <p class="muted small">{ "Paste one or more JSON responses (KMS key details, EVS volumes with details, ECS servers), or drop the files here." }</p> }
        }
        Some(Err(e)) => {
            html! { <p class="import-error" role="alert" data-import-error="">{ e.clone() }</p> }
        }
        Some(Ok(imported)) => {
            let insert = {
                let d = props.dispatch.clone();
                let scenario = imported.scenario.clone();
                let open = open.clone();
                Callback::from(move |_| {
                    d.dispatch(Action::Load(scenario.clone(), Origin::Replace));
                    open.set(false);
                })
            };
            html! {
                <>
                    if !imported.warnings.is_empty() {
                        <ul class="import-warnings" aria-label="Import warnings">
                            { for imported.warnings.iter().take(100).map(|w| html! { <li>{ w.clone() }</li> }) }
                        </ul>
                    }
                    <pre class="import-preview" data-import-preview="">{ imported.scenario.clone() }</pre>
                    <button type="button" onclick={insert} data-import-insert="">{ "Insert into the editor" }</button>
                </>
            }
        }
    };
    html! {
        <div class="import panel" role="region" aria-label="Import from API output" {ondrop} {ondragover}>
            <label for="import-json" class="small">{ "API output (JSON)" }</label>
            <textarea id="import-json" rows="6" spellcheck="false" value={text} {oninput}
                placeholder="{\"volumes\": [ … ]}  {\"key_details\": [ … ]}" />
            { preview }
            <button type="button" class="small link" onclick={toggle}>{ "Close" }</button>
        </div>
    }
}
