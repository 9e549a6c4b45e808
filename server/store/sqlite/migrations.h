#pragma once
// Versioned schema. Migration N moves the schema from user_version N-1 to N; each runs in its
// own transaction. Append new migrations; never edit one that has shipped.

#include "server/store/sqlite/database.h"

namespace mentorlink::server::sqlite {

// Brings the database to the newest schema. Throws Error if the file is newer than this binary.
void migrate(Database& db);
// Brings the database to schema `target` at most (tests build older data folders with it).
void migrate(Database& db, int target);

// The newest schema of a server that spoke protocol version 1: data folders from then migrate.
inline constexpr int kProtocolV1SchemaVersion = 5;

int latest_schema_version();

}  // namespace mentorlink::server::sqlite
