//! Share-link properties (the `fuzz/link` target with a small budget): any fragment decodes or
//! is refused without a panic, any text round-trips through both encodings, and oversize input
//! and zip bombs are refused with `TooLarge` before they can take memory.

use keyline_link::{
    decode_deflate, decode_fragment, decode_plain, encode_deflate, encode_plain, Fragment,
    LinkError, MAX_TEXT,
};
use proptest::prelude::*;

fn cfg(cases: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(cases);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Fragments that look like links: a prefix, base64url-ish characters, and some noise.
fn fragment() -> impl Strategy<Value = String> {
    (
        prop::sample::select(vec![
            "",
            "#",
            "#s=",
            "#z=",
            "s=",
            "z=",
            "#view=board&s=",
            "#&z=",
            "#s=&z=",
        ]),
        prop_oneof![
            "[A-Za-z0-9_=-]{0,200}",
            "[A-Za-z0-9+/=_%&#-]{0,200}",
            any::<String>()
        ],
    )
        .prop_map(|(p, v)| format!("{p}{v}"))
}

fn is_utf8_error_free(r: &Result<Fragment, LinkError>) -> bool {
    match r {
        Ok(Fragment::Scenario(t)) => t.len() <= MAX_TEXT,
        Ok(Fragment::None) => true,
        // Every refusal has a sentence for the page's alert.
        Err(e) => !e.to_string().is_empty(),
    }
}

proptest! {
    #![proptest_config(cfg(256))]

    #[test]
    fn any_string_decodes_or_is_refused(s in any::<String>()) {
        prop_assert!(is_utf8_error_free(&decode_fragment(&s)));
        prop_assert!(is_utf8_error_free(&decode_plain(&s).map(Fragment::Scenario)));
        prop_assert!(is_utf8_error_free(&decode_deflate(&s).map(Fragment::Scenario)));
        // Deterministic.
        prop_assert_eq!(decode_fragment(&s), decode_fragment(&s));
    }

    #[test]
    fn link_shaped_fragments_decode_or_are_refused(s in fragment()) {
        prop_assert!(is_utf8_error_free(&decode_fragment(&s)));
    }

    #[test]
    fn arbitrary_bytes_as_deflate_data_are_refused_or_decoded(bytes in prop::collection::vec(any::<u8>(), 0..2000)) {
        // Raw bytes behind a valid base64url layer: the inflater sees arbitrary data.
        let z = encode_plain_bytes(&bytes);
        prop_assert!(is_utf8_error_free(&decode_deflate(&z).map(Fragment::Scenario)));
        // Plain: valid UTF-8 comes back as is; anything else is NotUtf8 at the first bad byte.
        match (decode_plain(&z), std::str::from_utf8(&bytes)) {
            (Ok(t), Ok(u)) => prop_assert_eq!(t, u),
            (Err(LinkError::NotUtf8 { offset }), Err(e)) => prop_assert_eq!(offset, e.valid_up_to()),
            (a, b) => prop_assert!(false, "decode_plain {:?} for from_utf8 {:?}", a, b),
        }
    }

    #[test]
    fn any_text_round_trips(t in prop_oneof![
        any::<String>(),
        prop::collection::vec(any::<char>(), 0..4000).prop_map(|c| c.into_iter().collect::<String>()),
        "(key create k[0-9]\n|disk create d1 encrypt k1\n|title <script>alert\\(1\\)</script>\n|\u{202e}|🔑){0,300}",
    ]) {
        prop_assert!(t.len() <= 16_000);
        let z = encode_deflate(&t);
        prop_assert_eq!(decode_deflate(&z), Ok(t.clone()));
        prop_assert_eq!(decode_fragment(&format!("#z={z}")), Ok(Fragment::Scenario(t.clone())));
        let s = encode_plain(&t);
        prop_assert_eq!(decode_plain(&s), Ok(t.clone()));
        prop_assert_eq!(decode_fragment(&format!("#s={s}&view=graph")), Ok(Fragment::Scenario(t.clone())));
        // Links are URL-safe as they are: no character needs escaping in a fragment.
        prop_assert!(z.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
        // Padding is optional: with `=` added the value decodes the same.
        let padded = format!("{s}{}", "=".repeat((4 - s.len() % 4) % 4));
        prop_assert_eq!(decode_plain(&padded), Ok(t));
    }
}

/// base64url without padding, for bytes that are not text.
fn encode_plain_bytes(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk.first().copied().unwrap_or(0),
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..=chunk.len() {
            let six = (n >> (18 - 6 * i)) & 63;
            out.push(char::from(A[six as usize]));
        }
    }
    out
}

#[test]
fn the_helper_encodes_like_the_codec() {
    for t in ["", "a", "ab", "abc", "abcd", "key create k1\n", "é🔑"] {
        assert_eq!(encode_plain_bytes(t.as_bytes()), encode_plain(t));
    }
}

/// Text right at the limit is accepted; one byte more is refused, in both encodings.
#[test]
fn the_limit_is_exact() {
    let at = "k".repeat(MAX_TEXT);
    assert_eq!(
        decode_plain(&encode_plain(&at)).map(|t| t.len()),
        Ok(MAX_TEXT)
    );
    assert_eq!(
        decode_deflate(&encode_deflate(&at)).map(|t| t.len()),
        Ok(MAX_TEXT)
    );
    let over = "k".repeat(MAX_TEXT + 1);
    assert_eq!(decode_plain(&encode_plain(&over)), Err(LinkError::TooLarge));
    assert_eq!(
        decode_deflate(&encode_deflate(&over)),
        Err(LinkError::TooLarge)
    );
    assert_eq!(
        decode_fragment(&format!("#z={}", encode_deflate(&over))),
        Err(LinkError::TooLarge)
    );
}

/// A huge fragment is refused by its length (`TooLarge`), whatever its characters: the length
/// is checked before any decoding.
#[test]
fn oversize_fragments_are_refused_before_decoding() {
    for v in [
        "A".repeat(20_000_000),
        "!".repeat(5_000_000),
        "=".repeat(3_000_000),
    ] {
        assert_eq!(
            decode_fragment(&format!("#s={v}")),
            Err(LinkError::TooLarge)
        );
        assert_eq!(
            decode_fragment(&format!("#z={v}")),
            Err(LinkError::TooLarge)
        );
    }
}

/// Zip bombs: a few kB of DEFLATE that inflate to far more than 1 MB are stopped at the limit,
/// whatever the content and however well it compresses.
#[test]
fn zip_bombs_are_refused() {
    for (text, n) in [
        ("\0", 8_000_000),
        ("a", 3_000_000),
        ("key create k1\n", 200_000),
    ] {
        let bomb = encode_deflate(&text.repeat(n));
        assert!(bomb.len() < 200_000, "{} bytes", bomb.len());
        assert_eq!(decode_deflate(&bomb), Err(LinkError::TooLarge));
        assert_eq!(
            decode_fragment(&format!("#z={bomb}")),
            Err(LinkError::TooLarge)
        );
    }
    // A bomb that is not even UTF-8 is still TooLarge, not NotUtf8: the size is checked first.
    let raw: Vec<u8> = std::iter::repeat_n(0xffu8, 3_000_000).collect();
    let packed = encode_plain_bytes(&deflate(&raw));
    assert_eq!(decode_deflate(&packed), Err(LinkError::TooLarge));
}

/// Raw DEFLATE of bytes that are not text: stored blocks, which any inflater accepts.
fn deflate(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut chunks = bytes.chunks(65_535).peekable();
    while let Some(c) = chunks.next() {
        out.push(u8::from(chunks.peek().is_none()));
        let len = c.len() as u16;
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&(!len).to_le_bytes());
        out.extend_from_slice(c);
    }
    out
}

#[test]
fn broken_links_say_what_is_wrong() {
    assert!(matches!(
        decode_fragment("#s=a$b"),
        Err(LinkError::Base64 { position: 2 })
    ));
    assert_eq!(decode_fragment("#z=AAAA"), Err(LinkError::Deflate));
    // A truncated link (copied from a chat that cut it) is refused, not half-opened.
    let z = encode_deflate(&"disk create d1 encrypt k1\n".repeat(50));
    let cut = z.get(..z.len() / 2).unwrap_or_default();
    assert!(decode_deflate(cut).is_err());
}
