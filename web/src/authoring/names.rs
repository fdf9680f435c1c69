//! Fresh names for new resources: the engine's one generator ([`keyline_rules::fresh_name`]),
//! fed with every name the state and the scenario's text use.

use keyline_rules::{fresh_name, NewResource, Numbering, Program, StateView};

/// The names a new resource must avoid: those of the state where the line goes, and every
/// name the scenario mentions on any line (so a name used further down is not reused).
#[derive(Clone, Copy)]
pub struct Taken<'a> {
    pub state: &'a StateView,
    pub program: Option<&'a Program>,
}

impl Taken<'_> {
    /// Whether `name` is in use.
    pub fn contains(&self, name: &str) -> bool {
        self.state.names().any(|n| n == name)
            || self.program.is_some_and(|p| p.names.get(name).is_some())
    }

    /// An unused name from `base` for `new`, numbered as `numbering` says.
    pub fn fresh(&self, base: &str, new: NewResource, numbering: Numbering) -> String {
        // One set, so each candidate is looked up in O(log n), not by scanning the state.
        let names: std::collections::BTreeSet<&str> = self.state.names().collect();
        fresh_name(base, new, numbering, |n| {
            names.contains(n) || self.program.is_some_and(|p| p.names.get(n).is_some())
        })
    }
}

/// A new server's name must leave free the `-dataN` disks of the largest configuration it
/// could be launched from.
pub fn new_server(state: &StateView) -> NewResource {
    let data_disks = state
        .configs
        .iter()
        .map(|c| c.data_encryption.len())
        .max()
        .unwrap_or(0);
    NewResource::Server { data_disks }
}

#[cfg(test)]
mod tests {
    use super::*;
    use keyline_rules::Kind;

    #[test]
    fn a_fresh_server_name_keeps_its_system_and_data_disks_free() {
        let text = "server create web\nserver create web2\ndisk create web3-sys\n\
                    disk create x\nattach x web\nconfig create cfg from-server web\n";
        let program = Program::parse(text);
        let report = keyline_rules::Report::build(&program);
        let taken = Taken {
            state: &report.state,
            program: Some(&program),
        };
        // web and web2 exist, web3-sys is a disk: web4.
        assert_eq!(
            taken.fresh("web", new_server(&report.state), Numbering::BareThenCounted),
            "web4"
        );
        assert_eq!(
            taken.fresh("d", NewResource::Resource(Kind::Disks), Numbering::Counted),
            "d1"
        );
        assert!(taken.contains("web-sys") && taken.contains("cfg") && !taken.contains("d1"));
        assert_eq!(
            new_server(&report.state),
            NewResource::Server { data_disks: 1 }
        );
    }
}
