//! Pure rules of uploaded files: what a file is, read from its first bytes (a name proves
//! nothing: an executable renamed `.pdf` is still an executable), and whether its name agrees.

/// The types an attachment may have: (content type, extensions a name may carry).
pub const ALLOWED: [(&str, &[&str]); 8] = [
    ("application/pdf", &["pdf"]),
    ("image/png", &["png"]),
    ("image/jpeg", &["jpg", "jpeg"]),
    ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", &["docx"]),
    ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", &["xlsx"]),
    ("application/vnd.openxmlformats-officedocument.presentationml.presentation", &["pptx"]),
    ("application/msword", &["doc"]),
    ("application/vnd.ms-excel", &["xls"]),
];

/// Bytes enough to tell every allowed type.
pub const SNIFF_BYTES: usize = 8;

/// The content type of a file from its first bytes and its name, when it is allowed. ZIP and OLE
/// containers (Office files) are told apart by the name's extension, which must match the
/// container; every other type must match its own signature.
pub fn sniff(head: &[u8], file_name: &str) -> Result<&'static str, String> {
    let ext = extension(file_name);
    let by_magic: Option<&'static str> = if head.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else if head.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
        Some("image/png")
    } else if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if head.starts_with(b"PK\x03\x04") {
        // Office Open XML: a ZIP container; which one the name says.
        ALLOWED.iter().find(|(t, exts)| t.contains("openxmlformats") && exts.contains(&ext.as_str())).map(|(t, _)| *t)
    } else if head.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        ALLOWED
            .iter()
            .find(|(t, exts)| (t.contains("msword") || t.contains("ms-excel")) && exts.contains(&ext.as_str()))
            .map(|(t, _)| *t)
    } else {
        None
    };
    let Some(t) = by_magic else {
        return Err(format!("the content is not an allowed type ({})", allowed_list()));
    };
    let expected = ALLOWED.iter().find(|(x, _)| *x == t).map(|(_, e)| *e).unwrap_or(&[]);
    if !expected.contains(&ext.as_str()) {
        return Err(format!("the content is {t} but the name says `.{ext}`"));
    }
    Ok(t)
}

fn extension(name: &str) -> String {
    name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default()
}

fn allowed_list() -> String {
    ALLOWED.iter().flat_map(|(_, e)| e.iter().copied()).collect::<Vec<_>>().join(", ")
}

/// A file name safe to keep and to send back: its last path part, without control characters,
/// at most 200 characters.
pub fn clean_name(raw: &str) -> Option<String> {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or("");
    let name: String = last.chars().filter(|c| !c.is_control()).take(200).collect();
    let name = name.trim().to_string();
    (!name.is_empty() && name != "." && name != "..").then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_decides_and_the_name_must_agree() {
        assert_eq!(sniff(b"%PDF-1.7\n", "会议议程.pdf"), Ok("application/pdf"));
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0], "photo.JPG"), Ok("image/jpeg"));
        assert!(sniff(b"PK\x03\x04....", "report.docx").unwrap().contains("wordprocessingml"));
        assert!(sniff(b"MZ\x90\x00\x03\x00", "setup.pdf").is_err(), "an executable renamed .pdf");
        assert!(sniff(b"%PDF-1.4", "agenda.png").is_err(), "a PDF named .png");
        assert!(sniff(b"PK\x03\x04", "archive.zip").is_err(), "a plain ZIP");
        assert!(sniff(b"", "empty.pdf").is_err());
    }

    #[test]
    fn names_lose_paths_and_controls() {
        assert_eq!(clean_name("C:\\Users\\x\\议程.pdf").as_deref(), Some("议程.pdf"));
        assert_eq!(clean_name("../../etc/passwd").as_deref(), Some("passwd"));
        assert_eq!(clean_name("a\u{0}b.pdf").as_deref(), Some("ab.pdf"));
        assert_eq!(clean_name(".."), None);
        assert_eq!(clean_name(""), None);
    }
}
