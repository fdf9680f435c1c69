//! The built-in course: the level files of `crates/learn/course/`, compiled in with
//! `include_str!` so the app and the CLI carry the same course.

use crate::level::Level;

/// Declares the built-in level files, in course order.
macro_rules! levels {
    ($($file:literal),* $(,)?) => {
        /// The built-in level files: (file name, text), in course order.
        pub const SOURCES: &[(&str, &str)] = &[
            $(($file, include_str!(concat!("../course/", $file)))),*
        ];
    };
}

levels![
    "01-grant-access.level",
    "02-create-a-key.level",
    "03-choose.level",
    "04-immutable.level",
    "05-snapshot.level",
    "06-from-snapshot.level",
    "07-backup.level",
    "08-delete-keeps-backups.level",
    "09-encrypted-image.level",
    "10-image-from-server.level",
    "11-system-disk-swap.level",
    "12-scaling-config.level",
    "13-default-key.level",
    "14-disable-key.level",
    "15-no-new-data.level",
    "16-detach-trap.level",
    "17-re-enable.level",
    "18-cancel-deletion.level",
    "19-deletion-day.level",
    "20-busy-morning.level",
    "21-save-what-you-can.level",
    "22-stalled-scaling.level",
];

/// An ordered list of levels (the built-in course, or a pack).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Course {
    pub levels: Vec<Level>,
}

/// A chapter: its title and its levels' indices in the course.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chapter<'a> {
    pub title: &'a str,
    pub levels: Vec<&'a Level>,
}

impl Course {
    /// The built-in course. Every file reads (a test proves it, and `keyline lesson check`);
    /// a file that did not would be left out rather than stop the app.
    pub fn builtin() -> Course {
        Course {
            levels: SOURCES
                .iter()
                .filter_map(|(_, text)| Level::parse(text).ok())
                .collect(),
        }
    }

    /// The level with this id.
    pub fn get(&self, id: &str) -> Option<&Level> {
        self.levels.iter().find(|l| l.id == id)
    }

    /// The level after this one (the "next level" offered once it is done).
    pub fn next_after(&self, id: &str) -> Option<&Level> {
        let i = self.levels.iter().position(|l| l.id == id)?;
        self.levels.get(i + 1)
    }

    /// The chapters, in order: consecutive levels with the same chapter title.
    pub fn chapters(&self) -> Vec<Chapter<'_>> {
        let mut out: Vec<Chapter<'_>> = Vec::new();
        for l in &self.levels {
            match out.last_mut() {
                Some(c) if c.title == l.chapter => c.levels.push(l),
                _ => out.push(Chapter {
                    title: &l.chapter,
                    levels: vec![l],
                }),
            }
        }
        out
    }

    /// The id nearest to `id` (for "no level X; did you mean Y?").
    pub fn nearest_id(&self, id: &str) -> Option<&str> {
        self.levels
            .iter()
            .map(|l| (strsim::levenshtein(id, &l.id), l.id.as_str()))
            .min_by_key(|(d, _)| *d)
            .map(|(_, id)| id)
    }
}
