#pragma once
// One HTTP/1.1 request to the server over a real TLS 1.3 connection, and its reply with the head
// parsed: for tests of the pages the server serves itself (dashboard, web app).

#include <openssl/ssl.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdint>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/raw_tls.h"
#include "tests/support/server_process.h"

namespace mentorlink::test {

struct HttpReply {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::vector<std::string> cookies;             // every Set-Cookie value
  std::string body;

  // The Set-Cookie value for cookie `name`, or "".
  std::string cookie(const std::string& name) const {
    for (const auto& c : cookies) {
      if (c.rfind(name + "=", 0) == 0) return c;
    }
    return "";
  }
};

// Sends `method target` with `headers` (and "Connection: close" unless they name Connection), and
// reads the reply until the server closes.
inline HttpReply https(std::uint16_t port, const std::string& method, const std::string& target,
                       const std::map<std::string, std::string>& headers = {}) {
  RawTls tls(port, TLS1_3_VERSION, TLS1_3_VERSION, test_ca_file());
  REQUIRE(tls.handshake().empty());
  std::string request = method + " " + target + " HTTP/1.1\r\nHost: localhost:" + std::to_string(port) + "\r\n";
  if (headers.count("Connection") == 0) request += "Connection: close\r\nContent-Length: 0\r\n";
  for (const auto& [k, v] : headers) request += k + ": " + v + "\r\n";
  tls.write(request + "\r\n");
  const auto raw = tls.drain(std::chrono::seconds(10)).bytes;
  HttpReply r;
  const auto head_end = raw.find("\r\n\r\n");
  REQUIRE(head_end != std::string::npos);
  std::istringstream head(raw.substr(0, head_end));
  std::string line;
  std::getline(head, line);
  r.status = std::stoi(line.substr(9, 3));
  while (std::getline(head, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string name = line.substr(0, colon);
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const auto value = line.substr(line.find_first_not_of(' ', colon + 1));
    r.headers[name] = value;
    if (name == "set-cookie") r.cookies.push_back(value);
  }
  r.body = raw.substr(head_end + 4);
  return r;
}

}  // namespace mentorlink::test
