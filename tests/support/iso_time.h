#pragma once
// Times as the CLI takes them, for tests that move a FakeClock: "2027-01-15T08:00:00Z".

#include <cstdint>
#include <ctime>
#include <string>

namespace mentorlink::test {

inline std::string iso_utc(std::int64_t ms) {
  const std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace mentorlink::test
