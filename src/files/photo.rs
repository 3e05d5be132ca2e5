//! Photos from phones: JPEG or PNG, recognised by their content (never by their name), with every
//! piece of metadata removed before they are stored — a photo taken on a phone carries where it
//! was taken (often the person's home), when, and on which device. Only the orientation is kept
//! (as a one-entry EXIF block), so the picture still shows upright. Lossless: the image data is
//! not decoded or re-encoded. Pure: bytes in, bytes out.

use bytes::Bytes;
use img_parts::jpeg::{markers, Jpeg};
use img_parts::png::Png;
use img_parts::ImageEXIF;

/// Why a photo is refused.
#[derive(Debug, PartialEq, Eq)]
pub enum Refused {
    /// Not a JPEG or PNG (a PDF or SVG renamed, a HEIC photo): 415.
    Unsupported,
    /// Says it is a JPEG or PNG but cannot be read as one: 415 too.
    Unreadable,
}

/// The orientation written in a JPEG's EXIF (1–8), if any.
fn orientation(exif: &[u8]) -> Option<u16> {
    let raw = exif::Reader::new().read_raw(exif.to_vec()).ok()?;
    let f = raw.get_field(exif::Tag::Orientation, exif::In::PRIMARY)?;
    f.value.get_uint(0).and_then(|v| u16::try_from(v).ok()).filter(|v| (2..=8).contains(v))
}

/// A TIFF block (big-endian) with one IFD entry: the orientation.
fn orientation_only(o: u16) -> Vec<u8> {
    let mut v = b"MM\0\x2a\0\0\0\x08".to_vec();
    v.extend_from_slice(&1u16.to_be_bytes());
    v.extend_from_slice(&0x0112u16.to_be_bytes());
    v.extend_from_slice(&3u16.to_be_bytes());
    v.extend_from_slice(&1u32.to_be_bytes());
    v.extend_from_slice(&o.to_be_bytes());
    v.extend_from_slice(&[0, 0]);
    v.extend_from_slice(&0u32.to_be_bytes());
    v
}

/// PNG chunks that only carry pictures and their colour.
const PNG_KEEP: [&[u8; 4]; 11] =
    [b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"gAMA", b"cHRM", b"sRGB", b"iCCP", b"sBIT", b"pHYs"];

/// Reads the photo's kind from its content and returns it without metadata:
/// (content type, clean bytes).
pub fn clean(bytes: Bytes) -> Result<(&'static str, Bytes), Refused> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        let mut jpeg = Jpeg::from_bytes(bytes).map_err(|_| Refused::Unreadable)?;
        let keep_orientation = jpeg.exif().as_deref().and_then(orientation);
        // APP0 (JFIF) and APP2 (the colour profile) stay; EXIF, XMP, IPTC, maker notes and
        // comments go.
        jpeg.segments_mut().retain(|s| {
            let m = s.marker();
            let app = (markers::APP0..=markers::APP15).contains(&m);
            !(m == markers::COM || (app && m != markers::APP0 && m != markers::APP2))
        });
        if let Some(o) = keep_orientation {
            jpeg.set_exif(Some(Bytes::from(orientation_only(o))));
        }
        return Ok(("image/jpeg", jpeg.encoder().bytes()));
    }
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        let mut png = Png::from_bytes(bytes).map_err(|_| Refused::Unreadable)?;
        png.chunks_mut().retain(|c| PNG_KEEP.contains(&&c.kind()));
        return Ok(("image/png", png.encoder().bytes()));
    }
    Err(Refused::Unsupported)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gps_and_device_go_orientation_stays() {
        let raw = Bytes::from(std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/gps.jpg")).unwrap());
        let before = Jpeg::from_bytes(raw.clone()).unwrap().exif().unwrap();
        assert!(exif::Reader::new()
            .read_raw(before.to_vec())
            .unwrap()
            .get_field(exif::Tag::GPSLatitude, exif::In::PRIMARY)
            .is_some());
        let (kind, out) = clean(raw.clone()).unwrap();
        assert_eq!(kind, "image/jpeg");
        assert!(out.len() < raw.len());
        let exif = Jpeg::from_bytes(out.clone()).unwrap().exif().unwrap();
        let read = exif::Reader::new().read_raw(exif.to_vec()).unwrap();
        assert_eq!(read.fields().count(), 1, "only the orientation is left");
        assert_eq!(read.get_field(exif::Tag::Orientation, exif::In::PRIMARY).unwrap().value.get_uint(0), Some(6));
        assert!(!out.windows(10).any(|w| w == b"PhoneMaker"));
        // Cleaning again changes nothing.
        assert_eq!(clean(out.clone()).unwrap().1, out);
    }

    #[test]
    fn other_kinds_are_refused() {
        assert_eq!(clean(Bytes::from_static(b"%PDF-1.7\n...")).unwrap_err(), Refused::Unsupported);
        assert_eq!(
            clean(Bytes::from_static(b"<svg xmlns='http://www.w3.org/2000/svg'/>")).unwrap_err(),
            Refused::Unsupported
        );
        assert_eq!(clean(Bytes::from_static(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 1])).unwrap_err(), Refused::Unreadable);
        let png = Bytes::from(std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/plain.png")).unwrap());
        assert_eq!(clean(png).unwrap().0, "image/png");
    }
}
