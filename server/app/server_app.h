#pragma once
// The mentorlink-server command line: `serve` (default) and `bootstrap`. main() only calls run().

namespace mentorlink::server {

// Returns the process exit code: 0 on success, 1 on a runtime failure, 2 on a usage error.
int run_server_app(int argc, char** argv);

}  // namespace mentorlink::server
