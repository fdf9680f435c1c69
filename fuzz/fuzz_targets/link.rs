//! Share links: any string through `decode_fragment` (and the two decoders directly) never
//! panics and never returns more than `MAX_TEXT`; any text round-trips through both encodings.
#![no_main]

use keyline_link::{
    decode_deflate, decode_fragment, decode_plain, encode_deflate, encode_plain, Fragment, MAX_TEXT,
};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let s = String::from_utf8_lossy(data);
    for r in [
        decode_fragment(&s),
        decode_plain(&s).map(Fragment::Scenario),
        decode_deflate(&s).map(Fragment::Scenario),
    ] {
        if let Ok(Fragment::Scenario(t)) = r {
            assert!(t.len() <= MAX_TEXT);
        }
    }
    assert_eq!(decode_deflate(&encode_deflate(&s)).as_deref(), Ok(&*s));
    assert_eq!(decode_plain(&encode_plain(&s)).as_deref(), Ok(&*s));
    assert_eq!(
        decode_fragment(&format!("#z={}", encode_deflate(&s))),
        Ok(Fragment::Scenario(s.clone().into_owned()))
    );
});
