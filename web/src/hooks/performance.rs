//! Performance marks for the benchmark.

use crate::state::ReportRef;
use yew::prelude::*;

/// Marks for `cargo xtask bench`: `keyline:first-verdict` (navigation → first verdicts on
/// screen) and `keyline:keystroke` (an input event → its verdicts on screen).
#[hook]
pub fn use_performance_marks(report: ReportRef) {
    let first = use_mut_ref(|| true);
    use_effect_with(report, move |_| {
        let Some(p) = gloo_utils::window().performance() else {
            return;
        };
        if std::mem::replace(&mut *first.borrow_mut(), false) {
            let _ = p.mark("keyline:first-verdict");
        } else if p
            .get_entries_by_name_with_entry_type("keyline:input", "mark")
            .length()
            > 0
        {
            let _ = p.mark("keyline:verdicts");
            let _ = p.measure_with_start_mark_and_end_mark(
                "keyline:keystroke",
                "keyline:input",
                "keyline:verdicts",
            );
            p.clear_marks_with_mark_name("keyline:input");
            p.clear_marks_with_mark_name("keyline:verdicts");
        }
    });
}
