//! `#learn-pack=` packs and the progress record: round trips, and every broken or oversized
//! input refused with a typed error (never a panic).

use keyline_learn::{
    level_link, pack, pack_value, unpack, PackError, Progress, ProgressError, MAX_PACK_LEVELS,
    SOURCES,
};

fn files(n: usize) -> Vec<&'static str> {
    SOURCES.iter().take(n).map(|(_, t)| *t).collect()
}

#[test]
fn a_pack_opens_with_its_levels_in_order() {
    let value = pack(&files(5)).unwrap();
    assert!(value.len() < 8_000, "compressed: {} bytes", value.len());
    let levels = unpack(&value).unwrap();
    let ids: Vec<&str> = levels.iter().map(|l| l.id.as_str()).collect();
    let expected: Vec<String> = files(5)
        .iter()
        .map(|t| keyline_learn::Level::parse(t).unwrap().id)
        .collect();
    assert_eq!(ids, expected);
    let fragment = format!("#view=board&learn-pack={value}");
    assert_eq!(pack_value(&fragment), Some(value.as_str()));
    assert_eq!(level_link("#learn=backup"), Some("backup"));
    assert_eq!(level_link("#z=abc"), None);
}

#[test]
fn broken_packs_are_refused_with_why() {
    assert!(matches!(unpack("not base64 $$"), Err(PackError::Link(_))));
    assert!(matches!(unpack("YWJj"), Err(PackError::Link(_))));
    let z = |json: &str| keyline_link::encode_deflate(json);
    assert!(matches!(unpack(&z("[1,2]")), Err(PackError::NotAPack(_))));
    assert_eq!(
        unpack(&z(r#"{"version":2,"levels":[]}"#)),
        Err(PackError::Version(2))
    );
    assert_eq!(
        unpack(&z(r#"{"version":1,"levels":[]}"#)),
        Err(PackError::Empty)
    );
    let broken = serde_json::json!({"version": 1, "levels": [SOURCES[0].1, "id: x\ntitle\n"]});
    match unpack(&z(&broken.to_string())) {
        Err(PackError::Level { index, error }) => {
            assert_eq!(index, 2);
            assert_eq!(error.line, 2);
        }
        other => panic!("{other:?}"),
    }
    let twice = serde_json::json!({"version": 1, "levels": [SOURCES[0].1, SOURCES[0].1]});
    assert!(matches!(
        unpack(&z(&twice.to_string())),
        Err(PackError::DuplicateId(_))
    ));
    assert!(matches!(
        pack(&[SOURCES[0].1, "nonsense"]),
        Err(PackError::Level { index: 2, .. })
    ));
    assert!(PackError::Empty.to_string().contains("no level"));
}

#[test]
fn oversized_packs_are_refused() {
    let one = SOURCES[0].1;
    let many: Vec<String> = (0..=MAX_PACK_LEVELS)
        .map(|i| one.replace("id: grant-access", &format!("id: level-{i}")))
        .collect();
    let refs: Vec<&str> = many.iter().map(String::as_str).collect();
    assert_eq!(pack(&refs), Err(PackError::TooMany(MAX_PACK_LEVELS + 1)));
    let doc = serde_json::json!({"version": 1, "levels": many});
    assert_eq!(
        unpack(&keyline_link::encode_deflate(&doc.to_string())),
        Err(PackError::TooMany(MAX_PACK_LEVELS + 1))
    );
    // Within the level count but too many bytes once inflated (compresses well, so the link
    // is short: the limit applies to what it inflates to).
    let padded = one.replace("intro: Welcome!", &format!("intro: {}", "x".repeat(60_000)));
    let big: Vec<&str> = vec![padded.as_str(); 1];
    let fat: Vec<String> = (0..10)
        .map(|i| big[0].replace("id: grant-access", &format!("id: fat-{i}")))
        .collect();
    let doc = serde_json::json!({"version": 1, "levels": fat});
    assert_eq!(
        unpack(&keyline_link::encode_deflate(&doc.to_string())),
        Err(PackError::TooLarge)
    );
    let bomb = keyline_link::encode_deflate(&" ".repeat(2_000_000));
    assert!(matches!(unpack(&bomb), Err(PackError::Link(_))));
}

#[test]
fn progress_round_trips_and_keeps_the_best() {
    let mut p = Progress::new();
    assert!(p.record_done("choose", 3));
    assert!(!p.record_done("choose", 4));
    assert!(p.record_done("choose", 2));
    assert_eq!(p.best("choose"), Some(2));
    assert!(!p.solution_available("backup"));
    for _ in 0..3 {
        p.record_try("backup");
    }
    assert!(p.solution_available("backup"));
    let json = p.to_json();
    assert_eq!(Progress::from_json(&json), Ok(p.clone()));
    assert!(json.contains(r#""version":1"#));

    let mut other = Progress::new();
    other.record_done("choose", 1);
    other.record_done("snapshot", 1);
    p.merge(&other);
    assert_eq!(p.best("choose"), Some(1));
    assert!(p.is_done("snapshot"));
}

#[test]
fn corrupted_progress_is_an_error_not_a_panic() {
    let cases = [
        ("", "Corrupt"),
        ("{", "Corrupt"),
        ("null", "Corrupt"),
        (r#"{"version":1,"done":{"a":-1}}"#, "Corrupt"),
        (r#"{"version":1,"done":{"a":1},"extra":true}"#, "Corrupt"),
        (r#"{"version":9,"done":{}}"#, "Version"),
        (r#"{"version":1,"done":{"<script>":1}}"#, "BadId"),
    ];
    for (text, kind) in cases {
        let e = Progress::from_json(text).unwrap_err();
        let name = format!("{e:?}");
        assert!(name.starts_with(kind), "{text}: {name}");
        assert!(!e.to_string().is_empty());
    }
    let huge = format!(
        r#"{{"version":1,"done":{{}},"x":"{}"}}"#,
        "a".repeat(300_000)
    );
    assert_eq!(Progress::from_json(&huge), Err(ProgressError::TooLarge));
    assert_eq!(
        Progress::from_json(r#"{"version":1,"done":{}}"#),
        Ok(Progress::new())
    );
}
