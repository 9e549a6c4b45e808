#include "server/store/sqlite/migrations.h"

#include <algorithm>
#include <array>
#include <string_view>

namespace mentorlink::server::sqlite {
namespace {

constexpr std::array<std::string_view, 9> kMigrations{
    // 1: members, invites, programmes, enrolments, pairs
    R"sql(
CREATE TABLE members (
  id INTEGER PRIMARY KEY,
  identity_key BLOB NOT NULL UNIQUE CHECK (length(identity_key) = 32),
  display_name TEXT NOT NULL,
  may_create_programmes INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL
);
CREATE TABLE programmes (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  purpose TEXT NOT NULL,
  created_by INTEGER NOT NULL REFERENCES members(id),
  created_at INTEGER NOT NULL
);
CREATE TABLE invites (
  id INTEGER PRIMARY KEY,
  code_hash BLOB NOT NULL UNIQUE CHECK (length(code_hash) = 32),
  programme_id INTEGER REFERENCES programmes(id),
  role TEXT NOT NULL CHECK (role IN ('coordinator', 'participant')),
  display_name TEXT NOT NULL,
  created_by INTEGER REFERENCES members(id),
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at INTEGER,
  used_by INTEGER REFERENCES members(id)
);
CREATE TABLE enrolments (
  programme_id INTEGER NOT NULL REFERENCES programmes(id),
  member_id INTEGER NOT NULL REFERENCES members(id),
  role TEXT NOT NULL CHECK (role IN ('coordinator', 'participant')),
  joined_at INTEGER NOT NULL,
  PRIMARY KEY (programme_id, member_id)
) WITHOUT ROWID;
CREATE INDEX enrolments_by_member ON enrolments(member_id);
CREATE TABLE pairs (
  id INTEGER PRIMARY KEY,
  programme_id INTEGER NOT NULL REFERENCES programmes(id),
  mentor_id INTEGER NOT NULL REFERENCES members(id),
  mentee_id INTEGER NOT NULL REFERENCES members(id),
  formed_by INTEGER NOT NULL REFERENCES members(id),
  formed_at INTEGER NOT NULL,
  ended_at INTEGER,
  ended_by INTEGER REFERENCES members(id),
  CHECK (mentor_id <> mentee_id)
);
CREATE INDEX pairs_by_programme ON pairs(programme_id);
CREATE UNIQUE INDEX one_active_pair ON pairs(mentor_id, mentee_id) WHERE ended_at IS NULL;
)sql",
    // 2: device keys for X3DH, and end-to-end encrypted envelopes (bodies kept until acknowledged)
    R"sql(
CREATE TABLE device_keys (
  member_id INTEGER NOT NULL REFERENCES members(id),
  device_id INTEGER NOT NULL,
  identity_dh_key BLOB NOT NULL CHECK (length(identity_dh_key) = 32),
  identity_dh_signature BLOB NOT NULL CHECK (length(identity_dh_signature) = 64),
  signed_prekey_id INTEGER NOT NULL,
  signed_prekey BLOB NOT NULL CHECK (length(signed_prekey) = 32),
  signed_prekey_signature BLOB NOT NULL CHECK (length(signed_prekey_signature) = 64),
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (member_id, device_id)
) WITHOUT ROWID;
CREATE TABLE one_time_prekeys (
  member_id INTEGER NOT NULL,
  device_id INTEGER NOT NULL,
  prekey_id INTEGER NOT NULL,
  prekey BLOB NOT NULL CHECK (length(prekey) = 32),
  PRIMARY KEY (member_id, device_id, prekey_id)
) WITHOUT ROWID;
ALTER TABLE pairs ADD COLUMN last_seq INTEGER NOT NULL DEFAULT 0;
-- Ids of one-time prekeys already handed out: a retried publish can never bring one back.
CREATE TABLE taken_prekeys (
  member_id INTEGER NOT NULL,
  device_id INTEGER NOT NULL,
  prekey_id INTEGER NOT NULL,
  PRIMARY KEY (member_id, device_id, prekey_id)
) WITHOUT ROWID;
CREATE TABLE envelope_log (
  pair_id INTEGER NOT NULL REFERENCES pairs(id),
  seq INTEGER NOT NULL,
  sender_id INTEGER NOT NULL REFERENCES members(id),
  sender_device INTEGER NOT NULL,
  recipient_id INTEGER NOT NULL REFERENCES members(id),
  client_id BLOB NOT NULL,
  size INTEGER NOT NULL,
  sent_at INTEGER NOT NULL,
  acked_at INTEGER,
  PRIMARY KEY (pair_id, seq),
  UNIQUE (pair_id, sender_id, client_id)
) WITHOUT ROWID;
CREATE TABLE envelope_bodies (
  pair_id INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  recipient_id INTEGER NOT NULL,
  body BLOB NOT NULL,
  PRIMARY KEY (pair_id, seq)
) WITHOUT ROWID;
CREATE INDEX envelope_bodies_by_recipient ON envelope_bodies(recipient_id, pair_id, seq);
)sql",
    // 3: contract templates, end-to-end encrypted documents with signed versions, contract
    // signatures, meetings and who was present when
    R"sql(
CREATE TABLE contract_templates (
  id INTEGER PRIMARY KEY,
  programme_id INTEGER NOT NULL REFERENCES programmes(id),
  name TEXT NOT NULL,
  version INTEGER NOT NULL,
  text TEXT NOT NULL,
  published_by INTEGER NOT NULL REFERENCES members(id),
  published_at INTEGER NOT NULL,
  UNIQUE (programme_id, name, version)
);
CREATE TABLE meetings (
  id INTEGER PRIMARY KEY,
  pair_id INTEGER NOT NULL REFERENCES pairs(id),
  status TEXT NOT NULL CHECK (status IN ('scheduled', 'cancelled', 'started', 'ended')),
  scheduled_at INTEGER,
  started_at INTEGER,
  ended_at INTEGER,
  cancelled_at INTEGER,
  created_by INTEGER NOT NULL REFERENCES members(id),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX meetings_by_pair ON meetings(pair_id);
CREATE UNIQUE INDEX one_meeting_under_way ON meetings(pair_id) WHERE status = 'started';
CREATE TABLE meeting_presence (
  meeting_id INTEGER NOT NULL REFERENCES meetings(id),
  member_id INTEGER NOT NULL REFERENCES members(id),
  joined_at INTEGER NOT NULL,
  left_at INTEGER,
  PRIMARY KEY (meeting_id, member_id, joined_at)
) WITHOUT ROWID;
CREATE TABLE documents (
  id INTEGER PRIMARY KEY,
  pair_id INTEGER NOT NULL REFERENCES pairs(id),
  kind INTEGER NOT NULL CHECK (kind BETWEEN 1 AND 5),
  meeting_id INTEGER REFERENCES meetings(id),
  owner_id INTEGER REFERENCES members(id),
  created_by INTEGER NOT NULL REFERENCES members(id),
  created_at INTEGER NOT NULL,
  latest_version INTEGER NOT NULL DEFAULT 0,
  updated_at INTEGER NOT NULL,
  first_version_at INTEGER,
  latest_size INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX one_document_per_identity
  ON documents(pair_id, kind, ifnull(meeting_id, 0), ifnull(owner_id, 0));
CREATE TABLE document_versions (
  document_id INTEGER NOT NULL REFERENCES documents(id),
  version INTEGER NOT NULL,
  author_id INTEGER NOT NULL REFERENCES members(id),
  body BLOB NOT NULL,
  signature BLOB NOT NULL CHECK (length(signature) = 64),
  hash BLOB NOT NULL CHECK (length(hash) = 32),
  created_at INTEGER NOT NULL,
  PRIMARY KEY (document_id, version)
) WITHOUT ROWID;
CREATE TABLE contract_signatures (
  document_id INTEGER NOT NULL REFERENCES documents(id),
  version INTEGER NOT NULL,
  member_id INTEGER NOT NULL REFERENCES members(id),
  signature BLOB NOT NULL CHECK (length(signature) = 64),
  signed_at INTEGER NOT NULL,
  PRIMARY KEY (document_id, version, member_id)
) WITHOUT ROWID;
)sql",
    // 4: a programme's target cadence, and each pair's append-only, hash-chained access log
    R"sql(
ALTER TABLE programmes ADD COLUMN cadence_days INTEGER NOT NULL DEFAULT 21;
CREATE TABLE access_log (
  pair_id INTEGER NOT NULL REFERENCES pairs(id),
  seq INTEGER NOT NULL,
  coordinator_id INTEGER NOT NULL REFERENCES members(id),
  at INTEGER NOT NULL,
  what TEXT NOT NULL,
  fields TEXT NOT NULL,
  previous_hash BLOB NOT NULL CHECK (length(previous_hash) = 32),
  hash BLOB NOT NULL CHECK (length(hash) = 32),
  PRIMARY KEY (pair_id, seq)
) WITHOUT ROWID;
CREATE TRIGGER access_log_no_update BEFORE UPDATE ON access_log
  BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END;
CREATE TRIGGER access_log_no_delete BEFORE DELETE ON access_log
  BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END;
CREATE INDEX envelope_log_by_pair_time ON envelope_log(pair_id, sent_at);
)sql",
    // 5: dashboard sign-in links and sessions (hashes of their secrets only)
    R"sql(
CREATE TABLE dashboard_links (
  token_hash BLOB PRIMARY KEY CHECK (length(token_hash) = 32),
  member_id INTEGER NOT NULL REFERENCES members(id),
  programme_id INTEGER NOT NULL REFERENCES programmes(id),
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at INTEGER
) WITHOUT ROWID;
CREATE TABLE dashboard_sessions (
  session_hash BLOB PRIMARY KEY CHECK (length(session_hash) = 32),
  member_id INTEGER NOT NULL REFERENCES members(id),
  programme_id INTEGER NOT NULL REFERENCES programmes(id),
  csrf TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
) WITHOUT ROWID;
)sql",
    // 6: protocol version 2 (PROTOCOL.md §14.6). Documents that hold versions were written by
    // version 1 clients, which version 2 clients cannot check: they are kept as format 1 and no
    // longer answer document.open, so each pair starts them afresh; empty ones simply continue.
    R"sql(
ALTER TABLE documents ADD COLUMN format INTEGER NOT NULL DEFAULT 2 CHECK (format IN (1, 2));
UPDATE documents SET format = 1 WHERE latest_version > 0;
DROP INDEX one_document_per_identity;
CREATE UNIQUE INDEX one_document_per_identity
  ON documents(pair_id, kind, ifnull(meeting_id, 0), ifnull(owner_id, 0)) WHERE format = 2;
)sql",
    // 7 (protocol 2): when each member last got one of its partner's one-time prekeys per pair,
    // and a hash of each envelope body so that a client_id reused with another body is refused
    R"sql(
CREATE TABLE prekey_grants (
  pair_id INTEGER NOT NULL REFERENCES pairs(id),
  requester_id INTEGER NOT NULL REFERENCES members(id),
  granted_at INTEGER NOT NULL,
  PRIMARY KEY (pair_id, requester_id)
) WITHOUT ROWID;
ALTER TABLE envelope_log ADD COLUMN body_hash BLOB CHECK (body_hash IS NULL OR length(body_hash) = 32);
)sql",
    // 8: how long both members must be present together for a meeting to count as held
    R"sql(
ALTER TABLE programmes ADD COLUMN min_held_minutes INTEGER NOT NULL DEFAULT 10;
)sql",
    // 9: envelopes in commit order (README, "How messages are stored"). The log keeps every
    // envelope's metadata for good, numbered by one global sequence so that each insert lands on
    // the last page; bodies live under the same id until acknowledged. No secondary index: what is
    // found by pair or recipient is kept in memory (message_index.h). The pair's newest sequence
    // number is the log's, so pairs.last_seq goes.
    R"sql(
CREATE TABLE envelope_log_v9 (
  id INTEGER PRIMARY KEY,
  pair_id INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  sender_id INTEGER NOT NULL,
  sender_device INTEGER NOT NULL,
  recipient_id INTEGER NOT NULL,
  client_id BLOB NOT NULL,
  body_hash BLOB CHECK (body_hash IS NULL OR length(body_hash) = 32),
  size INTEGER NOT NULL,
  sent_at INTEGER NOT NULL
);
CREATE TABLE envelope_bodies_v9 (
  id INTEGER PRIMARY KEY,
  body BLOB NOT NULL
);
INSERT INTO envelope_log_v9 (pair_id, seq, sender_id, sender_device, recipient_id, client_id, body_hash, size, sent_at)
  SELECT pair_id, seq, sender_id, sender_device, recipient_id, client_id, body_hash, size, sent_at
  FROM envelope_log ORDER BY sent_at, pair_id, seq;
INSERT INTO envelope_bodies_v9 (id, body)
  SELECT l.id, b.body FROM envelope_bodies b JOIN envelope_log_v9 l ON l.pair_id = b.pair_id AND l.seq = b.seq
  ORDER BY l.id;
DROP TABLE envelope_bodies;
DROP TABLE envelope_log;
ALTER TABLE envelope_log_v9 RENAME TO envelope_log;
ALTER TABLE envelope_bodies_v9 RENAME TO envelope_bodies;
ALTER TABLE pairs DROP COLUMN last_seq;
)sql",
};

}  // namespace

int latest_schema_version() { return static_cast<int>(kMigrations.size()); }

void migrate(Database& db) { migrate(db, latest_schema_version()); }

void migrate(Database& db, int target) {
  const int current = db.user_version();
  if (current > latest_schema_version()) {
    throw Error(0, "the database has schema version " + std::to_string(current) + " but this server knows only up to " +
                       std::to_string(latest_schema_version()) + "; use a newer mentorlink-server");
  }
  for (int v = current; v < std::min(target, latest_schema_version()); ++v) {
    Transaction tx(db);
    db.exec(kMigrations[static_cast<std::size_t>(v)]);
    db.set_user_version(v + 1);
    tx.commit();
  }
}

}  // namespace mentorlink::server::sqlite
