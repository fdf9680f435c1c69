//! The course index: chapters in order, their levels, and a done mark (symbol and words) with
//! the best statement count on each level finished.

use super::progress::ProgressHandle;
use super::Levels;
use yew::prelude::*;

/// Properties of [`Index`].
#[derive(Clone, PartialEq, Properties)]
pub struct IndexProps {
    pub levels: Levels,
    pub progress: ProgressHandle,
}

/// The chapters and their levels.
#[component]
pub fn Index(props: &IndexProps) -> Html {
    let course = keyline_learn::Course {
        levels: (*props.levels.levels).clone(),
    };
    let chapters = course.chapters();
    let done = props
        .levels
        .levels
        .iter()
        .filter(|l| props.levels.pack.is_none() && props.progress.progress.best(&l.id).is_some())
        .count();
    // The first level not done yet: where a learner carries on.
    let next = props
        .levels
        .levels
        .iter()
        .find(|l| props.levels.pack.is_some() || !props.progress.progress.is_done(&l.id));
    let heading = if props.levels.pack.is_some() {
        "A shared pack of levels"
    } else {
        "The course"
    };
    html! {
        <section class="panel course-index" aria-labelledby="course-title" data-course-index="">
            <h2 id="course-title" class="panel-title">{ heading }</h2>
            if props.levels.pack.is_some() {
                <p class="muted">{ "Levels someone shared with a link. Progress in a pack is not saved." }</p>
            } else {
                <p class="muted" data-course-done={done.to_string()}>{ format!("{done} of {} levels done. Each level teaches one rule of the documentation; the engine grades your lines.", props.levels.levels.len()) }</p>
            }
            if let Some(l) = next {
                <p><a class="start-link" href={props.levels.href(&l.id)} data-continue={l.id.clone()}>
                    { if done == 0 { format!("Start: {} →", l.title) } else { format!("Continue: {} →", l.title) } }
                </a></p>
            }
            <ol class="chapters">
                { for chapters.into_iter().map(|keyline_learn::Chapter { title: chapter, levels }| html! {
                    <li class="chapter">
                        <h3 class="sub-title">{ chapter.to_owned() }</h3>
                        <ol class="levels">
                            { for levels.into_iter().map(|l| {
                                let best = props.levels.pack.is_none().then(|| props.progress.progress.best(&l.id)).flatten();
                                html! {
                                    <li data-index-level={l.id.clone()} data-done={best.is_some().to_string()}>
                                        <a href={props.levels.href(&l.id)}>{ l.title.clone() }</a>
                                        if let Some(n) = best {
                                            <span class="done-mark">{ format!(" ✓ done, best {n} statement{}", if n == 1 { "" } else { "s" }) }</span>
                                        }
                                    </li>
                                }
                            }) }
                        </ol>
                    </li>
                }) }
            </ol>
        </section>
    }
}
