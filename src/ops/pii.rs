//! Sealing passes over personal data: at the first start-up after the upgrade, values stored
//! before sealing are sealed (batches of 500, one transaction each, so a restart resumes); `lvzhi rotate-pii-keys`
//! re-seals everything under the current key and recomputes the lookup hashes. The SQL lives
//! with each capability (`reseal` in its store).

use crate::db::{in_tx, AnyConnection};
use crate::error::AppResult;
use crate::platform::pii::{Pii, Reseal};

const BATCH: i64 = 500;

/// The row of `pii_pending` that asks for the pass over data stored before sealing.
const LEGACY: &str = "seal_legacy";

type Pass = fn(&mut AnyConnection, &Pii, Reseal, i64, i64) -> AppResult<(usize, Option<i64>)>;

/// Every sealed column's pass, by name.
const PASSES: [(&str, Pass); 6] = [
    ("constituents.phone", crate::reception::reseal_phones),
    ("checkins.position", crate::checkins::reseal_positions),
    ("sms_outbox.phone", crate::sms::reseal_phones),
    ("opinion_intakes.name", crate::reception::reseal_walk_in_names),
    ("fixed_contacts.phone", crate::contacts::reseal_phones),
    ("consultation_comments.phone", crate::consultations::reseal_phones),
];

fn run(c: &mut AnyConnection, pii: &Pii, mode: Reseal, pass: Pass) -> AppResult<usize> {
    let (mut after, mut total) = (0, 0);
    loop {
        let (n, last) = in_tx(c, |c| pass(c, pii, mode, after, BATCH))?;
        total += n;
        match last {
            Some(id) => after = id,
            None => return Ok(total),
        }
    }
}

/// Seals what was stored before sealing, once per installation (while migration 000017's row
/// is there; a pass cut short resumes at the next start); answers the rows sealed.
pub fn seal_legacy(c: &mut AnyConnection, pii: &Pii) -> AppResult<usize> {
    use crate::db::schema::pii_pending as p;
    use diesel::prelude::*;
    let pending = p::table.filter(p::pass.eq(LEGACY)).count().get_result::<i64>(c)? > 0;
    if !pending {
        return Ok(0);
    }
    let mut n = 0;
    for (_, pass) in PASSES {
        n += run(c, pii, Reseal::Legacy, pass)?;
    }
    diesel::delete(p::table.filter(p::pass.eq(LEGACY))).execute(c)?;
    Ok(n)
}

/// Re-seals every value not under the current key and recomputes every lookup hash; answers
/// the rows changed per column.
pub fn rotate(c: &mut AnyConnection, pii: &Pii) -> AppResult<Vec<(&'static str, usize)>> {
    PASSES.iter().map(|(name, pass)| Ok((*name, run(c, pii, Reseal::All, *pass)?))).collect()
}
