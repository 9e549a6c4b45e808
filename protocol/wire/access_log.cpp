#include "protocol/wire/access_log.h"

#include <sodium.h>

#include <algorithm>

#include "protocol/wire/sodium.h"

namespace mentorlink::wire {
namespace {

void put_be(Bytes& out, std::uint64_t v, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}

void put_string(Bytes& out, std::string_view s) {
  put_be(out, s.size(), 4);
  out.insert(out.end(), s.begin(), s.end());
}

}  // namespace

Hash access_entry_hash(const AccessEntry& e) {
  ensure_sodium();
  Bytes input(kAccessLogContext.begin(), kAccessLogContext.end());
  input.push_back(0x00);
  input.insert(input.end(), e.previous.begin(), e.previous.end());
  put_be(input, e.pair, 8);
  put_be(input, e.seq, 8);
  put_be(input, e.coordinator, 8);
  put_be(input, static_cast<std::uint64_t>(e.at), 8);
  put_string(input, e.what);
  put_string(input, e.fields);
  Hash out{};
  crypto_generichash(out.data(), out.size(), input.data(), input.size(), nullptr, 0);
  return out;
}

std::vector<std::string> access_field_names(std::string_view fields_text) {
  std::vector<std::string> names;
  while (!fields_text.empty()) {
    const auto comma = std::min(fields_text.find(','), fields_text.size());
    if (comma > 0) names.emplace_back(fields_text.substr(0, comma));
    fields_text.remove_prefix(std::min(comma + 1, fields_text.size()));
  }
  return names;
}

}  // namespace mentorlink::wire
