#pragma once
// How the CLI speaks: sentences and small tables for people, or one JSON document with --json.
// Exit codes: 0 success, 1 the request failed (server said no, or a local problem), 2 usage error.
//
// Text from the partner or the server is never written raw (SECURITY.md, attack 26): escape
// sequences, other control characters, bidirectional overrides and invalid UTF-8 could redraw
// the terminal or fake a "you:" or "verified" line. TerminalSafeStream escapes them in everything
// a command prints; one_line() also escapes line breaks where a value must stay on its line.

#include <boost/json/object.hpp>
#include <iosfwd>
#include <ostream>
#include <streambuf>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/wire/status.h"

namespace mentorlink::client {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;
inline constexpr int kExitUsage = 2;

// How an unsafe character is shown.
//   text:       ESC as \x1b, U+202E as \u202e, an invalid byte as \xff; \n and \t are kept.
//   one_line:   as text, and \n, \r, \t as \n, \r, \t (two visible characters each).
//   json:       inside serialized JSON: unsafe characters as \uXXXX escapes (the same string to a
//               JSON reader), an invalid byte as \ufffd.
enum class EscapeStyle { text, one_line, json };

// Unsafe: C0 controls, DEL, C1 controls (U+0080..U+009F), U+061C, U+200E, U+200F, U+2028..U+202E,
// U+2066..U+2069, and any byte that is not part of well-formed UTF-8.
class TerminalEscaper {
 public:
  explicit TerminalEscaper(EscapeStyle style) : style_(style) {}
  // Appends the safe form of byte c to out; bytes of an incomplete UTF-8 sequence wait for the next.
  void feed(char c, std::string& out);
  // Ends the input: a waiting incomplete sequence is shown escaped.
  void finish(std::string& out);

 private:
  void flush_invalid(std::string& out);
  void emit_code_point(std::string& out);

  EscapeStyle style_;
  std::string pending_;    // the bytes of the UTF-8 sequence being read
  std::size_t needed_ = 0;  // its full length
};

std::string escape(std::string_view untrusted, EscapeStyle style);
// A value from the partner or the server shown within a line (chat, history, names, errors).
inline std::string one_line(std::string_view untrusted) { return escape(untrusted, EscapeStyle::one_line); }

// An ostream that writes the escaped form of everything into another stream's buffer, in order
// with direct writes to that stream.
class TerminalSafeStream : public std::ostream {
 public:
  TerminalSafeStream(std::ostream& target, EscapeStyle style);
  ~TerminalSafeStream() override;

 private:
  class Buffer : public std::streambuf {
   public:
    Buffer(std::streambuf* target, EscapeStyle style) : target_(target), escaper_(style) {}
    void finish();

   protected:
    int_type overflow(int_type c) override;
    std::streamsize xsputn(const char* s, std::streamsize n) override;
    int sync() override;

   private:
    std::streambuf* target_;
    TerminalEscaper escaper_;
    std::string scratch_;
  };
  Buffer buffer_;
};

struct Output {
  std::ostream& out;
  std::ostream& err;
  bool json = false;

  // Prints body as JSON (in --json mode) and returns kExitOk.
  int json_result(const boost::json::object& body) const;
  // Prints "mentorlink: <message>" (or {"error":{...}} in --json mode) and returns kExitFailed.
  int failure(const wire::Status& status) const;
};

// "2026-11-27 12:34 UTC"
std::string format_time(std::int64_t ms_since_epoch);

// Left-aligned columns separated by two spaces; first row is the header. Cells are shown
// one_line(), so a name cannot break the table.
std::string format_table(const std::vector<std::vector<std::string>>& rows);

}  // namespace mentorlink::client
