//! The statements every outbox table shares, written once: an outbox table has the columns `id`,
//! `status` (`pending`, `sent`, `dropped`, `dead`), `attempts`, `next_at`, `lease_until`,
//! `last_error` and `sent_at`. A capability's store calls [`outbox_statements!`](crate::outbox_statements) with its
//! table and gets `lease_due`, `settle`, `dead_after` and `redrive` for it (with `by column`,
//! `lease_due` claims the rows of one value of that column; with `sent deleted`, a sent row
//! leaves the table instead of being marked `sent`).

/// Generates the shared outbox statements for a diesel table module (e.g. `push_outbox as o`),
/// counted in the metrics under `$name`.
#[macro_export]
macro_rules! outbox_statements {
    // Rows claimed by a key (the push outbox by provider: each provider's pushes are claimed
    // on their own, as many as it takes).
    ($o:ident, $name:literal, by $key:ident $(, sent $sent:ident)?) => {
        /// Leases up to `limit` due rows of `key` until `lease_until`, earliest `next_at` first:
        /// nobody else sends them meanwhile (on PostgreSQL rows another worker holds are
        /// skipped with `FOR UPDATE SKIP LOCKED`). Answers their ids.
        pub fn lease_due(
            c: &mut $crate::db::AnyConnection,
            now: chrono::NaiveDateTime,
            lease_until: chrono::NaiveDateTime,
            key: &str,
            limit: i64,
        ) -> $crate::error::AppResult<Vec<i64>> {
            use diesel::prelude::*;
            let free = $o::status
                .eq("pending")
                .and($o::$key.eq(key))
                .and($o::next_at.le(now))
                .and($o::lease_until.is_null().or($o::lease_until.lt(now)));
            $crate::outbox_statements!(@take c, $o, free, limit, lease_until)
        }
        $crate::outbox_statements!(@common $o, $name, $($sent)?);
    };
    ($o:ident, $name:literal) => {
        /// Leases up to `limit` due rows until `lease_until`, earliest `next_at` first: nobody
        /// else sends them meanwhile (on PostgreSQL rows another worker holds are skipped with
        /// `FOR UPDATE SKIP LOCKED`). Answers their ids.
        pub fn lease_due(
            c: &mut $crate::db::AnyConnection,
            now: chrono::NaiveDateTime,
            lease_until: chrono::NaiveDateTime,
            limit: i64,
        ) -> $crate::error::AppResult<Vec<i64>> {
            use diesel::prelude::*;
            let free = $o::status
                .eq("pending")
                .and($o::next_at.le(now))
                .and($o::lease_until.is_null().or($o::lease_until.lt(now)));
            $crate::outbox_statements!(@take c, $o, free, limit, lease_until)
        }
        $crate::outbox_statements!(@common $o, $name,);
    };
    (@take $c:ident, $o:ident, $free:ident, $limit:ident, $until:ident) => {{
        let q = $o::table.filter($free).order($o::next_at).limit($limit).select($o::id);
        let ids: Vec<i64> = match $c {
            $crate::db::AnyConnection::Pg(pg) => q.for_update().skip_locked().load(pg)?,
            $crate::db::AnyConnection::Sqlite(sq) => q.load(sq)?,
        };
        if !ids.is_empty() {
            diesel::update($o::table.filter($o::id.eq_any(&ids))).set($o::lease_until.eq($until)).execute($c)?;
        }
        Ok(ids)
    }};
    // Sent rows: marked `sent` (kept), or deleted.
    (@sent $c:ident, $o:ident, $ids:ident, $at:ident,) => {
        diesel::update($o::table.filter($o::id.eq_any(&$ids)))
            .set((
                $o::status.eq("sent"),
                $o::sent_at.eq($at),
                $o::lease_until.eq(None::<chrono::NaiveDateTime>),
                $o::attempts.eq($o::attempts + 1),
            ))
            .execute($c)?
    };
    (@sent $c:ident, $o:ident, $ids:ident, $at:ident, deleted) => {{
        let _ = $at; // a deleted row keeps no time
        diesel::delete($o::table.filter($o::id.eq_any(&$ids))).execute($c)?
    }};
    (@common $o:ident, $name:literal, $($sent:ident)?) => {
        /// Records the step after each row's attempt: every sent row in one statement, the
        /// others one by one; each attempt counts and ends the lease.
        pub fn settle(
            c: &mut $crate::db::AnyConnection,
            steps: &[(i64, &$crate::platform::outbox::Step)],
            at: chrono::NaiveDateTime,
        ) -> $crate::error::AppResult<()> {
            use diesel::prelude::*;
            use $crate::platform::outbox::Step;
            let none = None::<chrono::NaiveDateTime>;
            let sent: Vec<i64> = steps.iter().filter(|s| *s.1 == Step::Sent).map(|s| s.0).collect();
            if !sent.is_empty() {
                $crate::outbox_statements!(@sent c, $o, sent, at, $($sent)?);
            }
            for (id, step) in steps {
                let row = $o::table.find(*id);
                let tried = ($o::lease_until.eq(none), $o::attempts.eq($o::attempts + 1));
                match step {
                    Step::Sent => 0,
                    Step::RetryAt(next, error) => {
                        diesel::update(row).set(($o::next_at.eq(*next), $o::last_error.eq(error), tried)).execute(c)?
                    }
                    Step::Dropped(error) => diesel::update(row)
                        .set(($o::status.eq("dropped"), $o::last_error.eq(error), tried))
                        .execute(c)?,
                    Step::Dead(error) => {
                        diesel::update(row).set(($o::status.eq("dead"), $o::last_error.eq(error), tried)).execute(c)?
                    }
                };
            }
            $crate::platform::outbox::Tally::named($name).count(steps.iter().map(|s| s.1));
            Ok(())
        }

        /// Ids of dead letters after id `after`, oldest first (`limit + 1`, to tell a next page).
        #[allow(dead_code)] // not every outbox lists its dead letters over HTTP yet (SMS does not)
        pub fn dead_after(
            c: &mut $crate::db::AnyConnection,
            after: i64,
            limit: i64,
        ) -> $crate::error::AppResult<Vec<i64>> {
            use diesel::prelude::*;
            Ok($o::table
                .filter($o::status.eq("dead"))
                .filter($o::id.gt(after))
                .order($o::id)
                .limit(limit + 1)
                .select($o::id)
                .load(c)?)
        }

        /// Sends a dead letter again (its dedup id unchanged, attempts from zero); false when
        /// the row is not a dead letter.
        #[allow(dead_code)] // as `dead_after`
        pub fn redrive(
            c: &mut $crate::db::AnyConnection,
            id: i64,
            now: chrono::NaiveDateTime,
        ) -> $crate::error::AppResult<bool> {
            use diesel::prelude::*;
            Ok(diesel::update($o::table.filter($o::id.eq(id)).filter($o::status.eq("dead")))
                .set((
                    $o::status.eq("pending"),
                    $o::attempts.eq(0),
                    $o::next_at.eq(now),
                    $o::lease_until.eq(None::<chrono::NaiveDateTime>),
                ))
                .execute(c)?
                == 1)
        }
    };
}
