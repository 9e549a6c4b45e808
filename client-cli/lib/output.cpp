#include "client-cli/lib/output.h"

#include <boost/json/serialize.hpp>
#include <ctime>
#include <ostream>

namespace mentorlink::client {
namespace json = boost::json;

int Output::json_result(const json::object& body) const {
  out << json::serialize(body) << "\n";
  return kExitOk;
}

int Output::failure(const wire::Status& status) const {
  if (json) {
    json::object e;
    e["code"] = wire::to_string(status.code());
    e["message"] = status.message();
    if (!status.field().empty()) e["field"] = status.field();
    json::object o;
    o["error"] = std::move(e);
    out << json::serialize(o) << "\n";
  } else {
    err << "mentorlink: " << status.message() << "\n";
  }
  return kExitFailed;
}

std::string format_time(std::int64_t ms) {
  const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M UTC", &tm);
  return buf;
}

std::string format_table(const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> widths;
  for (const auto& row : rows) {
    if (widths.size() < row.size()) widths.resize(row.size(), 0);
    for (std::size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], row[i].size());
  }
  std::string out;
  for (const auto& row : rows) {
    std::string line;
    for (std::size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) line += std::string(widths[i] - row[i].size() + 2, ' ');
    }
    out += line + "\n";
  }
  return out;
}

}  // namespace mentorlink::client
