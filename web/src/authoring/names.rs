//! Fresh names for new resources: the engine's one generator ([`keyline_rules::fresh_name`]),
//! fed with every name the state and the scenario's text use.

use keyline_rules::{fresh_name, NewResource, Numbering, Program, StateView};

/// The names a new resource must avoid.
///
/// Those are the names the scenario mentions on any line (its parser's interner: a
/// hash lookup, and a name used further down is not reused). Every resource of any state of
/// the scenario is named in it except the disks `server create` names itself (`<server>-sys`,
/// `<server>-dataN`), and no fresh candidate can equal one of those: candidates end in a
/// number (`d1`, `web2`, `d1-snap1`) or are a bare base (`web`), and the `-sys`/`-dataN` names
/// a server candidate takes are those of a server that is mentioned, so already taken.
#[derive(Clone, Copy)]
pub struct Taken<'a> {
    program: &'a Program,
}

impl<'a> Taken<'a> {
    pub fn new(program: &'a Program) -> Self {
        Taken { program }
    }

    /// Whether `name` is in use.
    pub fn contains(&self, name: &str) -> bool {
        self.program.names.get(name).is_some()
    }

    /// An unused name from `base` for `new`, numbered as `numbering` says.
    pub fn fresh(&self, base: &str, new: NewResource, numbering: Numbering) -> String {
        fresh_name(base, new, numbering, |n| self.contains(n))
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
        let taken = Taken::new(&program);
        // web and web2 exist, web3-sys is a disk: web4.
        assert_eq!(
            taken.fresh("web", new_server(&report.state), Numbering::BareThenCounted),
            "web4"
        );
        assert_eq!(
            taken.fresh("d", NewResource::Resource(Kind::Disks), Numbering::Counted),
            "d1"
        );
        assert!(taken.contains("web3-sys") && taken.contains("cfg") && !taken.contains("d1"));
        // Every name of the state is either mentioned or a server's disk no candidate equals.
        for name in report.state.names() {
            assert!(taken.contains(name) || name.ends_with("-sys") || name.ends_with("-data1"));
        }
        assert_eq!(
            new_server(&report.state),
            NewResource::Server { data_disks: 1 }
        );
    }
}
