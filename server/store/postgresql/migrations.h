#pragma once
// The PostgreSQL store's schema, as numbered migrations recorded in schema_migrations. Several
// servers may start on one database at once: an advisory lock makes one of them migrate.

#include "server/store/postgresql/connection.h"

namespace mentorlink::server::pg {

int latest_schema_version();
// Applies every migration the database lacks, in one transaction. Throws if the database is newer
// than this server knows.
void migrate(Connection& db);

}  // namespace mentorlink::server::pg
