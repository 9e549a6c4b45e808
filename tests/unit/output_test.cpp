// What the CLI shows of text it did not write (output.h, attack 26): escaped, never raw.
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <catch2/catch.hpp>
#include <sstream>

#include "client-cli/lib/output.h"

using namespace mentorlink::client;

TEST_CASE("terminal controls, C1 controls, bidi overrides and invalid UTF-8 are shown escaped", "[output]") {
  CHECK(escape("\x1b[2Kverified", EscapeStyle::text) == "\\x1b[2Kverified");
  CHECK(escape("a\rb\x7f\x01", EscapeStyle::text) == "a\\rb\\x7f\\x01");
  CHECK(escape("\xc2\x9b" "31m", EscapeStyle::text) == "\\u009b31m");  // C1 CSI
  for (const char* bidi : {"\xe2\x80\xaa", "\xe2\x80\xae", "\xe2\x81\xa6", "\xe2\x81\xa9", "\xe2\x80\x8e", "\xe2\x80\x8f",
                           "\xd8\x9c", "\xe2\x80\xa8"}) {
    const auto shown = escape(bidi, EscapeStyle::text);
    CHECK(shown.substr(0, 2) == "\\u");
    CHECK(shown.size() == 6);
  }
  CHECK(escape("\xe2\x80\xae", EscapeStyle::text) == "\\u202e");
  CHECK(escape("\xff\xc0\xaf", EscapeStyle::text) == "\\xff\\xc0\\xaf");       // invalid bytes, an overlong '/'
  CHECK(escape("\xed\xa0\x80", EscapeStyle::text) == "\\xed\\xa0\\x80");       // a surrogate
  CHECK(escape("ok \xe2\x82", EscapeStyle::text) == "ok \\xe2\\x82");          // cut short
  CHECK(escape("\xe2\x82" "x", EscapeStyle::text) == "\\xe2\\x82x");
}

TEST_CASE("ordinary text passes unchanged; line breaks only where a block is shown", "[output]") {
  const std::string text = "Grüße, 日本語, emoji \xf0\x9f\x99\x82, tab\there\nnext line";
  CHECK(escape(text, EscapeStyle::text) == text);
  CHECK(one_line("you: hi\n[12:00] you: fake") == "you: hi\\n[12:00] you: fake");
  CHECK(one_line("a\tb") == "a\\tb");
}

TEST_CASE("in JSON the escapes are JSON's own: a reader gets the same string back", "[output]") {
  const std::string text = "x\x1b[2K\xe2\x80\xae\xc2\x9by\n";
  const std::string serialized = boost::json::serialize(boost::json::object{{"text", text}});
  const std::string shown = escape(serialized, EscapeStyle::json);
  CHECK(shown.find('\x1b') == std::string::npos);
  CHECK(shown.find("\xe2\x80\xae") == std::string::npos);
  CHECK(shown.find("\xc2\x9b") == std::string::npos);
  CHECK(boost::json::parse(shown).as_object().at("text").as_string() == text);
  CHECK(escape("\"\xff\"", EscapeStyle::json) == "\"\\ufffd\"");
}

TEST_CASE("the escaping stream handles characters split across writes and escapes what is left at the end",
          "[output]") {
  std::ostringstream target;
  {
    TerminalSafeStream out(target, EscapeStyle::text);
    out << "a\xe2\x80";  // U+202E in two writes
    out << "\xae" << 'b' << "\xc3";
    out << std::flush;
    CHECK(target.str() == "a\\u202eb");  // the lone lead byte waits for what follows
  }
  CHECK(target.str() == "a\\u202eb\\xc3");
}

TEST_CASE("a failure message and table cells stay on their line", "[output]") {
  std::ostringstream out, err;
  Output output{out, err, false};
  CHECK(output.failure(mentorlink::wire::Status::error(mentorlink::wire::ErrorCode::invalid_field,
                                                       "bad\n\x1b[2Kverified")) == kExitFailed);
  CHECK(err.str() == "mentorlink: bad\\n\\x1b[2Kverified\n");
  CHECK(format_table({{"id", "name"}, {"1", "Eve\nverified"}}) == "id  name\n1   Eve\\nverified\n");
}

TEST_CASE("repair_utf8 keeps well-formed text and replaces each bad byte", "[output]") {
  CHECK(repair_utf8("Grüße") == "Grüße");
  CHECK(repair_utf8("a\xff" "b\xe2\x80") == "a\xef\xbf\xbd" "b\xef\xbf\xbd\xef\xbf\xbd");
  CHECK(is_utf8("日本"));
  CHECK_FALSE(is_utf8("\xc0\xaf"));
}
