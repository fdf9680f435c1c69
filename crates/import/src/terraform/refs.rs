//! Following `configuration` references: when Terraform knows an attribute only after apply,
//! the expression it comes from names the planned resource that gives it.

use super::builder::Builder;
use super::json::{self, items, Plan, Read};
use super::planned::Planned;
use crate::ResourceKind;
use serde_json::Value;
use std::collections::HashMap;

/// The `references` of each attribute expression, by configuration address, then attribute
/// path (nested blocks as `attr.index.attr`).
pub(super) type Refs = HashMap<String, HashMap<String, Vec<String>>>;

/// `module.a[0].huaweicloud_evs_volume.data["x"]` → `module.a.huaweicloud_evs_volume.data`:
/// the configuration address, which `configuration` uses.
pub(super) fn config_address(addr: &str) -> String {
    let mut out = String::with_capacity(addr.len());
    let mut depth = 0usize;
    let mut quoted = false;
    for c in addr.chars() {
        match c {
            '"' if depth > 0 => quoted = !quoted,
            '[' if !quoted => depth += 1,
            ']' if !quoted => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// The module part of a configuration address (`module.a.` or empty).
pub(super) fn module_prefix(config_addr: &str) -> String {
    let parts: Vec<&str> = config_addr.split('.').collect();
    let mut prefix = String::new();
    let mut i = 0;
    while parts.get(i) == Some(&"module") {
        if let Some(name) = parts.get(i + 1) {
            prefix.push_str(&format!("module.{name}."));
        }
        i += 2;
    }
    prefix
}

/// The `references` of each attribute expression of each configured resource, by
/// configuration address; nested blocks by `attr.index.attr`.
pub(super) fn config_refs(plan: &Plan) -> Refs {
    let mut out = HashMap::new();
    if let Some(root) = plan
        .configuration
        .value()
        .and_then(|c| c.root_module.value())
    {
        config_module(root, "", &mut out, 0);
    }
    out
}

/// The references of one configuration module's resources, then of its module calls' (to a
/// depth that no real configuration reaches, so that a hostile one cannot exhaust the stack).
pub(super) fn config_module(m: &json::ConfigModule, prefix: &str, out: &mut Refs, depth: usize) {
    if depth > 32 {
        return;
    }
    for r in items(&m.resources) {
        let Some(addr) = r.address.value() else {
            continue;
        };
        let mut refs = HashMap::new();
        if let Some(e) = r.expressions.value() {
            collect_refs(e, "", &mut refs, 0);
        }
        out.insert(format!("{prefix}{addr}"), refs);
    }
    if let Some(calls) = m.module_calls.value() {
        for (name, call) in calls {
            let Some(module) = call.get("module") else {
                continue;
            };
            let Some(module) = module.as_object().map(json::ConfigModule::read) else {
                continue;
            };
            config_module(&module, &format!("{prefix}module.{name}."), out, depth + 1);
        }
    }
}

/// The `references` of every expression under `v`, by attribute path (bounded depth, as above).
pub(super) fn collect_refs(
    v: &Value,
    path: &str,
    out: &mut HashMap<String, Vec<String>>,
    depth: usize,
) {
    if depth > 16 {
        return;
    }
    match v {
        Value::Object(o) => {
            if let Some(Value::Array(refs)) = o.get("references") {
                let list: Vec<String> = refs
                    .iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect();
                out.insert(path.to_owned(), list);
                return;
            }
            for (k, v) in o {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                collect_refs(v, &p, out, depth + 1);
            }
        }
        Value::Array(a) => {
            for (i, v) in a.iter().enumerate() {
                collect_refs(v, &format!("{path}.{i}"), out, depth + 1);
            }
        }
        _ => {}
    }
}

/// The value of `attr` in `after`, or, when Terraform knows it only after apply, the scenario
/// name of the planned resource its expression references.
pub(super) fn resolve(
    b: &Builder,
    p: &Planned,
    refs: &Refs,
    planned: &HashMap<String, (ResourceKind, String)>,
    attr: &str,
    value: Option<&str>,
    kind: ResourceKind,
) -> Option<String> {
    if let Some(v) = value.filter(|v| !v.is_empty()) {
        return b
            .name_of(kind, v)
            .or_else(|| (kind == ResourceKind::Key).then(|| format!("?{v}")));
    }
    let unknown = p
        .unknown
        .and_then(|u| {
            attr.split('.')
                .try_fold(u, |v, part| match part.parse::<usize>() {
                    Ok(i) => v.get(i),
                    Err(_) => v.get(part),
                })
        })
        .is_some_and(|v| v == &Value::Bool(true));
    if !unknown {
        return None;
    }
    let caddr = config_address(&p.addr);
    let prefix = module_prefix(&caddr);
    let list = refs.get(&caddr)?.get(attr)?;
    for r in list {
        let parts: Vec<&str> = r.split('.').collect();
        let (Some(t), Some(n)) = (parts.first(), parts.get(1)) else {
            continue;
        };
        if !t.starts_with("huaweicloud_") {
            continue; // var., local., data., module outputs: not a planned resource
        }
        let target = format!("{prefix}{t}.{}", n.split('[').next().unwrap_or(n));
        // The planned instance of that configuration address, same index first.
        let index = p.addr.rfind('[').map(|i| &p.addr[i..]).unwrap_or("");
        let candidates = [
            format!("{target}{index}"),
            target.clone(),
            format!("{target}[0]"),
        ];
        for c in &candidates {
            if let Some((k, name)) = planned.get(c).or_else(|| b.acc.by_addr.get(c)) {
                if *k == kind {
                    return Some(name.clone());
                }
            }
        }
    }
    None
}
