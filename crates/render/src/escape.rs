//! Text into HTML and SVG: the five markup characters escaped, and characters that would be
//! invisible or reorder what is shown (bidi controls, zero-width characters, C0 and C1
//! controls) made visible as their code point, so hostile text reads as what it is.

/// Whether `c` is shown as its code point rather than as itself: the bidi embedding,
/// override and isolate controls and marks (they reorder the text around them), other
/// zero-width and format characters, line and paragraph separators, control characters (a
/// tab stays a tab), and the two non-characters XML forbids.
pub fn is_hidden(c: char) -> bool {
    matches!(
        c,
        '\u{202a}'..='\u{202e}'
            | '\u{2066}'..='\u{2069}'
            | '\u{200e}'
            | '\u{200f}'
            | '\u{061c}'
            | '\u{200b}'
            | '\u{2060}'..='\u{2064}'
            | '\u{feff}'
            | '\u{2028}'
            | '\u{2029}'
            | '\u{180e}'
            | '\u{fffe}'
            | '\u{ffff}'
    ) || (c.is_control() && c != '\t')
}

/// Appends `text` as HTML or XML character data, hidden characters as a
/// `<span class="kl-ctrl">U+202E</span>` mark.
pub fn text(out: &mut String, text: &str) {
    marked(out, text, "<span class=\"kl-ctrl\">", "</span>");
}

/// Appends `text` as SVG `<text>` content: hidden characters as a
/// `<tspan class="kl-ctrl">U+202E</tspan>` mark (an HTML `<span>` is not SVG).
pub fn text_svg(out: &mut String, text: &str) {
    marked(out, text, "<tspan class=\"kl-ctrl\">", "</tspan>");
}

/// Appends `text` for an attribute value or a `<title>` (where no element may appear): hidden
/// characters as the plain words `[U+202E]`.
pub fn plain(out: &mut String, text: &str) {
    marked(out, text, "[", "]");
}

/// Appends `text` escaped, each hidden character as its code point between `open` and `close`:
/// what [`text`], [`text_svg`] and [`plain`] share, each with its own mark.
fn marked(out: &mut String, text: &str, open: &str, close: &str) {
    for c in text.chars() {
        if is_hidden(c) {
            out.push_str(open);
            code_point(out, c);
            out.push_str(close);
        } else {
            push_escaped(out, c);
        }
    }
}

/// [`text`] into a new string.
pub fn text_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    text(&mut out, s);
    out
}

/// [`plain`] into a new string.
pub fn plain_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    plain(&mut out, s);
    out
}

fn push_escaped(out: &mut String, c: char) {
    match c {
        '&' => out.push_str("&amp;"),
        '<' => out.push_str("&lt;"),
        '>' => out.push_str("&gt;"),
        '"' => out.push_str("&quot;"),
        '\'' => out.push_str("&#39;"),
        c => out.push(c),
    }
}

fn code_point(out: &mut String, c: char) {
    out.push_str(&format!("U+{:04X}", u32::from(c)));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_is_escaped() {
        assert_eq!(
            text_string("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
    }

    #[test]
    fn bidi_and_controls_are_visible() {
        assert_eq!(
            text_string("a\u{202e}b\u{0}c\td"),
            "a<span class=\"kl-ctrl\">U+202E</span>b<span class=\"kl-ctrl\">U+0000</span>c\td"
        );
        assert_eq!(plain_string("x\u{2066}y"), "x[U+2066]y");
    }

    #[test]
    fn emoji_sequences_stay_whole() {
        let e = "👩\u{200d}💻";
        assert_eq!(text_string(e), e);
    }
}
