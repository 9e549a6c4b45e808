#pragma once
// report.programme, report.watch, access_log.list, dashboard.link (PROTOCOL.md §6 "Coordinator
// reports", "Dashboard", §15).

#include <optional>
#include <string>
#include <vector>

#include "protocol/wire/bytes.h"
#include "protocol/wire/messages/views.h"

namespace mentorlink::wire::messages {

inline constexpr std::size_t kMaxReportRows = 100'000;
inline constexpr std::size_t kMaxReportWeeks = 12;
inline constexpr std::size_t kMaxReportMonths = 1200;  // a century of months
inline constexpr std::size_t kMaxRiskReasons = 16;
inline constexpr std::size_t kMaxRiskTextBytes = 1000;
inline constexpr std::size_t kMaxAccessEntriesPerList = 500;
inline constexpr std::size_t kMaxAccessTextBytes = 2000;
// Rates are fractions; means are days or minutes.
inline constexpr double kMaxRate = 1.0;
inline constexpr double kMaxMean = 1e9;

struct ReportRow {
  struct Month {
    std::string month;  // "2027-01"
    std::int64_t held = 0;
    boost::json::object encode() const;
    static Result<Month> decode(const boost::json::object& o);
  };
  struct Risk {
    std::string rule;
    std::string why;
    boost::json::object encode() const;
    static Result<Risk> decode(const boost::json::object& o);
  };
  std::int64_t pair = 0;
  PersonView mentor;
  PersonView mentee;
  bool coordinator_is_member = false;  // the mentor or mentee coordinates the programme
  std::int64_t formed_at = 0;
  std::string status;  // "active" | "ended"
  std::optional<std::int64_t> ended_at;
  std::int64_t meetings_held = 0;
  std::int64_t held_last_30_days = 0;
  std::int64_t held_last_90_days = 0;
  std::vector<Month> held_per_month;
  std::optional<std::int64_t> last_meeting_at;
  std::optional<std::int64_t> days_since_last_meeting;
  std::optional<double> mean_interval_days;
  std::optional<double> mean_duration_minutes;
  std::string contract_status;
  std::optional<std::int64_t> contract_signed_at;
  std::optional<double> agenda_ahead_rate;
  std::optional<double> feedback_rate;
  std::string messages_last_30_days;  // "0" | "1-9" | "10-49" | "50-99" | "100+"
  bool at_risk = false;
  std::vector<Risk> risk_reasons;
  boost::json::object encode() const;
  static Result<ReportRow> decode(const boost::json::object& o);
};

struct ReportTotals {
  struct Week {
    std::int64_t week_start = 0;
    std::int64_t held = 0;
    boost::json::object encode() const;
    static Result<Week> decode(const boost::json::object& o);
  };
  std::int64_t participants = 0;
  std::int64_t coordinators = 0;
  std::int64_t matched = 0;
  std::int64_t unmatched = 0;
  std::int64_t active_pairs = 0;
  std::int64_t ended_pairs = 0;
  double meetings_per_week = 0;
  std::vector<Week> held_per_week;
  boost::json::object encode() const;
  static Result<ReportTotals> decode(const boost::json::object& o);
};

struct ReportProgrammeResult {
  struct Programme {
    std::int64_t id = 0;
    std::string name;
    std::int64_t cadence_days = 0;
    std::int64_t min_held_minutes = 0;
    boost::json::object encode() const;
    static Result<Programme> decode(const boost::json::object& o);
  };
  Programme programme;
  std::int64_t generated_at = 0;
  std::optional<std::int64_t> since;
  ReportTotals totals;
  std::vector<ReportRow> pairs;
  boost::json::object encode() const;
  static Result<ReportProgrammeResult> decode(const boost::json::object& o);
};

struct ReportProgrammeRequest {
  static constexpr std::string_view kType = "report.programme";
  using Reply = ReportProgrammeResult;
  std::int64_t programme = 0;
  std::optional<std::int64_t> since;
  boost::json::object encode() const;
  static Result<ReportProgrammeRequest> decode(const boost::json::object& o);
};

struct ReportWatchResult {
  std::int64_t programme = 0;
  bool watching = false;
  boost::json::object encode() const;
  static Result<ReportWatchResult> decode(const boost::json::object& o);
};

struct ReportWatchRequest {
  static constexpr std::string_view kType = "report.watch";
  using Reply = ReportWatchResult;
  std::int64_t programme = 0;
  boost::json::object encode() const;
  static Result<ReportWatchRequest> decode(const boost::json::object& o);
};

// One entry, the same shape in access_log.list and the dashboard's access-log API.
struct AccessEntryView {
  std::int64_t pair = 0;
  std::int64_t seq = 0;
  PersonView coordinator;
  std::int64_t at = 0;
  std::string what;
  std::string fields_text;  // "fields" on the wire is the same list, split at commas; decode checks they agree
  Hash previous_hash{};
  Hash hash{};
  boost::json::object encode() const;
  static Result<AccessEntryView> decode(const boost::json::object& o);
};

struct AccessLogListResult {
  std::int64_t pair = 0;
  std::vector<AccessEntryView> entries;
  bool more = false;
  boost::json::object encode() const;
  static Result<AccessLogListResult> decode(const boost::json::object& o);
};

struct AccessLogListRequest {
  static constexpr std::string_view kType = "access_log.list";
  using Reply = AccessLogListResult;
  std::int64_t pair = 0;
  std::optional<std::int64_t> from;
  boost::json::object encode() const;
  static Result<AccessLogListRequest> decode(const boost::json::object& o);
};

struct DashboardLinkResult {
  Nonce token{};  // 32 random bytes, base64url on the wire
  std::int64_t programme = 0;
  std::int64_t expires_at = 0;
  std::int64_t valid_seconds = 0;
  boost::json::object encode() const;
  static Result<DashboardLinkResult> decode(const boost::json::object& o);
};

struct DashboardLinkRequest {
  static constexpr std::string_view kType = "dashboard.link";
  using Reply = DashboardLinkResult;
  std::int64_t programme = 0;
  boost::json::object encode() const;
  static Result<DashboardLinkRequest> decode(const boost::json::object& o);
};

}  // namespace mentorlink::wire::messages
