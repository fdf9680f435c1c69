//! The built-in course: every level file reads, proves, and together they teach every rule.

use keyline_learn::{check_course, grade, untaught_rules, Course, Coverage, SOURCES};

fn files() -> Vec<(String, String)> {
    SOURCES
        .iter()
        .map(|(f, t)| ((*f).to_owned(), (*t).to_owned()))
        .collect()
}

#[test]
fn every_builtin_level_reads_and_proves() {
    let (levels, problems) = check_course(&files(), Coverage::Any);
    let text: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert!(problems.is_empty(), "{}", text.join("\n"));
    assert_eq!(levels.len(), SOURCES.len());
    assert_eq!(Course::builtin().levels, levels);
}

#[test]
fn each_reference_solution_is_done_and_an_empty_answer_is_not() {
    for level in Course::builtin().levels {
        let g = grade(&level, &level.solution);
        assert!(g.done, "{}: {:?}", level.id, g.checks);
        assert_eq!(g.statements, g.reference, "{}", level.id);
        assert!(!grade(&level, "").done, "{}", level.id);
    }
}

#[test]
fn the_course_teaches_every_rule_of_the_engine() {
    let missing = untaught_rules(&Course::builtin().levels);
    assert!(missing.is_empty(), "untaught: {missing:?}");
}
