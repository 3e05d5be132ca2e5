// @generated shape of migrations/{postgres,sqlite}; keep in step with both trees.
// Ids are BigInt on both backends (SQLite INTEGER PRIMARY KEY is a 64-bit rowid).

diesel::table! {
    regions (id) {
        id -> BigInt,
        code -> Text,
        name -> Text,
        parent_id -> Nullable<BigInt>,
        level -> Text,
        path -> Text,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    deputy_groups (id) {
        id -> BigInt,
        region_id -> BigInt,
        name -> Text,
        term -> Integer,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    deputies (id) {
        id -> BigInt,
        name -> Text,
        gender -> Text,
        phone -> Nullable<Text>,
        photo_url -> Nullable<Text>,
        introduction -> Nullable<Text>,
        public_code -> Text,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    seats (id) {
        id -> BigInt,
        deputy_id -> BigInt,
        level -> Text,
        region_id -> BigInt,
        term -> Integer,
        electoral_unit -> Nullable<Text>,
        group_id -> Nullable<BigInt>,
        status -> Text,
        status_date -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    stations (id) {
        id -> BigInt,
        region_id -> BigInt,
        kind -> Text,
        name -> Text,
        address -> Text,
        latitude -> Double,
        longitude -> Double,
        radius_m -> Integer,
        opening_hours -> Nullable<Text>,
        contact_name -> Nullable<Text>,
        contact_phone -> Nullable<Text>,
        public_code -> Text,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    units (id) {
        id -> BigInt,
        region_id -> BigInt,
        name -> Text,
        contact_name -> Nullable<Text>,
        contact_phone -> Nullable<Text>,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    accounts (id) {
        id -> BigInt,
        username -> Text,
        password_hash -> Text,
        role -> Text,
        region_id -> Nullable<BigInt>,
        deputy_id -> Nullable<BigInt>,
        unit_id -> Nullable<BigInt>,
        display_name -> Text,
        scopes -> Text,
        disabled -> Bool,
        failed_logins -> Integer,
        locked_until -> Nullable<Timestamp>,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    account_stations (account_id, station_id) {
        account_id -> BigInt,
        station_id -> BigInt,
    }
}

diesel::table! {
    refresh_tokens (id) {
        id -> BigInt,
        account_id -> BigInt,
        family -> Text,
        token_hash -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
        replaced_by -> Nullable<BigInt>,
        revoked_at -> Nullable<Timestamp>,
        replay -> Nullable<Text>,
    }
}

diesel::table! {
    audit_log (id) {
        id -> BigInt,
        at -> Timestamp,
        actor_id -> Nullable<BigInt>,
        actor -> Text,
        action -> Text,
        record_type -> Text,
        record_id -> Nullable<Text>,
        region_path -> Nullable<Text>,
        client_ip -> Nullable<Text>,
        outcome -> Text,
        detail -> Nullable<Text>,
        request_id -> Nullable<Text>,
    }
}

diesel::table! {
    qr_secrets (place_kind, place_id) {
        place_kind -> Text,
        place_id -> BigInt,
        secret -> Text,
        kiosk_key_hash -> Nullable<Text>,
        rotated_at -> Timestamp,
    }
}

diesel::table! {
    events (id) {
        id -> BigInt,
        region_id -> BigInt,
        kind -> Text,
        title -> Text,
        station_id -> Nullable<BigInt>,
        venue -> Nullable<Text>,
        latitude -> Double,
        longitude -> Double,
        radius_m -> Integer,
        starts_at -> Timestamp,
        ends_at -> Timestamp,
        closed_at -> Nullable<Timestamp>,
        created_by -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    event_invitees (event_id, deputy_id) {
        event_id -> BigInt,
        deputy_id -> BigInt,
        leave_approved -> Bool,
        attendance -> Nullable<Text>,
    }
}

diesel::table! {
    checkins (id) {
        id -> BigInt,
        deputy_id -> BigInt,
        station_id -> Nullable<BigInt>,
        event_id -> Nullable<BigInt>,
        status -> Text,
        qr_valid -> Bool,
        inside_geofence -> Bool,
        distance_m -> Nullable<Double>,
        accuracy_m -> Nullable<Double>,
        latitude -> Nullable<Double>,
        longitude -> Nullable<Double>,
        offline -> Bool,
        staff_confirmed -> Bool,
        impossible_travel -> Bool,
        reasons -> Text,
        checked_in_at -> Timestamp,
        recorded_at -> Timestamp,
        recorded_by -> BigInt,
        checked_out_at -> Nullable<Timestamp>,
        auto_closed -> Bool,
        reviewed_by -> Nullable<BigInt>,
        reviewed_at -> Nullable<Timestamp>,
        review_note -> Nullable<Text>,
        position_enc -> Nullable<Text>,
    }
}

diesel::table! {
    duty_reports (id) {
        id -> BigInt,
        deputy_id -> BigInt,
        region_path -> Text,
        term -> Integer,
        year -> Nullable<Integer>,
        status -> Text,
        body -> Text,
        figures -> Nullable<Text>,
        chain_head -> Nullable<Text>,
        station_id -> Nullable<BigInt>,
        electoral_unit -> Nullable<Text>,
        representatives -> Integer,
        scheduled_for -> Nullable<Timestamp>,
        event_id -> Nullable<BigInt>,
        staff_comment -> Nullable<Text>,
        reminded_at -> Nullable<Timestamp>,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        delivered_at -> Nullable<Timestamp>,
        published_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    duty_report_nudges (deputy_id, year) {
        deputy_id -> BigInt,
        year -> Integer,
        sent_at -> Timestamp,
    }
}

diesel::table! {
    duty_report_ratings (report_id, constituent_id) {
        report_id -> BigInt,
        constituent_id -> BigInt,
        verdict -> Text,
        comment -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    duty_report_tallies (id) {
        id -> BigInt,
        report_id -> BigInt,
        satisfied -> Integer,
        basically_satisfied -> Integer,
        unsatisfied -> Integer,
        status -> Text,
        proposed_by -> BigInt,
        approved_by -> Nullable<BigInt>,
        created_at -> Timestamp,
        decided_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    duty_slots (id) {
        id -> BigInt,
        station_id -> BigInt,
        starts_at -> Timestamp,
        ends_at -> Timestamp,
        note -> Nullable<Text>,
        settled_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        version -> BigInt,
        cancelled_at -> Nullable<Timestamp>,
        cancel_reason -> Nullable<Text>,
    }
}

diesel::table! {
    duty_assignments (slot_id, deputy_id) {
        slot_id -> BigInt,
        deputy_id -> BigInt,
        outcome -> Nullable<Text>,
    }
}

diesel::table! {
    activity_records (id) {
        id -> BigInt,
        deputy_id -> BigInt,
        checkin_id -> Nullable<BigInt>,
        event_id -> Nullable<BigInt>,
        station_id -> Nullable<BigInt>,
        constituents_received -> Integer,
        opinions_collected -> Integer,
        summary -> Text,
        photo_urls -> Text,
        written_by -> BigInt,
        occurred_at -> Timestamp,
        created_at -> Timestamp,
    }
}

diesel::table! {
    idempotency_keys (account_id, key) {
        account_id -> BigInt,
        key -> Text,
        request_hash -> Text,
        status -> Integer,
        body -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    point_events (id) {
        id -> BigInt,
        deputy_id -> BigInt,
        kind -> Text,
        source_kind -> Text,
        source_id -> BigInt,
        occurred_at -> Timestamp,
        created_at -> Timestamp,
        consumed_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    point_rules (id) {
        id -> BigInt,
        region_id -> BigInt,
        version -> Integer,
        code -> Text,
        name -> Text,
        category -> Text,
        points -> Integer,
        yearly_cap -> Nullable<Integer>,
        daily_cap -> Nullable<Integer>,
        needs_review -> Bool,
        clause -> Text,
        effective_from -> Nullable<Text>,
        effective_to -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    ledger_entries (id) {
        id -> BigInt,
        deputy_id -> BigInt,
        rule_id -> BigInt,
        rule_code -> Text,
        category -> Text,
        year -> Integer,
        points -> Integer,
        requested_points -> Integer,
        cap_note -> Nullable<Text>,
        occurred_at -> Timestamp,
        recorded_at -> Timestamp,
        source_kind -> Text,
        source_id -> Text,
        actor -> Text,
        reason -> Nullable<Text>,
        reverses -> Nullable<BigInt>,
        prev_hash -> Text,
        hash -> Text,
    }
}

diesel::table! {
    ledger_balances (deputy_id, year, category) {
        deputy_id -> BigInt,
        year -> Integer,
        category -> Text,
        points -> BigInt,
        entries -> BigInt,
    }
}

diesel::table! {
    ledger_heads (deputy_id) {
        deputy_id -> BigInt,
        entry_id -> BigInt,
        hash -> Text,
    }
}

diesel::table! {
    ledger_proposals (id) {
        id -> BigInt,
        deputy_id -> BigInt,
        rule_code -> Text,
        points -> Integer,
        reason -> Text,
        occurred_at -> Timestamp,
        proposed_by -> BigInt,
        proposed_at -> Timestamp,
        status -> Text,
        decided_by -> Nullable<BigInt>,
        decided_at -> Nullable<Timestamp>,
        decision_note -> Nullable<Text>,
        entry_id -> Nullable<BigInt>,
    }
}

diesel::table! {
    ledger_totals (deputy_id, year) {
        deputy_id -> BigInt,
        year -> Integer,
        points -> BigInt,
    }
}

diesel::table! {
    ledger_appeals (id) {
        id -> BigInt,
        deputy_id -> BigInt,
        kind -> Text,
        entry_id -> Nullable<BigInt>,
        year -> Integer,
        description -> Text,
        occurred_on -> Nullable<Text>,
        status -> Text,
        resolution -> Nullable<Text>,
        resolution_note -> Nullable<Text>,
        result_entry_id -> Nullable<BigInt>,
        created_at -> Timestamp,
        resolved_at -> Nullable<Timestamp>,
        resolved_by -> Nullable<BigInt>,
    }
}

diesel::table! {
    ledger_appeal_messages (id) {
        id -> BigInt,
        appeal_id -> BigInt,
        author_id -> BigInt,
        author -> Text,
        body -> Text,
        at -> Timestamp,
    }
}

diesel::table! {
    ranking_snapshots (id) {
        id -> BigInt,
        year -> Integer,
        quarter -> Integer,
        region_id -> BigInt,
        region_path -> Text,
        deputies -> BigInt,
        published_at -> Timestamp,
        published_by -> BigInt,
    }
}

diesel::table! {
    ranking_snapshot_rows (snapshot_id, deputy_id) {
        snapshot_id -> BigInt,
        rank -> Integer,
        deputy_id -> BigInt,
        points -> BigInt,
    }
}

diesel::table! {
    ledger_head_publications (id) {
        id -> BigInt,
        day -> Text,
        heads -> BigInt,
        entries_upto -> BigInt,
        digest -> Text,
        published_at -> Timestamp,
    }
}

diesel::table! {
    evaluation_settings (region_id) {
        region_id -> BigInt,
        min_group_activities -> Integer,
        min_suggestions -> Integer,
        excellent_quota_pct -> Integer,
        bottom_n -> Integer,
        excluded_deputies -> Text,
        updated_at -> Timestamp,
        duty_report_due_year -> Nullable<Integer>,
    }
}

diesel::table! {
    ledger_rank_outbox (id) {
        id -> BigInt,
        deputy_id -> BigInt,
        year -> Integer,
    }
}

diesel::table! {
    ledger_rank_tables (year) {
        year -> Integer,
        built_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    ledger_rank_members (year, deputy_id, scope) {
        year -> Integer,
        deputy_id -> BigInt,
        scope -> Text,
        points -> BigInt,
    }
}

diesel::table! {
    ledger_rank_counts (year, scope, points) {
        year -> Integer,
        scope -> Text,
        points -> BigInt,
        n -> BigInt,
    }
}

diesel::table! {
    notices (id) {
        id -> BigInt,
        region_id -> BigInt,
        region_path -> Text,
        kind -> Text,
        title -> Text,
        body -> Text,
        priority -> Text,
        pinned -> Bool,
        audience -> Text,
        status -> Text,
        publish_at -> Nullable<Timestamp>,
        published_at -> Nullable<Timestamp>,
        expires_at -> Nullable<Timestamp>,
        rsvp_required -> Bool,
        rsvp_deadline -> Nullable<Timestamp>,
        leave_needs_approval -> Bool,
        event_id -> Nullable<BigInt>,
        targeted -> BigInt,
        remind_round -> Integer,
        created_by -> BigInt,
        created_at -> Timestamp,
        version -> BigInt,
        escalated_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    inbox (notice_id, deputy_id) {
        notice_id -> BigInt,
        deputy_id -> BigInt,
        read_at -> Nullable<Timestamp>,
        rsvp -> Nullable<Text>,
        rsvp_reason -> Nullable<Text>,
        rsvp_at -> Nullable<Timestamp>,
        leave_status -> Nullable<Text>,
        pushed_at -> Nullable<Timestamp>,
        acked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    devices (id) {
        id -> BigInt,
        deputy_id -> BigInt,
        account_id -> BigInt,
        platform -> Text,
        provider -> Text,
        token -> Text,
        app_version -> Nullable<Text>,
        disabled_at -> Nullable<Timestamp>,
        disabled_reason -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    push_outbox (id) {
        id -> BigInt,
        notice_id -> BigInt,
        deputy_id -> BigInt,
        device_id -> BigInt,
        dedup_id -> Text,
        status -> Text,
        attempts -> Integer,
        next_at -> Timestamp,
        lease_until -> Nullable<Timestamp>,
        last_error -> Nullable<Text>,
        sent_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        kind -> Text,
        title -> Text,
        priority -> Text,
        provider -> Text,
    }
}

diesel::table! {
    constituents (id) {
        id -> BigInt,
        account_id -> BigInt,
        phone -> Text,
        consent_version -> Text,
        consented_at -> Timestamp,
        created_at -> Timestamp,
        phone_hash -> Nullable<Text>,
    }
}

diesel::table! {
    opinions (id) {
        id -> BigInt,
        ticket -> Text,
        constituent_id -> Nullable<BigInt>,
        station_id -> Nullable<BigInt>,
        deputy_id -> Nullable<BigInt>,
        region_path -> Text,
        category -> Text,
        title -> Text,
        content -> Text,
        latitude -> Nullable<Double>,
        longitude -> Nullable<Double>,
        photo_urls -> Text,
        status -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> BigInt,
        unit_id -> Nullable<BigInt>,
        due_at -> Nullable<Timestamp>,
        extension_until -> Nullable<Timestamp>,
        extension_reason -> Nullable<Text>,
        reminded_at -> Nullable<Timestamp>,
        forwarded_at -> Nullable<Timestamp>,
        first_answer_at -> Nullable<Timestamp>,
        round -> Integer,
        escalated -> Bool,
        forward_requested -> Bool,
        satisfaction -> Nullable<Text>,
        result_score -> Nullable<Integer>,
        attitude_score -> Nullable<Integer>,
        merged_into -> Nullable<BigInt>,
        suggestion_id -> Nullable<BigInt>,
    }
}

diesel::table! {
    opinion_photos (id) {
        id -> BigInt,
        account_id -> BigInt,
        opinion_id -> Nullable<BigInt>,
        content_type -> Text,
        size_bytes -> BigInt,
        sha256 -> Text,
        storage_key -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    opinion_intakes (opinion_id) {
        opinion_id -> BigInt,
        channel -> Text,
        station_id -> Nullable<BigInt>,
        filed_by -> BigInt,
        filed_by_role -> Text,
        consent -> Nullable<Text>,
        created_at -> Timestamp,
        name_sealed -> Nullable<Text>,
    }
}

diesel::table! {
    opinion_text_marks (name) {
        name -> Text,
        event_id -> BigInt,
    }
}

diesel::table! {
    opinion_text_optouts (opinion_id) {
        opinion_id -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    installation_settings (name) {
        name -> Text,
        value -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    opinion_publications (opinion_id) {
        opinion_id -> BigInt,
        title -> Text,
        answer -> Nullable<Text>,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    opinion_messages (id) {
        id -> BigInt,
        opinion_id -> BigInt,
        author_account -> BigInt,
        author_role -> Text,
        body -> Text,
        internal -> Bool,
        created_at -> Timestamp,
    }
}

diesel::table! {
    opinion_followers (opinion_id, constituent_id) {
        opinion_id -> BigInt,
        constituent_id -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    calendar_days (day) {
        day -> Text,
        working -> Bool,
        name -> Text,
    }
}

diesel::table! {
    appointments (id) {
        id -> BigInt,
        constituent_id -> BigInt,
        deputy_id -> BigInt,
        station_id -> BigInt,
        slot_id -> BigInt,
        starts_at -> Timestamp,
        mode -> Text,
        video_url -> Nullable<Text>,
        topic -> Text,
        status -> Text,
        note -> Nullable<Text>,
        reminded_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    opinion_events (id) {
        id -> BigInt,
        opinion_id -> BigInt,
        from_status -> Nullable<Text>,
        to_status -> Text,
        actor_account -> BigInt,
        actor_role -> Text,
        note -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    ticket_days (day) {
        day -> Text,
        last -> BigInt,
    }
}

diesel::table! {
    pii_pending (pass) {
        pass -> Text,
    }
}

diesel::table! {
    otp_codes (id) {
        id -> BigInt,
        phone_hash -> Text,
        code_hash -> Text,
        expires_at -> Timestamp,
        attempts -> Integer,
        used_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    notice_attachments (id) {
        id -> BigInt,
        notice_id -> BigInt,
        file_name -> Text,
        content_type -> Text,
        size_bytes -> BigInt,
        sha256 -> Text,
        storage_key -> Text,
        uploaded_by -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    live_events (id) {
        id -> BigInt,
        deputy_id -> Nullable<BigInt>,
        notice_id -> Nullable<BigInt>,
        kind -> Text,
        data -> Text,
        created_at -> Timestamp,
        account_id -> Nullable<BigInt>,
    }
}

diesel::table! {
    push_settings (deputy_id) {
        deputy_id -> BigInt,
        quiet_from -> Nullable<Text>,
        quiet_to -> Nullable<Text>,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    sms_outbox (id) {
        id -> BigInt,
        deputy_id -> BigInt,
        notice_id -> Nullable<BigInt>,
        phone -> Text,
        body -> Text,
        dedup_id -> Text,
        status -> Text,
        attempts -> Integer,
        next_at -> Timestamp,
        lease_until -> Nullable<Timestamp>,
        last_error -> Nullable<Text>,
        sent_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        recipient -> Text,
    }
}

diesel::table! {
    suggestions (id) {
        id -> BigInt,
        number -> Nullable<Text>,
        author_deputy_id -> BigInt,
        author_account -> BigInt,
        region_path -> Text,
        title -> Text,
        content -> Text,
        category -> Text,
        period -> Text,
        status -> Text,
        publish_consent -> Bool,
        key_leader -> Nullable<Text>,
        due_at -> Nullable<Timestamp>,
        classification -> Nullable<Text>,
        reply -> Nullable<Text>,
        replied_at -> Nullable<Timestamp>,
        satisfaction -> Nullable<Text>,
        evaluation -> Nullable<Text>,
        round -> Integer,
        extension_months -> Nullable<Integer>,
        extension_reason -> Nullable<Text>,
        cleared_at -> Nullable<Timestamp>,
        reminded_at -> Nullable<Timestamp>,
        excellent -> Bool,
        submitted_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> BigInt,
        opinion_ticket -> Nullable<Text>,
    }
}

diesel::table! {
    suggestion_attachments (id) {
        id -> BigInt,
        suggestion_id -> BigInt,
        file_name -> Text,
        content_type -> Text,
        size_bytes -> BigInt,
        sha256 -> Text,
        storage_key -> Text,
        uploaded_by -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    suggestion_urges (id) {
        id -> BigInt,
        suggestion_id -> BigInt,
        account_id -> BigInt,
        role -> Text,
        weight -> Integer,
        note -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    suggestion_cosigners (suggestion_id, deputy_id) {
        suggestion_id -> BigInt,
        deputy_id -> BigInt,
        status -> Text,
        decided_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    suggestion_units (suggestion_id, unit_id) {
        suggestion_id -> BigInt,
        unit_id -> BigInt,
        role -> Text,
        acknowledged_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    suggestion_contacts (id) {
        id -> BigInt,
        suggestion_id -> BigInt,
        unit_id -> BigInt,
        account_id -> BigInt,
        channel -> Text,
        contacted_on -> Text,
        summary -> Text,
        round -> Integer,
        created_at -> Timestamp,
    }
}

diesel::table! {
    suggestion_events (id) {
        id -> BigInt,
        suggestion_id -> BigInt,
        from_status -> Nullable<Text>,
        to_status -> Text,
        actor_account -> BigInt,
        actor_role -> Text,
        note -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    project_rounds (id) {
        id -> BigInt,
        region_id -> BigInt,
        region_path -> Text,
        year -> Integer,
        title -> Text,
        status -> Text,
        event_id -> Nullable<BigInt>,
        adopt_count -> Integer,
        max_approvals -> Integer,
        adoption_rule -> Text,
        seated -> Integer,
        result -> Nullable<Text>,
        digest -> Nullable<Text>,
        version -> BigInt,
        created_by -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        assessing -> Bool,
        assessment -> Nullable<Text>,
    }
}

diesel::table! {
    project_candidates (id) {
        id -> BigInt,
        round_id -> BigInt,
        title -> Text,
        description -> Text,
        location -> Text,
        budget_yuan -> BigInt,
        lead_unit_id -> Nullable<BigInt>,
        timeline -> Text,
        sources -> Text,
        proposed_by_deputy -> Nullable<BigInt>,
        proposed_by -> BigInt,
        on_ballot -> Bool,
        created_at -> Timestamp,
        adopted -> Bool,
        rank -> Nullable<Integer>,
        approvals -> Nullable<BigInt>,
    }
}

diesel::table! {
    project_participation (round_id, deputy_id) {
        round_id -> BigInt,
        deputy_id -> BigInt,
        channel -> Text,
    }
}

diesel::table! {
    project_pending_ballots (id) {
        id -> BigInt,
        round_id -> BigInt,
        sealed -> Text,
    }
}

diesel::table! {
    project_ballots (receipt) {
        receipt -> Text,
        round_id -> BigInt,
        choices -> Text,
    }
}

diesel::table! {
    project_paper_tallies (id) {
        id -> BigInt,
        round_id -> BigInt,
        ballots -> Integer,
        counts -> Text,
        status -> Text,
        proposed_by -> BigInt,
        approved_by -> Nullable<BigInt>,
        created_at -> Timestamp,
        decided_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    project_units (candidate_id, unit_id) {
        candidate_id -> BigInt,
        unit_id -> BigInt,
        role -> Text,
    }
}

diesel::table! {
    project_milestones (id) {
        id -> BigInt,
        candidate_id -> BigInt,
        title -> Text,
        due_on -> Text,
        done_on -> Nullable<Text>,
        reminded_on -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    project_progress (id) {
        id -> BigInt,
        candidate_id -> BigInt,
        unit_id -> BigInt,
        quarter -> Text,
        percent -> Integer,
        spent_yuan -> BigInt,
        body -> Text,
        created_by -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    project_photos (id) {
        id -> BigInt,
        account_id -> BigInt,
        progress_id -> Nullable<BigInt>,
        content_type -> Text,
        size_bytes -> BigInt,
        sha256 -> Text,
        storage_key -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    project_inspections (candidate_id, event_id) {
        candidate_id -> BigInt,
        event_id -> BigInt,
        linked_by -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    project_inspection_remarks (candidate_id, event_id, deputy_id) {
        candidate_id -> BigInt,
        event_id -> BigInt,
        deputy_id -> BigInt,
        body -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    project_assessors (round_id, deputy_id) {
        round_id -> BigInt,
        deputy_id -> BigInt,
    }
}

diesel::table! {
    project_pending_ratings (id) {
        id -> BigInt,
        round_id -> BigInt,
        sealed -> Text,
    }
}

diesel::table! {
    project_ratings (receipt) {
        receipt -> Text,
        round_id -> BigInt,
        choices -> Text,
    }
}

diesel::table! {
    liaison_links (id) {
        id -> BigInt,
        region_id -> BigInt,
        region_path -> Text,
        term -> Integer,
        member_deputy_id -> Nullable<BigInt>,
        member_account_id -> Nullable<BigInt>,
        member_key -> Text,
        deputy_id -> Nullable<BigInt>,
        group_id -> Nullable<BigInt>,
        target_key -> Text,
        yearly_target -> Integer,
        status -> Text,
        created_by -> BigInt,
        created_at -> Timestamp,
        ended_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    liaison_contacts (id) {
        id -> BigInt,
        link_id -> BigInt,
        side -> Text,
        deputy_id -> Nullable<BigInt>,
        contact_on -> Text,
        channel -> Text,
        summary -> Text,
        issues -> Text,
        logged_by -> BigInt,
        created_at -> Timestamp,
        suggestion_id -> Nullable<BigInt>,
        opinion_ticket -> Nullable<Text>,
    }
}

diesel::table! {
    fixed_contacts (id) {
        id -> BigInt,
        deputy_id -> BigInt,
        region_path -> Text,
        name -> Text,
        phone_sealed -> Text,
        community -> Text,
        every_days -> Integer,
        consent_on -> Text,
        consent_how -> Text,
        status -> Text,
        last_visit_on -> Nullable<Text>,
        due_on -> Text,
        reminded_on -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    fixed_contact_visits (id) {
        id -> BigInt,
        contact_id -> BigInt,
        visit_on -> Text,
        channel -> Text,
        summary -> Text,
        issues -> Text,
        opinion_ticket -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    courses (id) {
        id -> BigInt,
        region_id -> BigInt,
        region_path -> Text,
        term -> Integer,
        title -> Text,
        kind -> Text,
        event_id -> Nullable<BigInt>,
        materials -> Text,
        min_seconds -> Integer,
        pass_mark -> Integer,
        max_attempts -> Integer,
        closes_on -> Text,
        initial -> Bool,
        created_by -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    course_questions (id) {
        id -> BigInt,
        course_id -> BigInt,
        position -> Integer,
        kind -> Text,
        text -> Text,
        options -> Text,
        answer -> Text,
    }
}

diesel::table! {
    course_opens (course_id, deputy_id, material) {
        course_id -> BigInt,
        deputy_id -> BigInt,
        material -> Integer,
        opened_at -> Timestamp,
    }
}

diesel::table! {
    course_attempts (id) {
        id -> BigInt,
        course_id -> BigInt,
        deputy_id -> BigInt,
        attempt -> Integer,
        answers -> Text,
        score -> Integer,
        passed -> Bool,
        created_at -> Timestamp,
    }
}

diesel::table! {
    course_completions (course_id, deputy_id) {
        course_id -> BigInt,
        deputy_id -> BigInt,
        completed_at -> Timestamp,
    }
}

diesel::joinable!(project_candidates -> project_rounds (round_id));
diesel::joinable!(project_milestones -> project_candidates (candidate_id));
diesel::joinable!(deputy_groups -> regions (region_id));
diesel::joinable!(seats -> deputies (deputy_id));
diesel::joinable!(seats -> regions (region_id));
diesel::joinable!(seats -> deputy_groups (group_id));
diesel::joinable!(stations -> regions (region_id));
diesel::joinable!(units -> regions (region_id));
diesel::joinable!(account_stations -> accounts (account_id));
diesel::joinable!(account_stations -> stations (station_id));
diesel::joinable!(refresh_tokens -> accounts (account_id));

diesel::joinable!(duty_assignments -> duty_slots (slot_id));
diesel::joinable!(event_invitees -> events (event_id));
diesel::joinable!(inbox -> notices (notice_id));
diesel::joinable!(inbox -> deputies (deputy_id));
diesel::joinable!(push_outbox -> devices (device_id));
diesel::joinable!(opinions -> constituents (constituent_id));
diesel::joinable!(opinion_events -> opinions (opinion_id));
diesel::joinable!(opinion_messages -> opinions (opinion_id));
diesel::joinable!(opinion_publications -> opinions (opinion_id));
diesel::joinable!(opinion_followers -> opinions (opinion_id));
diesel::joinable!(opinion_intakes -> opinions (opinion_id));
diesel::joinable!(opinion_followers -> constituents (constituent_id));
diesel::joinable!(appointments -> constituents (constituent_id));
diesel::joinable!(suggestion_cosigners -> suggestions (suggestion_id));
diesel::joinable!(suggestion_units -> suggestions (suggestion_id));
diesel::joinable!(suggestion_contacts -> suggestions (suggestion_id));
diesel::joinable!(suggestion_events -> suggestions (suggestion_id));
diesel::joinable!(suggestion_urges -> suggestions (suggestion_id));
diesel::joinable!(suggestion_attachments -> suggestions (suggestion_id));

diesel::table! {
    consultations (id) {
        id -> BigInt,
        region_id -> BigInt,
        region_path -> Text,
        title -> Text,
        kind -> Text,
        summary -> Text,
        status -> Text,
        opens_at -> Timestamp,
        closes_at -> Timestamp,
        audience -> Text,
        public -> Bool,
        anonymous -> Bool,
        attachments -> Text,
        notice_id -> Nullable<BigInt>,
        published_at -> Nullable<Timestamp>,
        reminded_at -> Nullable<Timestamp>,
        feedback -> Nullable<Text>,
        feedback_at -> Nullable<Timestamp>,
        created_by -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    consultation_articles (consultation_id, number) {
        consultation_id -> BigInt,
        number -> Integer,
        heading -> Text,
        body -> Text,
    }
}

diesel::table! {
    consultation_questions (consultation_id, number) {
        consultation_id -> BigInt,
        number -> Integer,
        kind -> Text,
        text -> Text,
        options -> Text,
        required -> Bool,
    }
}

diesel::table! {
    consultation_points (consultation_id, station_id) {
        consultation_id -> BigInt,
        station_id -> BigInt,
    }
}

diesel::table! {
    consultation_audience (consultation_id, deputy_id) {
        consultation_id -> BigInt,
        deputy_id -> BigInt,
    }
}

diesel::table! {
    consultation_comments (id) {
        id -> BigInt,
        consultation_id -> BigInt,
        article -> Nullable<Integer>,
        author_kind -> Text,
        deputy_id -> Nullable<BigInt>,
        constituent_id -> Nullable<BigInt>,
        station_id -> Nullable<BigInt>,
        channel -> Nullable<Text>,
        phone_sealed -> Nullable<Text>,
        entered_by -> Nullable<BigInt>,
        body -> Text,
        wording -> Nullable<Text>,
        decision -> Nullable<Text>,
        reason -> Nullable<Text>,
        decided_by -> Nullable<BigInt>,
        decided_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    consultation_participation (consultation_id, respondent) {
        consultation_id -> BigInt,
        respondent -> Text,
    }
}

diesel::table! {
    consultation_held_answers (id) {
        id -> BigInt,
        consultation_id -> BigInt,
        sealed -> Text,
    }
}

diesel::table! {
    consultation_answers (id) {
        id -> Text,
        consultation_id -> BigInt,
        respondent -> Nullable<Text>,
        level -> Text,
        region_path -> Nullable<Text>,
        answers -> Text,
    }
}

diesel::table! {
    feed_events (id) {
        id -> BigInt,
        seq -> Nullable<BigInt>,
        #[sql_name = "type"]
        type_ -> Text,
        subject -> Text,
        region_path -> Text,
        data -> Text,
        occurred_at -> Timestamp,
    }
}

diesel::table! {
    feed_head (id) {
        id -> Integer,
        last_seq -> BigInt,
    }
}

diesel::table! {
    feed_subscriptions (id) {
        id -> BigInt,
        client_id -> BigInt,
        url -> Text,
        types -> Text,
        region_id -> BigInt,
        region_path -> Text,
        secret -> Text,
        previous_secret -> Nullable<Text>,
        previous_until -> Nullable<Timestamp>,
        status -> Text,
        cursor_seq -> BigInt,
        delivered -> BigInt,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        failing_since -> Nullable<Timestamp>,
        last_error -> Nullable<Text>,
        leased_until -> Nullable<Timestamp>,
        created_by -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    client_secrets (account_id) {
        account_id -> BigInt,
        password_hash -> Text,
        valid_until -> Timestamp,
    }
}

diesel::table! {
    open_data_settings (region_id) {
        region_id -> BigInt,
        publish -> Bool,
        updated_by -> BigInt,
        updated_at -> Timestamp,
    }
}

diesel::allow_tables_to_appear_in_same_query!(
    feed_events,
    feed_head,
    feed_subscriptions,
    client_secrets,
    open_data_settings,
    consultations,
    consultation_articles,
    consultation_questions,
    consultation_points,
    consultation_audience,
    consultation_comments,
    consultation_participation,
    consultation_answers,
    consultation_held_answers,
    fixed_contacts,
    fixed_contact_visits,
    courses,
    course_questions,
    course_opens,
    course_attempts,
    course_completions,
    duty_reports,
    duty_report_nudges,
    duty_report_ratings,
    duty_report_tallies,
    opinions,
    opinion_photos,
    opinion_text_optouts,
    opinion_text_marks,
    opinion_intakes,
    opinion_events,
    opinion_messages,
    opinion_publications,
    installation_settings,
    opinion_followers,
    calendar_days,
    appointments,
    suggestions,
    suggestion_cosigners,
    suggestion_units,
    suggestion_contacts,
    suggestion_events,
    suggestion_urges,
    suggestion_attachments,
    ticket_days,
    constituents,
    otp_codes,
    notice_attachments,
    live_events,
    push_settings,
    sms_outbox,
    regions,
    deputy_groups,
    deputies,
    seats,
    stations,
    units,
    accounts,
    account_stations,
    refresh_tokens,
    audit_log,
    pii_pending,
    qr_secrets,
    events,
    event_invitees,
    checkins,
    duty_slots,
    duty_assignments,
    activity_records,
    idempotency_keys,
    point_events,
    liaison_contacts,
    liaison_links,
    project_assessors,
    project_ballots,
    project_candidates,
    project_inspection_remarks,
    project_inspections,
    project_milestones,
    project_paper_tallies,
    project_pending_ratings,
    project_photos,
    project_progress,
    project_ratings,
    project_participation,
    project_pending_ballots,
    project_rounds,
    project_units,
    point_rules,
    ledger_entries,
    ledger_balances,
    ledger_heads,
    ledger_proposals,
    ledger_totals,
    ledger_appeals,
    ledger_appeal_messages,
    ranking_snapshots,
    ranking_snapshot_rows,
    ledger_head_publications,
    evaluation_settings,
    ledger_rank_outbox,
    ledger_rank_tables,
    ledger_rank_members,
    ledger_rank_counts,
    notices,
    inbox,
    devices,
    push_outbox,
);
