#include "client-cli/lib/output.h"

#include <boost/json/serialize.hpp>
#include <ctime>
#include <ostream>

namespace mentorlink::client {
namespace json = boost::json;

namespace {

bool unsafe_code_point(char32_t cp) {
  return (cp >= 0x80 && cp <= 0x9F) || cp == 0x061C || cp == 0x200E || cp == 0x200F || (cp >= 0x2028 && cp <= 0x202E) ||
         (cp >= 0x2066 && cp <= 0x2069);
}

// The length of the UTF-8 sequence that lead starts, or 0 if lead cannot start one.
std::size_t sequence_length(std::uint8_t lead) {
  if (lead >= 0xC2 && lead <= 0xDF) return 2;
  if (lead >= 0xE0 && lead <= 0xEF) return 3;
  if (lead >= 0xF0 && lead <= 0xF4) return 4;
  return 0;
}

// Whether b may follow the bytes in sequence (Unicode Table 3-7: no overlong forms, no
// surrogates, nothing above U+10FFFF).
bool continues(const std::string& sequence, std::uint8_t b) {
  if (b < 0x80 || b > 0xBF) return false;
  if (sequence.size() != 1) return true;
  switch (static_cast<std::uint8_t>(sequence[0])) {
    case 0xE0: return b >= 0xA0;
    case 0xED: return b <= 0x9F;
    case 0xF0: return b >= 0x90;
    case 0xF4: return b <= 0x8F;
    default: return true;
  }
}

// \x1b (two hex digits) or \u202e (four).
void append_escape(std::string& out, char kind, unsigned value) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('\\');
  out.push_back(kind);
  for (int shift = kind == 'x' ? 4 : 12; shift >= 0; shift -= 4) out.push_back(kHex[(value >> shift) & 0xF]);
}

}  // namespace

void TerminalEscaper::feed(char c, std::string& out) {
  const auto b = static_cast<std::uint8_t>(c);
  if (!pending_.empty()) {
    if (continues(pending_, b)) {
      pending_.push_back(c);
      if (pending_.size() == needed_) emit_code_point(out);
      return;
    }
    flush_invalid(out);  // then b starts afresh
  }
  if (b >= 0x80) {
    needed_ = sequence_length(b);
    pending_.push_back(c);
    if (needed_ == 0) flush_invalid(out);
    return;
  }
  const bool control = b < 0x20 || b == 0x7F;
  const bool kept_break = (b == '\n' || b == '\t') && style_ != EscapeStyle::one_line;
  if (!control || kept_break) {
    out.push_back(c);
  } else if (style_ == EscapeStyle::json) {
    append_escape(out, 'u', b);
  } else if (b == '\n') {
    out += "\\n";
  } else if (b == '\r') {
    out += "\\r";
  } else if (b == '\t') {
    out += "\\t";
  } else {
    append_escape(out, 'x', b);
  }
}

void TerminalEscaper::finish(std::string& out) { flush_invalid(out); }

void TerminalEscaper::flush_invalid(std::string& out) {
  for (char c : pending_) {
    if (style_ == EscapeStyle::json) {
      out += "\\ufffd";
    } else {
      append_escape(out, 'x', static_cast<std::uint8_t>(c));
    }
  }
  pending_.clear();
}

void TerminalEscaper::emit_code_point(std::string& out) {
  const auto byte = [&](std::size_t i) { return static_cast<char32_t>(static_cast<std::uint8_t>(pending_[i])); };
  char32_t cp = 0;
  if (needed_ == 2) cp = ((byte(0) & 0x1F) << 6) | (byte(1) & 0x3F);
  if (needed_ == 3) cp = ((byte(0) & 0x0F) << 12) | ((byte(1) & 0x3F) << 6) | (byte(2) & 0x3F);
  if (needed_ == 4) cp = ((byte(0) & 0x07) << 18) | ((byte(1) & 0x3F) << 12) | ((byte(2) & 0x3F) << 6) | (byte(3) & 0x3F);
  if (unsafe_code_point(cp)) {
    append_escape(out, 'u', static_cast<unsigned>(cp));
  } else {
    out += pending_;
  }
  pending_.clear();
}

std::string escape(std::string_view untrusted, EscapeStyle style) {
  TerminalEscaper escaper(style);
  std::string out;
  out.reserve(untrusted.size());
  for (char c : untrusted) escaper.feed(c, out);
  escaper.finish(out);
  return out;
}

TerminalSafeStream::TerminalSafeStream(std::ostream& target, EscapeStyle style)
    : std::ostream(nullptr), buffer_(target.rdbuf(), style) {
  rdbuf(&buffer_);
}

TerminalSafeStream::~TerminalSafeStream() {
  buffer_.finish();
  buffer_.pubsync();
}

void TerminalSafeStream::Buffer::finish() {
  scratch_.clear();
  escaper_.finish(scratch_);
  target_->sputn(scratch_.data(), static_cast<std::streamsize>(scratch_.size()));
}

TerminalSafeStream::Buffer::int_type TerminalSafeStream::Buffer::overflow(int_type c) {
  if (traits_type::eq_int_type(c, traits_type::eof())) return traits_type::not_eof(c);
  const char ch = traits_type::to_char_type(c);
  return xsputn(&ch, 1) == 1 ? c : traits_type::eof();
}

std::streamsize TerminalSafeStream::Buffer::xsputn(const char* s, std::streamsize n) {
  scratch_.clear();
  for (std::streamsize i = 0; i < n; ++i) escaper_.feed(s[i], scratch_);
  const auto size = static_cast<std::streamsize>(scratch_.size());
  return target_->sputn(scratch_.data(), size) == size ? n : 0;
}

int TerminalSafeStream::Buffer::sync() { return target_->pubsync(); }

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
    err << "mentorlink: " << one_line(status.message()) << "\n";
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
  std::vector<std::vector<std::string>> shown;
  std::vector<std::size_t> widths;
  for (const auto& row : rows) {
    auto& cells = shown.emplace_back();
    if (widths.size() < row.size()) widths.resize(row.size(), 0);
    for (std::size_t i = 0; i < row.size(); ++i) {
      cells.push_back(one_line(row[i]));
      widths[i] = std::max(widths[i], cells.back().size());
    }
  }
  std::string out;
  for (const auto& row : shown) {
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
