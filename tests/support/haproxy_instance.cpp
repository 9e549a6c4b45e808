#include "tests/support/haproxy_instance.h"

#include <signal.h>

#include <fstream>
#include <stdexcept>

#include "tests/support/process.h"
#include "tests/support/redis_instance.h"

namespace mentorlink::test {

HaproxyInstance::HaproxyInstance(const std::vector<std::uint16_t>& node_ports) : port_(free_loopback_port()) {
  const auto config = dir_ / "haproxy.cfg";
  const auto pid_file = dir_ / "haproxy.pid";
  {
    std::ofstream out(config);
    out << "global\n  maxconn 4096\n"
        << "defaults\n  mode tcp\n  timeout connect 2s\n  timeout client 2m\n  timeout server 2m\n"
        << "  retries 3\n  option redispatch\n"
        << "frontend mentorlink\n  bind 127.0.0.1:" << port_ << "\n  default_backend nodes\n"
        << "backend nodes\n  balance roundrobin\n";
    for (std::size_t i = 0; i < node_ports.size(); ++i) {
      out << "  server n" << i << " 127.0.0.1:" << node_ports[i] << " check inter 200ms fall 1 rise 1\n";
    }
  }
  const auto started = run_process(MENTORLINK_HAPROXY, {"-D", "-p", pid_file.string(), "-f", config.string()});
  if (started.exit_code != 0) throw std::runtime_error("haproxy did not start: " + started.err);
  std::ifstream pid_in(pid_file);
  if (!(pid_in >> pid_)) throw std::runtime_error("haproxy wrote no pid file");
}

HaproxyInstance::~HaproxyInstance() {
  if (pid_ > 0) ::kill(pid_, SIGKILL);
}

}  // namespace mentorlink::test
