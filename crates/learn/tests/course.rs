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

/// The chapters follow the documentation, in the order issue 17 lists them, and each level is
/// short: one idea, a short introduction, hints from gentle to explicit.
#[test]
fn chapters_follow_the_documentation_and_levels_stay_short() {
    let course = Course::builtin();
    let chapters: Vec<&str> = course.chapters().iter().map(|c| c.title).collect();
    assert_eq!(
        chapters,
        [
            "KMS access and roles",
            "Choosing encryption, for good",
            "Snapshots, backups and disks made from them",
            "Images and servers",
            "Auto Scaling configurations",
            "The default key",
            "Key outages",
            "Scheduled deletion",
            "Support desk",
        ]
    );
    assert!(course.levels.len() >= 15);
    for l in &course.levels {
        assert!(
            l.intro.len() <= 600,
            "{}: intro of {} bytes",
            l.id,
            l.intro.len()
        );
        assert!(l.hints.len() >= 2, "{}: gentle then explicit", l.id);
        assert!(!l.quotes.is_empty() && !l.rules.is_empty(), "{}", l.id);
        assert!(keyline_learn::reference_count(l) <= 6, "{}: one idea", l.id);
    }
    assert_eq!(
        course.next_after("grant-access").map(|l| l.id.as_str()),
        Some("create-a-key")
    );
    assert_eq!(
        course.next_after(&course.levels[course.levels.len() - 1].id),
        None
    );
}
