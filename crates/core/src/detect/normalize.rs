//! The request as an attacker meant the server to read it.
//!
//! Attack signatures hide behind encodings that servers undo: `%2e%2e%2f`, double
//! encoding (`%252e`), IIS `%u002e`, overlong UTF-8 (`%c0%ae`), backslashes, `..;/`
//! (Tomcat's path parameters), NUL bytes and mixed case. Rules match the normalised text,
//! so one pattern covers every disguise.

/// How many rounds of percent-decoding to undo: enough for double and triple encoding.
const DECODE_ROUNDS: usize = 3;

/// `text` percent-decoded until stable (at most three rounds), `%uXXXX` and overlong
/// UTF-8 dots and slashes folded, `+` read as a space, backslashes as slashes, `..;/` as
/// `../`, NUL bytes dropped, and lower-cased.
pub fn normalize_request_text(text: &str) -> String {
    let needs_decoding = text.bytes().any(|b| matches!(b, b'%' | 0) || b >= 0x80);
    if !needs_decoding {
        // Plain ASCII (most requests, every user agent): a byte-wise pass suffices.
        let mut out = text.to_ascii_lowercase();
        if out.contains(['\\', '+']) {
            out = out.replace('\\', "/").replace('+', " ");
        }
        if out.contains("..;/") {
            out = out.replace("..;/", "../");
        }
        return out;
    }
    let mut bytes = text.as_bytes().to_vec();
    for _ in 0..DECODE_ROUNDS {
        let decoded = percent_decode(&bytes);
        if decoded == bytes {
            break;
        }
        bytes = decoded;
    }
    let bytes = fold_overlong_utf8(&bytes);
    let text = String::from_utf8_lossy(&bytes);
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\0' => {}
            '\\' => out.push('/'),
            '+' => out.push(' '),
            c => out.push(c),
        }
    }
    let out = out.to_lowercase();
    if out.contains("..;/") {
        out.replace("..;/", "../")
    } else {
        out
    }
}

/// One round of `%XX` and `%uXXXX` decoding; malformed escapes stay as written.
fn percent_decode(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            if let Some(value) = hex_value(bytes.get(i + 1..i + 3)) {
                out.push(value);
                i += 3;
                continue;
            }
            if matches!(bytes.get(i + 1), Some(b'u' | b'U')) {
                let code =
                    hex_value(bytes.get(i + 2..i + 4)).zip(hex_value(bytes.get(i + 4..i + 6)));
                if let Some(c) =
                    code.and_then(|(hi, lo)| char::from_u32(u32::from(hi) << 8 | u32::from(lo)))
                {
                    let mut buffer = [0u8; 4];
                    out.extend_from_slice(c.encode_utf8(&mut buffer).as_bytes());
                    i += 6;
                    continue;
                }
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    out
}

fn hex_value(pair: Option<&[u8]>) -> Option<u8> {
    let digit = |b: u8| (b as char).to_digit(16);
    match pair? {
        [hi, lo] => Some(u8::try_from(digit(*hi)? * 16 + digit(*lo)?).ok()?),
        _ => None,
    }
}

/// Overlong UTF-8 encodings of `.`, `/` and `\`, which lenient decoders accept.
fn fold_overlong_utf8(bytes: &[u8]) -> Vec<u8> {
    const OVERLONG: [(&[u8], u8); 6] = [
        (&[0xC0, 0xAE], b'.'),
        (&[0xC0, 0xAF], b'/'),
        (&[0xC1, 0x9C], b'\\'),
        (&[0xE0, 0x80, 0xAE], b'.'),
        (&[0xE0, 0x80, 0xAF], b'/'),
        (&[0xE0, 0x81, 0x9C], b'\\'),
    ];
    if !bytes.iter().any(|&b| b == 0xC0 || b == 0xC1 || b == 0xE0) {
        return bytes.to_vec();
    }
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    'bytes: while i < bytes.len() {
        for (sequence, plain) in OVERLONG {
            if bytes[i..].starts_with(sequence) {
                out.push(plain);
                i += sequence.len();
                continue 'bytes;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    macro_rules! normalises {
        ($($name:ident: $input:expr => $expected:expr;)*) => {$(
            #[test]
            fn $name() {
                assert_eq!(normalize_request_text($input), $expected);
            }
        )*};
    }

    normalises! {
        plain_text_is_lower_cased: "/Index.HTML" => "/index.html";
        percent_encoding: "/a%2e%2E%2fetc" => "/a../etc";
        double_encoding: "/..%252f..%252fetc%252fpasswd" => "/../../etc/passwd";
        triple_encoding: "%25252e%25252e%25252f" => "../";
        iis_unicode: "/%u002e%u002e%u2215x" => "/..∕x";
        overlong_utf8: "/%c0%ae%c0%ae%c0%afetc" => "/../etc";
        backslashes: "..%5c..%5cwindows" => "../../windows";
        tomcat_path_parameters: "/app/..;/manager" => "/app/../manager";
        nul_bytes: "/x.php%00.jpg" => "/x.php.jpg";
        plus_is_space: "q=union+select" => "q=union select";
        malformed_escapes_stay: "%zz%4" => "%zz%4";
    }

    proptest! {
        #[test]
        fn never_panics(text in "[%a-fA-F0-9uU\\\\+;.\\x00\\PC]{0,80}") {
            let _ = normalize_request_text(&text);
        }

        /// Normalising twice changes nothing more than normalising once, for text without
        /// escapes deeper than the decode rounds.
        #[test]
        fn plain_paths_are_stable(path in "/[a-z0-9/._-]{0,40}") {
            prop_assert_eq!(normalize_request_text(&path), path.clone());
        }
    }
}
