//! `terraform show -json` of a plan (format 1.x), as typed structs.
//!
//! Follows Terraform's "JSON Output Format" (plan representation: `format_version`,
//! `prior_state`, `resource_changes`, `configuration`) and the Huawei Cloud provider's
//! documented attributes. Every field is a [`Field`]: a value of the wrong type or a missing
//! attribute never fails the whole document, it reads as absent and the importer says so,
//! naming the resource and the attribute.

use serde::de::{DeserializeOwned, Deserializer};
use serde::Deserialize;
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

impl<'de, T: DeserializeOwned> Deserialize<'de> for Field<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = Value::deserialize(d)?;
        if v.is_null() {
            return Ok(Field::Null);
        }
        let found = type_name(&v);
        Ok(match T::deserialize(v) {
            Ok(t) => Field::Val(t),
            Err(_) => Field::Wrong(found),
        })
    }
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

/// "a string", "an array", … for messages.
pub(crate) fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A code or a number the provider writes as a string (`key_state: "2"`, `pending_days: "7"`)
/// that some tools write as a number.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
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

/// The plan representation (or, without `resource_changes`, a state representation).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct Plan {
    pub format_version: Field<String>,
    pub terraform_version: Field<String>,
    pub timestamp: Field<String>,
    pub prior_state: Field<State>,
    /// A state's `values` (`terraform show -json` of a state file).
    pub values: Field<Values>,
    pub resource_changes: Field<Vec<Field<ResourceChange>>>,
    pub configuration: Field<Configuration>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct State {
    pub values: Field<Values>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct Values {
    pub root_module: Field<Module>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct Module {
    pub resources: Field<Vec<Field<StateResource>>>,
    pub child_modules: Field<Vec<Field<Module>>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct StateResource {
    pub address: Field<String>,
    pub mode: Field<String>,
    #[serde(rename = "type")]
    pub kind: Field<String>,
    pub provider_name: Field<String>,
    pub values: Field<Map<String, Value>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct ResourceChange {
    pub address: Field<String>,
    pub mode: Field<String>,
    #[serde(rename = "type")]
    pub kind: Field<String>,
    pub provider_name: Field<String>,
    pub change: Field<Change>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct Change {
    pub actions: Field<Vec<String>>,
    pub before: Field<Map<String, Value>>,
    pub after: Field<Map<String, Value>>,
    pub after_unknown: Field<Value>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct Configuration {
    pub root_module: Field<ConfigModule>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct ConfigModule {
    pub resources: Field<Vec<Field<ConfigResource>>>,
    pub module_calls: Field<Map<String, Value>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct ConfigResource {
    pub address: Field<String>,
    pub expressions: Field<Value>,
}

/// `huaweicloud_kms_key` (docs/resources/kms_key.md).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct KmsKey {
    pub id: Field<String>,
    pub key_id: Field<String>,
    pub key_alias: Field<String>,
    pub is_enabled: Field<bool>,
    pub pending_days: Field<Code>,
    pub key_state: Field<Code>,
    pub default_key_flag: Field<Code>,
    pub scheduled_deletion_date: Field<Code>,
    pub creation_date: Field<Code>,
}

/// `huaweicloud_evs_volume` (docs/resources/evs_volume.md).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct EvsVolume {
    pub id: Field<String>,
    pub name: Field<String>,
    pub kms_id: Field<String>,
    pub snapshot_id: Field<String>,
    pub backup_id: Field<String>,
    pub image_id: Field<String>,
    pub server_id: Field<String>,
    pub multiattach: Field<bool>,
    pub attachment: Field<Vec<Field<VolumeAttachment>>>,
    pub created_at: Field<String>,
    pub updated_at: Field<String>,
}

/// An `attachment` block of a volume.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct VolumeAttachment {
    pub instance_id: Field<String>,
    pub device: Field<String>,
}

/// `huaweicloud_compute_instance` (docs/resources/compute_instance.md).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct Instance {
    pub id: Field<String>,
    pub name: Field<String>,
    pub image_id: Field<String>,
    pub image_name: Field<String>,
    pub system_disk_id: Field<String>,
    pub system_disk_kms_key_id: Field<String>,
    pub status: Field<String>,
    pub power_action: Field<String>,
    pub data_disks: Field<Vec<Field<DataDisk>>>,
    pub volume_attached: Field<Vec<Field<VolumeAttached>>>,
    pub created_at: Field<String>,
    pub updated_at: Field<String>,
}

/// A `data_disks` block of an instance.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct DataDisk {
    pub kms_key_id: Field<String>,
    pub snapshot_id: Field<String>,
}

/// A `volume_attached` block of an instance.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct VolumeAttached {
    pub volume_id: Field<String>,
    pub is_sys_volume: Field<bool>,
    pub boot_index: Field<Code>,
}

/// `huaweicloud_compute_volume_attach` (docs/resources/compute_volume_attach.md).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct VolumeAttach {
    pub id: Field<String>,
    pub instance_id: Field<String>,
    pub volume_id: Field<String>,
    pub device: Field<String>,
}

/// `huaweicloud_evs_snapshot` (docs/resources/evs_snapshot.md).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct Snapshot {
    pub id: Field<String>,
    pub name: Field<String>,
    pub volume_id: Field<String>,
}

/// `huaweicloud_cbr_checkpoint` (docs/resources/cbr_checkpoint.md): backups of volumes.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct Checkpoint {
    pub id: Field<String>,
    pub name: Field<String>,
    pub backups: Field<Vec<Field<CheckpointBackup>>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct CheckpointBackup {
    #[serde(rename = "type")]
    pub kind: Field<String>,
    pub resource_id: Field<String>,
    pub id: Field<String>,
}

/// `huaweicloud_images_image`, `huaweicloud_ims_ecs_system_image`,
/// `huaweicloud_ims_obs_system_image` (docs/resources/images_image.md, ims_*_image.md).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct Image {
    pub id: Field<String>,
    pub name: Field<String>,
    pub instance_id: Field<String>,
    pub image_url: Field<String>,
    pub cmk_id: Field<String>,
    pub volume_id: Field<String>,
    pub backup_id: Field<String>,
    #[serde(rename = "__system__cmkid")]
    pub system_cmkid: Field<String>,
}

/// `huaweicloud_as_configuration` (docs/resources/as_configuration.md).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct AsConfiguration {
    pub id: Field<String>,
    pub scaling_configuration_name: Field<String>,
    pub instance_config: Field<Vec<Field<InstanceConfig>>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct InstanceConfig {
    pub instance_id: Field<String>,
    pub image: Field<String>,
    pub disk: Field<Vec<Field<AsDisk>>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct AsDisk {
    pub disk_type: Field<String>,
    pub kms_id: Field<String>,
}

/// Reads a resource's attribute object as `T` (never fails: see [`Field`]).
pub(crate) fn attrs<T: DeserializeOwned + Default>(values: &Map<String, Value>) -> T {
    T::deserialize(Value::Object(values.clone())).unwrap_or_default()
}

/// The items of a list field that are objects of the right shape.
pub(crate) fn items<T>(list: &Field<Vec<Field<T>>>) -> impl Iterator<Item = &T> {
    list.value().into_iter().flatten().filter_map(Field::value)
}
