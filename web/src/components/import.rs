//! "Import": paste (or drop) KMS, EVS and ECS JSON responses or a Terraform plan
//! (`terraform show -json`), preview the scenario `keyline-import` makes of them with its
//! warnings — a plan in two parts, the prior state it rebuilds and its planned changes, with the
//! resources it skipped — and insert it into the editor (the previous text stays in history).

use crate::state::{Action, Dispatch, Origin};
use gloo_file::callbacks::{read_as_text, FileReader};
use keyline_import::{import, Document, Imported, PlanInfo};
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
            <button type="button" onclick={toggle} data-import-toggle="" aria-expanded="false">{ "Import API output or plan" }</button>
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
            html! { <p class="muted small">{ "Paste one or more JSON responses (KMS key details, EVS volumes with details, ECS servers) or a Terraform plan (terraform show -json tfplan), or drop the files here." }</p> }
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
                    { imported.plan.as_ref().map(plan_summary).unwrap_or_default() }
                    if !imported.warnings.is_empty() {
                        <h2 class="import-part-title">{ format!("Warnings ({})", imported.warnings.len()) }</h2>
                        <ul class="import-warnings" aria-label="Import warnings" tabindex="0">
                            { for imported.warnings.iter().take(100).map(|w| html! { <li>{ "! " }{ w.clone() }</li> }) }
                        </ul>
                    }
                    { match &imported.plan {
                        Some(plan) => plan_preview(imported, plan),
                        None => html! { <pre class="import-preview" data-import-preview="" tabindex="0">{ imported.scenario.clone() }</pre> },
                    } }
                    <button type="button" onclick={insert} data-import-insert="">{ "Insert into the editor" }</button>
                </>
            }
        }
    };
    html! {
        <div class="import panel" role="region" aria-label="Import from API output or a Terraform plan" {ondrop} {ondragover}>
            <label for="import-json" class="small">{ "API output or Terraform plan (JSON)" }</label>
            <textarea id="import-json" rows="6" spellcheck="false" value={text} {oninput}
                placeholder="{\"volumes\": [ … ]}  {\"key_details\": [ … ]}" />
            { preview }
            <button type="button" class="small link" onclick={toggle}>{ "Close" }</button>
        </div>
    }
}

/// What the Terraform document is and holds, first, so the parts below read in context.
fn plan_summary(plan: &PlanInfo) -> Html {
    let version = match &plan.terraform_version {
        Some(v) => format!("format {}, Terraform {v}", plan.format_version),
        None => format!("format {}", plan.format_version),
    };
    let what = if plan.planned_line.is_some() {
        "plan"
    } else {
        "state"
    };
    html! {
        <p class="small import-summary"><strong>{ format!("Terraform {what}") }</strong>
            { format!(" ({version}): {}, {}.", count(plan.changes.len(), "planned change"), count(plan.skipped.len(), "skipped resource")) }</p>
    }
}

/// `n noun`, with the noun's plural when `n` is not 1.
fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// A plan's preview: the prior state it rebuilds and its planned changes, each labelled, then
/// the changes that play no statement and the resources the import skipped, each with why.
fn plan_preview(imported: &Imported, plan: &PlanInfo) -> Html {
    let (prior, planned) = imported.split();
    let unplayed: Vec<_> = plan.changes.iter().filter(|c| c.lines.is_empty()).collect();
    html! {
        <div class="import-plan" data-import-plan="">
            <section class="import-part" data-import-part="prior" aria-label="Prior state (rebuilt)">
                <h2 class="import-part-title">{ "Prior state (rebuilt)" }</h2>
                <pre class="import-preview" tabindex="0">{ prior.to_owned() }</pre>
            </section>
            <section class="import-part" data-import-part="planned" aria-label="Planned changes">
                <h2 class="import-part-title">{ "Planned changes" }</h2>
                if planned.is_empty() {
                    <p class="muted small">{ "None: this is a state, which plans no change." }</p>
                } else {
                    <pre class="import-preview" tabindex="0">{ planned.to_owned() }</pre>
                }
                if !unplayed.is_empty() {
                    <ul class="import-unplayed small" aria-label="Planned changes with no statement" tabindex="0">
                        { for unplayed.iter().map(|c| html! {
                            <li><code>{ c.address.clone() }</code>{ format!(" ({}): ", c.actions.join(", then ")) }
                                { c.note.clone().unwrap_or_default() }</li>
                        }) }
                    </ul>
                }
            </section>
            if !plan.skipped.is_empty() {
                <section class="import-part" data-import-skipped="" aria-label="Skipped resources">
                    <h2 class="import-part-title">{ format!("⊘ Skipped ({}): not played", plan.skipped.len()) }</h2>
                    <ul class="import-skipped small" tabindex="0">
                        { for plan.skipped.iter().take(200).map(|k| html! {
                            <li data-skipped={k.address.clone()}><code>{ k.address.clone() }</code>{ format!(" — {}", k.reason) }</li>
                        }) }
                    </ul>
                </section>
            }
        </div>
    }
}
