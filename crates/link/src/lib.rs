//! Share links of SPEC §7: `#s=<base64url of the UTF-8 text>` and `#z=<base64url of the
//! raw-DEFLATE-compressed text>`, padding optional. Pure: no I/O, never panics.
#![deny(clippy::indexing_slicing)]

use base64::alphabet::URL_SAFE;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::DecodePaddingMode;
use base64::Engine as _;

/// The largest scenario a link may carry once decoded (SPEC: "more than 1 MB once inflated").
pub const MAX_TEXT: usize = 1_000_000;

const B64: GeneralPurpose = GeneralPurpose::new(
    &URL_SAFE,
    GeneralPurposeConfig::new()
        .with_encode_padding(false)
        .with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// Why a link cannot be opened. The message says what is wrong, for the page's alert.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LinkError {
    #[error("the link's scenario is not valid base64url (at character {position})")]
    Base64 { position: usize },
    #[error("the link's scenario is not valid compressed (raw DEFLATE) data")]
    Deflate,
    #[error("the link's scenario is larger than 1 MB once decoded")]
    TooLarge,
    #[error("the link's scenario is not UTF-8 text (bad byte at offset {offset})")]
    NotUtf8 { offset: usize },
}

/// What a URL fragment holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fragment {
    /// No scenario in the fragment.
    None,
    /// A decoded scenario text.
    Scenario(String),
}

/// Decodes a fragment (`#s=…`, `#z=…`, with or without the `#`; other parameters after `&`
/// are ignored). A fragment without `s=` or `z=` is [`Fragment::None`].
pub fn decode_fragment(fragment: &str) -> Result<Fragment, LinkError> {
    let f = fragment.strip_prefix('#').unwrap_or(fragment);
    for part in f.split('&') {
        if let Some(v) = part.strip_prefix("s=") {
            return decode_plain(v).map(Fragment::Scenario);
        }
        if let Some(v) = part.strip_prefix("z=") {
            return decode_deflate(v).map(Fragment::Scenario);
        }
    }
    Ok(Fragment::None)
}

fn base64(v: &str) -> Result<Vec<u8>, LinkError> {
    // A 1 MB text is at most ~1.34 MB of base64; refuse far larger input before decoding.
    if v.len() > MAX_TEXT * 2 {
        return Err(LinkError::TooLarge);
    }
    B64.decode(v.trim_end_matches('=').as_bytes()).map_err(|e| {
        let position = match e {
            base64::DecodeError::InvalidByte(i, _)
            | base64::DecodeError::InvalidLastSymbol { offset: i, .. } => i + 1,
            _ => v.len(),
        };
        LinkError::Base64 { position }
    })
}

fn utf8(bytes: Vec<u8>) -> Result<String, LinkError> {
    if bytes.len() > MAX_TEXT {
        return Err(LinkError::TooLarge);
    }
    String::from_utf8(bytes).map_err(|e| LinkError::NotUtf8 {
        offset: e.utf8_error().valid_up_to(),
    })
}

/// Decodes a `#s=` value.
pub fn decode_plain(v: &str) -> Result<String, LinkError> {
    utf8(base64(v)?)
}

/// Decodes a `#z=` value (inflating at most [`MAX_TEXT`] bytes).
pub fn decode_deflate(v: &str) -> Result<String, LinkError> {
    let raw = base64(v)?;
    let bytes =
        miniz_oxide::inflate::decompress_to_vec_with_limit(&raw, MAX_TEXT).map_err(|e| match e
            .status
        {
            miniz_oxide::inflate::TINFLStatus::HasMoreOutput => LinkError::TooLarge,
            _ => LinkError::Deflate,
        })?;
    utf8(bytes)
}

/// The `z=` value for a text (raw DEFLATE, base64url without padding).
pub fn encode_deflate(text: &str) -> String {
    B64.encode(miniz_oxide::deflate::compress_to_vec(text.as_bytes(), 9))
}

/// The `s=` value for a text (base64url without padding).
pub fn encode_plain(text: &str) -> String {
    B64.encode(text.as_bytes())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        for text in [
            "",
            "key create k1\n",
            "title é ✓ <script>\n",
            &"disk create d1\n".repeat(5000),
        ] {
            let z = encode_deflate(text);
            assert_eq!(
                decode_fragment(&format!("#z={z}")),
                Ok(Fragment::Scenario(text.to_owned()))
            );
            let s = encode_plain(text);
            assert_eq!(
                decode_fragment(&format!("s={s}")),
                Ok(Fragment::Scenario(text.to_owned()))
            );
        }
    }

    #[test]
    fn padding_is_optional() {
        // "ab" is YWI= in padded base64.
        assert_eq!(decode_plain("YWI="), Ok("ab".to_owned()));
        assert_eq!(decode_plain("YWI"), Ok("ab".to_owned()));
    }

    #[test]
    fn other_fragments() {
        assert_eq!(decode_fragment(""), Ok(Fragment::None));
        assert_eq!(decode_fragment("#top"), Ok(Fragment::None));
        assert_eq!(
            decode_fragment("#view=board&s=YWI"),
            Ok(Fragment::Scenario("ab".to_owned()))
        );
    }

    #[test]
    fn errors_say_what_is_wrong() {
        assert_eq!(decode_plain("ab$d"), Err(LinkError::Base64 { position: 3 }));
        assert!(matches!(decode_deflate("YWJj"), Err(LinkError::Deflate)));
        assert!(matches!(
            decode_plain("_w"),
            Err(LinkError::NotUtf8 { offset: 0 })
        ));
        // A zip bomb: 2 MB of zeros compresses small but inflates past the limit.
        let bomb = encode_deflate(&"\0".repeat(2_000_000));
        assert!(bomb.len() < 10_000);
        assert_eq!(decode_deflate(&bomb), Err(LinkError::TooLarge));
        assert_eq!(
            decode_plain(&encode_plain(&"a".repeat(MAX_TEXT + 1))),
            Err(LinkError::TooLarge)
        );
        assert!(LinkError::Deflate.to_string().contains("DEFLATE"));
    }
}
