#pragma once
// The mentorlink command line. main() only calls run_cli_app().

#include <iosfwd>

namespace mentorlink::client {

int run_cli_app(int argc, char** argv, std::ostream& out, std::ostream& err);

}  // namespace mentorlink::client
