#include "server/store/sqlite/migrations.h"

#include <array>
#include <string_view>

namespace mentorlink::server::sqlite {
namespace {

constexpr std::array<std::string_view, 1> kMigrations{
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
};

}  // namespace

int latest_schema_version() { return static_cast<int>(kMigrations.size()); }

void migrate(Database& db) {
  const int current = db.user_version();
  if (current > latest_schema_version()) {
    throw Error(0, "the database has schema version " + std::to_string(current) + " but this server knows only up to " +
                       std::to_string(latest_schema_version()) + "; use a newer mentorlink-server");
  }
  for (int v = current; v < latest_schema_version(); ++v) {
    Transaction tx(db);
    db.exec(kMigrations[static_cast<std::size_t>(v)]);
    db.set_user_version(v + 1);
    tx.commit();
  }
}

}  // namespace mentorlink::server::sqlite
