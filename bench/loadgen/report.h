#pragma once
// Turns the load generator's result lines (one JSON object per run, each with a "server" label)
// into the markdown tables of bench/RESULTS.md, with ratios against the Node.js baseline.

#include <iosfwd>
#include <string>

namespace mentorlink::bench {

// Labels the harness gives the servers it measures (bench/run.sh).
inline constexpr const char* kDurable = "mentorlink";
inline constexpr const char* kNoSync = "mentorlink (no fsync)";
inline constexpr const char* kBeast = "bare Beast relay";
inline constexpr const char* kNode = "Node ws relay";

void write_report(const std::string& results_file, std::ostream& out);

}  // namespace mentorlink::bench
