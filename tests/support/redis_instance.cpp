#include "tests/support/redis_instance.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>

namespace mentorlink::test {

std::uint16_t free_loopback_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw std::runtime_error("no socket for a free port");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  const bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0 &&
                  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0;
  ::close(fd);
  if (!ok) throw std::runtime_error("could not find a free loopback port");
  return ntohs(address.sin_port);
}

RedisInstance::RedisInstance() : port_(free_loopback_port()) { start(); }

RedisInstance::~RedisInstance() { stop(); }

void RedisInstance::stop() {
  if (child_ == nullptr) return;
  child_->stop(SIGKILL);
  child_.reset();
}

void RedisInstance::start() {
  if (child_ != nullptr) return;
  child_ = std::make_unique<ChildProcess>(
      MENTORLINK_REDIS_SERVER,
      std::vector<std::string>{"--port", std::to_string(port_), "--bind", "127.0.0.1", "--save", "", "--appendonly",
                               "no", "--dir", dir_.path().string(), "--daemonize", "no", "--logfile", "",
                               "--protected-mode", "yes"},
      dir_ / "redis.stderr");
  while (auto line = child_->read_line()) {
    if (line->find("Ready to accept connections") != std::string::npos) return;
  }
  child_->stop(SIGKILL);
  child_.reset();
  throw std::runtime_error("redis-server did not start on port " + std::to_string(port_));
}

}  // namespace mentorlink::test
