// SqliteStore: published device keys and one-time prekeys.
#include "server/store/sqlite/sqlite_store_internal.h"

namespace mentorlink::server {
using sqlite::Statement;
using sqlite_detail::absent;
using sqlite_detail::to_array;

Result<Written<std::monostate>> SqliteStore::publish_keys(const DeviceKeysRecord& keys,
                                                          const std::vector<OneTimePrekeyRecord>& one_time) {
  using Out = Written<std::monostate>;
  return run("publish_keys", [&]() -> Result<Out> {
    sqlite::Transaction tx(*db_);
    auto devices = db_->prepare("SELECT count(*), sum(device_id = ?2) FROM device_keys WHERE member_id = ?1");
    devices.bind(1, keys.member).bind(2, keys.device);
    devices.step();
    const bool new_device = devices.column_int(1) == 0;
    if (new_device && devices.column_int(0) >= quotas_.max_devices_per_member) {
      return Out{Refusal{Refusal::Rule::too_many_devices, quotas_.max_devices_per_member}};
    }
    devices.reset();
    auto upsert = db_->prepare(
        "INSERT INTO device_keys (member_id, device_id, identity_dh_key, identity_dh_signature, signed_prekey_id, "
        "signed_prekey, signed_prekey_signature, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "
        "ON CONFLICT (member_id, device_id) DO UPDATE SET identity_dh_key = ?3, identity_dh_signature = ?4, "
        "signed_prekey_id = ?5, signed_prekey = ?6, signed_prekey_signature = ?7, updated_at = ?8");
    upsert.bind(1, keys.member)
        .bind(2, keys.device)
        .bind(3, keys.identity_dh_key)
        .bind(4, keys.identity_dh_signature)
        .bind(5, std::int64_t{keys.signed_prekey_id})
        .bind(6, keys.signed_prekey)
        .bind(7, keys.signed_prekey_signature)
        .bind(8, keys.updated_at);
    upsert.step();
    for (const auto& k : one_time) {
      // A prekey id published before (a retried publish) is kept as it was.
      auto insert = db_->prepare(
          "INSERT INTO one_time_prekeys (member_id, device_id, prekey_id, prekey) SELECT ?1, ?2, ?3, ?4 "
          "WHERE NOT EXISTS (SELECT 1 FROM taken_prekeys WHERE member_id = ?1 AND device_id = ?2 AND prekey_id = ?3) "
          "ON CONFLICT DO NOTHING");
      insert.bind(1, keys.member).bind(2, keys.device).bind(3, std::int64_t{k.id}).bind(4, k.key);
      insert.step();
    }
    auto stored = db_->prepare("SELECT count(*) FROM one_time_prekeys WHERE member_id = ?1 AND device_id = ?2");
    stored.bind(1, keys.member).bind(2, keys.device);
    stored.step();
    const std::int64_t count = stored.column_int(0);
    stored.reset();
    if (count > quotas_.max_one_time_prekeys_per_device) {
      return Out{Refusal{Refusal::Rule::too_many_one_time_prekeys, quotas_.max_one_time_prekeys_per_device, count}};
    }
    tx.commit();
    return Out{std::monostate{}};
  });
}

Result<BundleRecord> SqliteStore::take_bundle(MemberId member, PairId pair, MemberId requester, TimeMs now) {
  return run("take_bundle", [&]() -> Result<BundleRecord> {
    sqlite::Transaction tx(*db_);
    auto st = db_->prepare(
        "SELECT d.member_id, d.device_id, m.identity_key, d.identity_dh_key, d.identity_dh_signature, "
        "d.signed_prekey_id, d.signed_prekey, d.signed_prekey_signature, d.updated_at "
        "FROM device_keys d JOIN members m ON m.id = d.member_id WHERE d.member_id = ?1 ORDER BY d.device_id LIMIT 1");
    st.bind(1, member);
    if (st.step() != Statement::Step::row) return absent("device");
    BundleRecord out;
    out.keys.member = st.column_int(0);
    out.keys.device = st.column_int(1);
    out.keys.identity_key = to_array<32>(st.column_blob(2));
    out.keys.identity_dh_key = to_array<32>(st.column_blob(3));
    out.keys.identity_dh_signature = to_array<64>(st.column_blob(4));
    out.keys.signed_prekey_id = static_cast<std::uint32_t>(st.column_int(5));
    out.keys.signed_prekey = to_array<32>(st.column_blob(6));
    out.keys.signed_prekey_signature = to_array<64>(st.column_blob(7));
    out.keys.updated_at = st.column_int(8);

    auto granted = db_->prepare("SELECT granted_at FROM prekey_grants WHERE pair_id = ?1 AND requester_id = ?2");
    granted.bind(1, pair).bind(2, requester);
    if (granted.step() == Statement::Step::row && now - granted.column_int(0) < quotas_.one_time_prekey_interval_ms) {
      return out;  // the signed prekey alone: one requester cannot drain the partner's one-time prekeys
    }
    granted.reset();
    auto otk = db_->prepare(
        "SELECT prekey_id, prekey FROM one_time_prekeys WHERE member_id = ?1 AND device_id = ?2 "
        "ORDER BY prekey_id LIMIT 1");
    otk.bind(1, member).bind(2, out.keys.device);
    if (otk.step() == Statement::Step::row) {
      out.one_time_prekey = OneTimePrekeyRecord{static_cast<std::uint32_t>(otk.column_int(0)), to_array<32>(otk.column_blob(1))};
      auto del = db_->prepare("DELETE FROM one_time_prekeys WHERE member_id = ?1 AND device_id = ?2 AND prekey_id = ?3");
      del.bind(1, member).bind(2, out.keys.device).bind(3, std::int64_t{out.one_time_prekey->id});
      del.step();
      auto taken = db_->prepare("INSERT INTO taken_prekeys (member_id, device_id, prekey_id) VALUES (?1, ?2, ?3)");
      taken.bind(1, member).bind(2, out.keys.device).bind(3, std::int64_t{out.one_time_prekey->id});
      taken.step();
      auto grant = db_->prepare(
          "INSERT INTO prekey_grants (pair_id, requester_id, granted_at) VALUES (?1, ?2, ?3) "
          "ON CONFLICT (pair_id, requester_id) DO UPDATE SET granted_at = ?3");
      grant.bind(1, pair).bind(2, requester).bind(3, now);
      grant.step();
    }
    tx.commit();
    return out;
  });
}

Result<std::int64_t> SqliteStore::one_time_prekey_count(MemberId member, std::int64_t device) {
  return run("one_time_prekey_count", [&]() -> Result<std::int64_t> {
    auto st = db_->prepare("SELECT count(*) FROM one_time_prekeys WHERE member_id = ?1 AND device_id = ?2");
    st.bind(1, member).bind(2, device);
    st.step();
    return st.column_int(0);
  });
}

}  // namespace mentorlink::server
