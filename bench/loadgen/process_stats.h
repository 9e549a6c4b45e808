#pragma once
// CPU time and resident memory of a process, from /proc (Linux).

#include <cstdint>
#include <sys/types.h>

namespace mentorlink::bench {

struct ProcessSample {
  double cpu_seconds = 0;      // user + system
  std::int64_t rss_bytes = 0;  // VmRSS
};

// pid 0 means this process. Throws std::runtime_error if the process is gone.
ProcessSample sample_process(pid_t pid);

}  // namespace mentorlink::bench
