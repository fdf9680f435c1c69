//! The toolbar: share a link, the embed snippet, history, and report downloads (Markdown and
//! JSON, byte for byte what `keyline run --markdown|--json` prints).

use crate::state::{Action, Dispatch, Notice, Origin};
use crate::storage;
use keyline_rules::Report;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// The page's address without query or fragment.
pub fn base_url() -> String {
    let l = gloo_utils::window().location();
    match (l.origin(), l.pathname()) {
        (Ok(origin), Ok(path)) => format!("{origin}{path}"),
        _ => String::new(),
    }
}

/// The share link for a text: `#z=` (raw DEFLATE, base64url).
pub fn share_link(text: &str) -> String {
    format!("{}#z={}", base_url(), keyline_link::encode_deflate(text))
}

/// The `<iframe>` snippet that embeds a text.
pub fn embed_snippet(text: &str) -> String {
    format!(
        "<iframe src=\"{}?embed=1#z={}\" title=\"Keyline scenario\" width=\"100%\" height=\"480\" loading=\"lazy\"></iframe>",
        base_url(),
        keyline_link::encode_deflate(text)
    )
}

/// The JSON report, exactly as `keyline run --json` prints it.
pub fn report_json(report: &Report) -> String {
    serde_json::to_string_pretty(report)
        .map(|s| s + "\n")
        .unwrap_or_default()
}

/// Offers `content` as a file download. The object URL is revoked when it is dropped, after
/// the click has started the download.
pub fn download(name: &str, mime: &str, content: &str) -> Result<(), String> {
    let url = gloo_file::ObjectUrl::from(gloo_file::Blob::new_with_options(content, Some(mime)));
    let a: web_sys::HtmlAnchorElement = gloo_utils::document()
        .create_element("a")
        .ok()
        .and_then(|a| a.dyn_into().ok())
        .ok_or("cannot make a link")?;
    a.set_href(&url);
    a.set_download(name);
    a.click();
    Ok(())
}

fn copy(text: String, dispatch: Dispatch, done: String) {
    let promise = gloo_utils::window()
        .navigator()
        .clipboard()
        .write_text(&text);
    wasm_bindgen_futures::spawn_local(async move {
        let ok = wasm_bindgen_futures::JsFuture::from(promise).await.is_ok();
        dispatch.dispatch(Action::Notify(Some(Notice {
            alert: false,
            text: if ok {
                done
            } else {
                format!("Copy this: {text}")
            },
        })));
    });
}

/// Properties of [`Toolbar`].
#[derive(Clone, PartialEq, Properties)]
pub struct ToolbarProps {
    pub text: Rc<str>,
    pub report: crate::state::ReportRef,
    pub dispatch: Dispatch,
    /// More actions shown in the same row (the import panel).
    #[prop_or_default]
    pub children: Html,
}

/// Share, embed, history and downloads.
#[component]
pub fn Toolbar(props: &ToolbarProps) -> Html {
    let history_open = use_state(|| false);
    let snippet = use_state(|| None::<String>);
    let share = {
        let (text, d) = (props.text.clone(), props.dispatch.clone());
        Callback::from(move |_| {
            let link = share_link(&text);
            if let Ok(h) = gloo_utils::window().history() {
                let hash = link
                    .split_once('#')
                    .map(|(_, h)| format!("#{h}"))
                    .unwrap_or_default();
                let _ = h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&hash));
            }
            copy(
                link,
                d.clone(),
                "Link copied: it reopens this exact scenario.".to_owned(),
            );
        })
    };
    let embed = {
        let (text, snippet) = (props.text.clone(), snippet.clone());
        Callback::from(move |_| snippet.set(Some(embed_snippet(&text))))
    };
    let md = {
        let (r, d) = (props.report.clone(), props.dispatch.clone());
        Callback::from(move |_| {
            if let Err(e) = download("keyline-report.md", "text/markdown", &r.to_markdown()) {
                d.dispatch(Action::Notify(Some(Notice {
                    alert: true,
                    text: format!("Download failed: {e}"),
                })));
            }
        })
    };
    let json = {
        let (r, d) = (props.report.clone(), props.dispatch.clone());
        Callback::from(move |_| {
            if let Err(e) = download("keyline-report.json", "application/json", &report_json(&r)) {
                d.dispatch(Action::Notify(Some(Notice {
                    alert: true,
                    text: format!("Download failed: {e}"),
                })));
            }
        })
    };
    let toggle_history = {
        let h = history_open.clone();
        Callback::from(move |_| h.set(!*h))
    };
    let history = history_open.then(|| {
        let versions = storage::history();
        html! {
            <div class="history" role="region" aria-label="History">
                <h2 class="sub-title">{ format!("History ({} versions, newest first)", versions.len()) }</h2>
                if versions.is_empty() { <p class="muted small">{ "Nothing kept yet: versions are kept as you edit." }</p> }
                <ul>
                    { for versions.into_iter().enumerate().map(|(i, v)| {
                        let d = props.dispatch.clone();
                        let h = history_open.clone();
                        let size = v.size();
                        let when = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(v.time));
                        let when: String = when.to_locale_string("en-GB", &wasm_bindgen::JsValue::UNDEFINED).into();
                        let text = v.text.clone();
                        html! {
                            <li data-history={i.to_string()}>
                                <span class="small">{ when }</span>{ " · " }<strong>{ v.title.clone() }</strong>
                                <span class="muted small">{ format!(" · {size} bytes") }</span>{ " " }
                                <button type="button" class="small" onclick={Callback::from(move |_| { d.dispatch(Action::Load(text.clone(), Origin::Replace)); h.set(false); })}>{ "Restore" }</button>
                            </li>
                        }
                    }) }
                </ul>
            </div>
        }
    });
    let snippet_box = (*snippet).clone().map(|s| {
        let close = {
            let snippet = snippet.clone();
            Callback::from(move |_| snippet.set(None))
        };
        let copy_it = {
            let (s, d) = (s.clone(), props.dispatch.clone());
            Callback::from(move |_| copy(s.clone(), d.clone(), "Embed snippet copied.".to_owned()))
        };
        html! {
            <div class="snippet" role="region" aria-label="Embed snippet">
                <label for="embed-snippet" class="small">{ "Paste this into a documentation page:" }</label>
                <textarea id="embed-snippet" readonly=true rows="3" value={s} />
                <button type="button" class="small" onclick={copy_it}>{ "Copy" }</button>
                <button type="button" class="small link" onclick={close}>{ "Close" }</button>
            </div>
        }
    });
    html! {
        <div class="toolbar-wrap">
            <nav class="toolbar" aria-label="Scenario actions">
                <button type="button" onclick={share} data-share="">{ "Share link" }</button>
                <button type="button" onclick={embed} data-embed="">{ "Embed" }</button>
                <button type="button" onclick={toggle_history} aria-expanded={history_open.to_string()} data-history-toggle="">{ "History" }</button>
                <button type="button" onclick={md} data-download="markdown">{ "Report (.md)" }</button>
                <button type="button" onclick={json} data-download="json">{ "Report (.json)" }</button>
                { props.children.clone() }
            </nav>
            { snippet_box.unwrap_or_default() }
            { history.unwrap_or_default() }
        </div>
    }
}
