//! The board's quick actions: the statements a card offers for its resource, as values.
//! New names come from the engine's [`keyline_rules::fresh_name`], so a proposed creation
//! never fails on its names (a launched server keeps its `-sys` and `-dataN` disks free).

use super::names::Taken;
use super::{one, Line, Lines};
use keyline_rules::{
    ConfigView, CopyView, DiskFrom, DiskView, Kind, NewResource, Numbering, Source, Statement,
    DELETION_WINDOW_DAYS,
};

/// One quick action: a button's label, the statement it inserts and that statement's text
/// (its tooltip; two actions with the same label and text insert the same statement, which is
/// all a card needs to know to skip a render).
#[derive(Debug, Clone)]
pub struct QuickAction {
    pub label: &'static str,
    pub text: String,
    pub lines: Lines,
}

impl QuickAction {
    /// The statement it inserts.
    pub fn statement(&self) -> Option<&Statement> {
        match self.lines.first() {
            Some(Line::Statement(s)) => Some(s),
            _ => None,
        }
    }
}

impl PartialEq for QuickAction {
    fn eq(&self, other: &Self) -> bool {
        self.label == other.label && self.text == other.text
    }
}

fn action(label: &'static str, statement: Statement) -> QuickAction {
    let line = Line::Statement(statement);
    QuickAction {
        label,
        text: line.text(),
        lines: one(line),
    }
}

/// `base-kind1`, `base-kind2`, …: a fresh name for something made from `base`.
fn fresh(taken: &Taken<'_>, base: &str, suffix: &str, kind: Kind) -> String {
    taken.fresh(
        &format!("{base}-{suffix}"),
        NewResource::Resource(kind),
        Numbering::Counted,
    )
}

/// A fresh server name for a launch from an image, or from a config with `data_disks`.
fn fresh_server(taken: &Taken<'_>, data_disks: usize) -> String {
    taken.fresh(
        "srv",
        NewResource::Server { data_disks },
        Numbering::Counted,
    )
}

/// A key's actions; scheduling uses the shortest deletion window.
pub fn key(name: &str) -> Vec<QuickAction> {
    let n = || name.to_owned();
    vec![
        action("Disable", Statement::KeyDisable(n())),
        action("Enable", Statement::KeyEnable(n())),
        action(
            "Schedule deletion",
            Statement::KeyScheduleDeletion(n(), *DELETION_WINDOW_DAYS.start()),
        ),
        action("Cancel deletion", Statement::KeyCancelDeletion(n())),
    ]
}

/// A server's actions.
pub fn server(name: &str, taken: &Taken<'_>) -> Vec<QuickAction> {
    let n = || name.to_owned();
    vec![
        action("Stop", Statement::ServerStop(n())),
        action("Start", Statement::ServerStart(n())),
        action(
            "Make image",
            Statement::ImageCreate {
                image: fresh(taken, name, "img", Kind::Images),
                server: n(),
            },
        ),
        action(
            "Make AS config",
            Statement::ConfigCreate {
                config: fresh(taken, name, "cfg", Kind::Configs),
                server: n(),
            },
        ),
        action("Delete", Statement::ServerDelete(n())),
    ]
}

/// A disk's actions (detach only when it is attached).
pub fn disk(d: &DiskView, taken: &Taken<'_>) -> Vec<QuickAction> {
    let n = || d.name.clone();
    let mut actions = Vec::new();
    if d.attached_to.is_some() {
        actions.push(action("Detach", Statement::Detach(n())));
    }
    actions.push(action(
        "Snapshot",
        Statement::SnapshotCreate {
            snapshot: fresh(taken, &d.name, "snap", Kind::Snapshots),
            disk: n(),
        },
    ));
    actions.push(action(
        "Backup",
        Statement::BackupCreate {
            backup: fresh(taken, &d.name, "bak", Kind::Backups),
            disk: n(),
        },
    ));
    actions.push(action("Delete", Statement::DiskDelete(n())));
    actions
}

/// A snapshot's or backup's actions: a new disk from it, and deleting it.
pub fn copy(c: &CopyView, backup: bool, taken: &Taken<'_>) -> Vec<QuickAction> {
    let n = || c.name.clone();
    let (from, delete) = if backup {
        (DiskFrom::Backup(n()), Statement::BackupDelete(n()))
    } else {
        (DiskFrom::Snapshot(n()), Statement::SnapshotDelete(n()))
    };
    vec![
        action(
            "New disk from it",
            Statement::DiskCreate {
                disk: fresh(taken, &c.disk, "disk", Kind::Disks),
                from: Some(from),
                key: None,
            },
        ),
        action("Delete", delete),
    ]
}

/// An image's action: launch a server from it.
pub fn image(name: &str, taken: &Taken<'_>) -> Vec<QuickAction> {
    vec![action(
        "Launch server",
        Statement::ServerCreate {
            server: fresh_server(taken, 0),
            source: Some(Source::Image(name.to_owned())),
            system_disk: None,
        },
    )]
}

/// A config's action: launch a server from it (its `-dataN` disks kept free too).
pub fn config(c: &ConfigView, taken: &Taken<'_>) -> Vec<QuickAction> {
    vec![action(
        "Launch server",
        Statement::ServerCreate {
            server: fresh_server(taken, c.data_encryption.len()),
            source: Some(Source::Config(c.name.clone())),
            system_disk: None,
        },
    )]
}

#[cfg(test)]
mod tests {
    use super::*;
    use keyline_rules::{Outcome, Program, Report};

    /// Inserts `s` at the end of `text` and returns the engine's verdict on it.
    fn verdict(text: &str, s: &Statement) -> Outcome {
        let program = Program::parse(&format!("{text}{s}\n"));
        let report = Report::build(&program);
        report
            .steps
            .last()
            .map(|s| s.outcome)
            .unwrap_or(Outcome::Fail)
    }

    #[test]
    fn a_launch_from_a_config_avoids_names_its_disks_would_take() {
        // srv1-sys and srv2-data1 are taken: the launch must skip srv1 and srv2.
        let text = "server create web\ndisk create x\nattach x web\n\
                    config create cfg from-server web\ndisk create srv1-sys\ndisk create srv2-data1\n";
        let program = Program::parse(text);
        let report = Report::build(&program);
        let taken = Taken::new(&program);
        let cfg = report.state.configs.first().expect("cfg");
        let launch = &config(cfg, &taken)[0];
        assert_eq!(launch.text, "server create srv3 config cfg");
        assert_eq!(
            verdict(text, launch.statement().expect("a statement")),
            Outcome::Ok
        );
    }

    #[test]
    fn every_quick_action_prints_a_line_that_parses_and_creations_succeed() {
        let text = "role security-admin\nkms grant\nkey create k1\nserver create web\n\
                    disk create d1 encrypt k1\nattach d1 web\nsnapshot create s1 disk d1\n\
                    backup create b1 disk d1\nimage create i1 from-server web\n\
                    config create c1 from-server web\n";
        let program = Program::parse(text);
        let report = Report::build(&program);
        let s = &report.state;
        let taken = Taken::new(&program);
        let mut all = key("k1");
        all.extend(server("web", &taken));
        all.extend(s.disks.iter().flat_map(|d| disk(d, &taken)));
        all.extend(s.snapshots.iter().flat_map(|c| copy(c, false, &taken)));
        all.extend(s.backups.iter().flat_map(|c| copy(c, true, &taken)));
        all.extend(image("i1", &taken));
        all.extend(s.configs.iter().flat_map(|c| config(c, &taken)));
        assert_eq!(all.len(), 4 + 5 + 2 * 4 + 2 + 2 + 1 + 1);
        for a in &all {
            assert_eq!(
                a.statement().expect("a statement").validate(),
                Ok(()),
                "{}",
                a.text
            );
        }
        // Creations never fail on their names.
        for a in all.iter().filter(|a| {
            a.label.starts_with("Make")
                || a.label.contains("from it")
                || a.label.starts_with("Launch")
                || a.label == "Snapshot"
                || a.label == "Backup"
        }) {
            assert_eq!(
                verdict(text, a.statement().expect("a statement")),
                Outcome::Ok,
                "{}",
                a.text
            );
        }
        let printed: Vec<String> = server("web", &taken)
            .iter()
            .map(|a| a.text.clone())
            .collect();
        assert_eq!(
            printed,
            [
                "server stop web",
                "server start web",
                "image create web-img1 from-server web",
                "config create web-cfg1 from-server web",
                "server delete web",
            ]
        );
        assert_eq!(key("k1")[2].text, "key schedule-deletion k1 7");
    }
}
