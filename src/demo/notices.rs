//! Demo notices: a meeting notice with a PDF agenda, RSVP required, published by the city
//! admin to 瑶海区 (and the demo deputy); when a push webhook is configured, the first deputies
//! of the audience get demo phones, so the fake gateway (`lvzhi fake-gateway`) shows the pushes.

use crate::db;
use crate::error::{AppError, AppResult};
use crate::notices::seeding::{self as store, insert_attachment};
use crate::notices::{self as service, Audience};
use crate::state::AppState;
use bytes::Bytes;

/// A one-page PDF (the agenda of the demo meeting).
pub fn agenda_pdf() -> Vec<u8> {
    let text = "BT /F1 18 Tf 72 720 Td (Agenda: 10th session of the Standing Committee, Yaohai District) Tj ET";
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>".to_string(),
        format!("<< /Length {} >>\nstream\n{text}\nendstream", text.len()),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string(),
    ];
    let mut pdf = b"%PDF-1.4\n".to_vec();
    let mut offsets = vec![];
    for (i, o) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend_from_slice(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
    }
    let xref = pdf.len();
    pdf.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for off in offsets {
        pdf.extend_from_slice(format!("{off:010} 00000 n \n").as_bytes());
    }
    pdf.extend_from_slice(
        format!("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1).as_bytes(),
    );
    pdf
}

/// Publishes the demo meeting notice; returns its id.
pub async fn seed(state: &AppState) -> AppResult<i64> {
    let (now, tz, quiet) = (state.now(), state.settings.tz, state.settings.quiet_hours);
    let with_phones = state.settings.push.webhook.is_some();
    let id = db::tx(&state.db, move |c| {
        let admin = crate::auth::seeding::by_username(c, "admin")?.ok_or_else(AppError::not_found)?;
        let county = crate::auth::seeding::by_username(c, "yaohai")?.and_then(|a| a.region_id).ok_or_else(AppError::not_found)?;
        let deputy = crate::auth::seeding::by_username(c, "13955110000")?.and_then(|a| a.deputy_id);
        // The city congress publishes (the parent of the district in the region path).
        let county_path = crate::org::region_path(c, county)?.ok_or_else(AppError::not_found)?;
        let city: i64 = county_path.trim_matches('/').rsplit('/').nth(1).and_then(|s| s.parse().ok()).ok_or_else(AppError::not_found)?;
        let scope = crate::org::region_path(c, city)?.ok_or_else(AppError::not_found)?;
        let audience = Audience { regions: vec![county], deputies: deputy.into_iter().collect(), ..Default::default() };
        let reached = crate::notices::resolve_audience(c, &scope, &audience)?;
        if with_phones {
            for d in reached.iter().take(5) {
                let dev = crate::push::seeding::NewDevice { deputy: *d, account: 0, platform: "android", provider: "webhook", token: &format!("demo-phone-{d}"), app_version: Some("3.2.0") };
                crate::push::seeding::upsert_device(c, &dev, now)?;
            }
        }
        let text = serde_json::to_string(&audience).map_err(AppError::internal)?;
        let deadline = now + chrono::Duration::days(5);
        store::insert(
            c,
            &store::NewNotice {
                region_id: city,
                region_path: &scope,
                kind: "meeting",
                title: "关于召开瑶海区人大常委会第十次会议的通知",
                body: "各位代表：\n\n定于下周二上午九时在区人大常委会会议室召开第十次会议，议程见附件。\n\n请于**五日内**在履职App中回复是否参会；因故不能参会的，请说明请假事由。",
                priority: "normal",
                pinned: true,
                audience: &text,
                status: "draft",
                publish_at: None,
                published_at: None,
                expires_at: None,
                rsvp_required: true,
                rsvp_deadline: Some(deadline),
                leave_needs_approval: true,
                event_id: None,
                targeted: 0,
                remind_round: 0,
                created_by: admin.id,
                created_at: now,
                version: 1,
            },
        )
    })
    .await?;
    let pdf = agenda_pdf();
    let key = format!("notices/{id}/demo-agenda");
    let rest = futures_util::stream::empty::<Result<Bytes, std::io::Error>>();
    let stored = state
        .files
        .put(&key, Bytes::from(pdf), rest, u64::MAX)
        .await
        .map_err(|e| AppError::internal(format!("{e:?}")))?;
    let wake = db::tx(&state.db, move |c| {
        let a = store::NewAttachment {
            notice: id,
            file_name: "第十次会议议程.pdf",
            content_type: "application/pdf",
            size: stored.size as i64,
            sha256: &stored.sha256,
            key: &key,
            by: 0,
        };
        insert_attachment(c, &a, now)?;
        Ok(service::publish_in(c, id, now, tz, quiet)?.1)
    })
    .await?;
    crate::live::announce(state, &[wake]).await;
    Ok(id)
}
