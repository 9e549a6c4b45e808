#pragma once
// Versioned schema. Migration N moves the schema from user_version N-1 to N; each runs in its
// own transaction. Append new migrations; never edit one that has shipped.

#include "server/store/sqlite/database.h"

namespace mentorlink::server::sqlite {

// Brings the database to the newest schema. Throws Error if the file is newer than this binary.
void migrate(Database& db);

int latest_schema_version();

}  // namespace mentorlink::server::sqlite
