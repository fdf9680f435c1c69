//! `terraform show -json` of a plan (format 1.x), read from the parsed `serde_json::Value`.
//!
//! Follows Terraform's "JSON Output Format" (plan representation: `format_version`,
//! `prior_state`, `resource_changes`, `configuration`) and the Huawei Cloud provider's
//! documented attributes. Every field is a [`Field`]: a value of the wrong type or a missing
//! attribute never fails the whole document, it reads as absent and the importer says so,
//! naming the resource and the attribute.
//!
//! The records are read by hand (the `record!` macro writes each reader as one call per
//! attribute) from the `Value` the document is parsed into once, like the API importer does,
//! rather than with `#[derive(Deserialize)]` and a copy of each resource's attributes into a new
//! `Value`. (Measured on the web bundle, the derive cost only ~0.2 KB gzip: most of the
//! Terraform importer's ~45 KB gzip is its own logic and messages.)

use serde_json::{Map, Value};

/// One attribute: absent, `null`, read, or present with the wrong type (its JSON type, for the
/// message).
#[derive(Debug, Clone, Default)]
pub(crate) enum Field<T> {
    #[default]
    Absent,
    Null,
    Val(T),
    Wrong(&'static str),
}

impl<T> Field<T> {
    pub(crate) fn value(&self) -> Option<&T> {
        match self {
            Field::Val(t) => Some(t),
            _ => None,
        }
    }

    /// The value; a wrong type is reported (`expected`: "a string", …) and reads as absent.
    pub(crate) fn get(
        &self,
        warn: &mut dyn FnMut(String),
        attr: &str,
        expected: &str,
    ) -> Option<&T> {
        if let Field::Wrong(found) = self {
            warn(format!(
                "attribute `{attr}`: expected {expected}, found {found}; ignored"
            ));
        }
        self.value()
    }
}

impl Field<String> {
    /// Text that is present and not blank.
    pub(crate) fn text(&self, warn: &mut dyn FnMut(String), attr: &str) -> Option<&str> {
        self.get(warn, attr, "a string")
            .map(String::as_str)
            .filter(|s| !s.trim().is_empty())
    }
}

/// "a string", "an array", … for messages: the one namer the API reader uses too.
pub(crate) use crate::input::type_name;

/// A type an attribute can hold: read from a non-null JSON value, `None` when the value has
/// another type.
pub(crate) trait Attr: Sized {
    fn from_value(v: &Value) -> Option<Self>;
}

/// A record read from a JSON object; attributes it does not name are ignored.
pub(crate) trait Read: Sized {
    fn read(o: &Map<String, Value>) -> Self;
}

/// The attribute `name` of `o`, as a [`Field`].
pub(crate) fn field<T: Attr>(o: &Map<String, Value>, name: &str) -> Field<T> {
    match o.get(name) {
        None => Field::Absent,
        Some(v) => element(v),
    }
}

/// A present value (an attribute or a list item) as a [`Field`].
fn element<T: Attr>(v: &Value) -> Field<T> {
    if v.is_null() {
        return Field::Null;
    }
    T::from_value(v).map_or(Field::Wrong(type_name(v)), Field::Val)
}

impl Attr for String {
    fn from_value(v: &Value) -> Option<Self> {
        v.as_str().map(str::to_owned)
    }
}

impl Attr for bool {
    fn from_value(v: &Value) -> Option<Self> {
        v.as_bool()
    }
}

impl Attr for Value {
    fn from_value(v: &Value) -> Option<Self> {
        Some(v.clone())
    }
}

impl Attr for Map<String, Value> {
    fn from_value(v: &Value) -> Option<Self> {
        v.as_object().cloned()
    }
}

/// A list of strings (`actions`): any other item makes the whole list the wrong type.
impl Attr for Vec<String> {
    fn from_value(v: &Value) -> Option<Self> {
        v.as_array()?
            .iter()
            .map(|s| s.as_str().map(str::to_owned))
            .collect()
    }
}

/// A list whose items are read one by one: an item of the wrong type reads as such, the others
/// are kept.
impl<T: Attr> Attr for Vec<Field<T>> {
    fn from_value(v: &Value) -> Option<Self> {
        Some(v.as_array()?.iter().map(element).collect())
    }
}

/// A code or a number the provider writes as a string (`key_state: "2"`, `pending_days: "7"`)
/// that some tools write as a number.
#[derive(Debug, Clone)]
pub(crate) enum Code {
    Text(String),
    Number(serde_json::Number),
}

impl Code {
    pub(crate) fn text(&self) -> String {
        match self {
            Code::Text(s) => s.trim().to_owned(),
            Code::Number(n) => n.to_string(),
        }
    }
}

impl Attr for Code {
    fn from_value(v: &Value) -> Option<Self> {
        match v {
            Value::String(s) => Some(Code::Text(s.clone())),
            Value::Number(n) => Some(Code::Number(n.clone())),
            _ => None,
        }
    }
}

/// A record of [`Field`]s, each read from the attribute named after `=`, and its readers.
macro_rules! record {
    ($(#[$meta:meta])* $name:ident { $($field:ident: $ty:ty = $key:literal,)* }) => {
        $(#[$meta])*
        #[derive(Debug, Default)]
        pub(crate) struct $name {
            $(pub $field: Field<$ty>,)*
        }

        impl Read for $name {
            fn read(o: &Map<String, Value>) -> Self {
                Self { $($field: field(o, $key),)* }
            }
        }

        impl Attr for $name {
            fn from_value(v: &Value) -> Option<Self> {
                v.as_object().map(Self::read)
            }
        }
    };
}

record! {
    /// The plan representation (or, without `resource_changes`, a state representation).
    Plan {
        format_version: String = "format_version",
        terraform_version: String = "terraform_version",
        timestamp: String = "timestamp",
        prior_state: State = "prior_state",
        // A state's `values` (`terraform show -json` of a state file).
        values: Values = "values",
        resource_changes: Vec<Field<ResourceChange>> = "resource_changes",
        configuration: Configuration = "configuration",
    }
}

record! {
    State {
        values: Values = "values",
    }
}

record! {
    Values {
        root_module: Module = "root_module",
    }
}

record! {
    Module {
        resources: Vec<Field<StateResource>> = "resources",
        child_modules: Vec<Field<Module>> = "child_modules",
    }
}

record! {
    StateResource {
        address: String = "address",
        mode: String = "mode",
        kind: String = "type",
        provider_name: String = "provider_name",
        values: Map<String, Value> = "values",
    }
}

record! {
    ResourceChange {
        address: String = "address",
        mode: String = "mode",
        kind: String = "type",
        change: Change = "change",
    }
}

record! {
    Change {
        actions: Vec<String> = "actions",
        before: Map<String, Value> = "before",
        after: Map<String, Value> = "after",
        after_unknown: Value = "after_unknown",
    }
}

record! {
    Configuration {
        root_module: ConfigModule = "root_module",
    }
}

record! {
    ConfigModule {
        resources: Vec<Field<ConfigResource>> = "resources",
        module_calls: Map<String, Value> = "module_calls",
    }
}

record! {
    ConfigResource {
        address: String = "address",
        expressions: Value = "expressions",
    }
}

record! {
    /// `huaweicloud_kms_key` (docs/resources/kms_key.md).
    KmsKey {
        id: String = "id",
        key_id: String = "key_id",
        key_alias: String = "key_alias",
        is_enabled: bool = "is_enabled",
        pending_days: Code = "pending_days",
        key_state: Code = "key_state",
        default_key_flag: Code = "default_key_flag",
        scheduled_deletion_date: Code = "scheduled_deletion_date",
        creation_date: Code = "creation_date",
    }
}

record! {
    /// `huaweicloud_evs_volume` (docs/resources/evs_volume.md).
    EvsVolume {
        id: String = "id",
        name: String = "name",
        kms_id: String = "kms_id",
        snapshot_id: String = "snapshot_id",
        backup_id: String = "backup_id",
        image_id: String = "image_id",
        multiattach: bool = "multiattach",
        attachment: Vec<Field<VolumeAttachment>> = "attachment",
        created_at: String = "created_at",
        updated_at: String = "updated_at",
    }
}

record! {
    /// An `attachment` block of a volume.
    VolumeAttachment {
        instance_id: String = "instance_id",
        device: String = "device",
    }
}

record! {
    /// `huaweicloud_compute_instance` (docs/resources/compute_instance.md).
    Instance {
        id: String = "id",
        name: String = "name",
        image_id: String = "image_id",
        system_disk_id: String = "system_disk_id",
        system_disk_kms_key_id: String = "system_disk_kms_key_id",
        status: String = "status",
        data_disks: Vec<Field<DataDisk>> = "data_disks",
        volume_attached: Vec<Field<VolumeAttached>> = "volume_attached",
        created_at: String = "created_at",
        updated_at: String = "updated_at",
    }
}

record! {
    /// A `data_disks` block of an instance.
    DataDisk {
        kms_key_id: String = "kms_key_id",
    }
}

record! {
    /// A `volume_attached` block of an instance.
    VolumeAttached {
        volume_id: String = "volume_id",
        is_sys_volume: bool = "is_sys_volume",
        boot_index: Code = "boot_index",
    }
}

record! {
    /// `huaweicloud_compute_volume_attach` (docs/resources/compute_volume_attach.md).
    VolumeAttach {
        instance_id: String = "instance_id",
        volume_id: String = "volume_id",
        device: String = "device",
    }
}

record! {
    /// `huaweicloud_evs_snapshot` (docs/resources/evs_snapshot.md).
    Snapshot {
        id: String = "id",
        name: String = "name",
        volume_id: String = "volume_id",
    }
}

record! {
    /// `huaweicloud_cbr_checkpoint` (docs/resources/cbr_checkpoint.md): backups of volumes.
    Checkpoint {
        name: String = "name",
        backups: Vec<Field<CheckpointBackup>> = "backups",
    }
}

record! {
    CheckpointBackup {
        kind: String = "type",
        resource_id: String = "resource_id",
        id: String = "id",
    }
}

record! {
    /// `huaweicloud_images_image`, `huaweicloud_ims_ecs_system_image`,
    /// `huaweicloud_ims_obs_system_image` (docs/resources/images_image.md, ims_*_image.md).
    Image {
        id: String = "id",
        name: String = "name",
        instance_id: String = "instance_id",
        cmk_id: String = "cmk_id",
        volume_id: String = "volume_id",
        backup_id: String = "backup_id",
        system_cmkid: String = "__system__cmkid",
    }
}

record! {
    /// `huaweicloud_as_configuration` (docs/resources/as_configuration.md).
    AsConfiguration {
        id: String = "id",
        scaling_configuration_name: String = "scaling_configuration_name",
        instance_config: Vec<Field<InstanceConfig>> = "instance_config",
    }
}

record! {
    InstanceConfig {
        instance_id: String = "instance_id",
        image: String = "image",
        disk: Vec<Field<AsDisk>> = "disk",
    }
}

record! {
    AsDisk {
        disk_type: String = "disk_type",
        kms_id: String = "kms_id",
    }
}

/// Reads a resource's attribute object as `T` (never fails: see [`Field`]).
pub(crate) fn attrs<T: Read>(values: &Map<String, Value>) -> T {
    T::read(values)
}

/// The items of a list field that are objects of the right shape.
pub(crate) fn items<T>(list: &Field<Vec<Field<T>>>) -> impl Iterator<Item = &T> {
    list.value().into_iter().flatten().filter_map(Field::value)
}
