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

diesel::joinable!(deputy_groups -> regions (region_id));
diesel::joinable!(seats -> deputies (deputy_id));
diesel::joinable!(seats -> regions (region_id));
diesel::joinable!(seats -> deputy_groups (group_id));
diesel::joinable!(stations -> regions (region_id));
diesel::joinable!(units -> regions (region_id));
diesel::joinable!(account_stations -> accounts (account_id));
diesel::joinable!(account_stations -> stations (station_id));
diesel::joinable!(refresh_tokens -> accounts (account_id));

diesel::allow_tables_to_appear_in_same_query!(regions, deputy_groups, deputies, seats, stations, units, accounts, account_stations, refresh_tokens, audit_log,);
