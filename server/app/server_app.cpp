#include "server/app/server_app.h"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <sys/resource.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>

#include "protocol/wire/document_version.h"
#include "protocol/wire/limits.h"
#include "protocol/wire/messages/calls.h"
#include "protocol/wire/signatures.h"
#include "server/api/bus_receiver.h"
#include "server/api/commit_batcher.h"
#include "server/bus/redis_bus.h"
#include "server/api/dispatcher.h"
#include "server/core/hub.h"
#include "server/core/ice_servers.h"
#include "server/net/net_server.h"
#include "server/observability/metrics.h"
#include "server/services/invites.h"
#include "server/store/postgresql/postgres_store.h"
#include "server/store/sqlite/sqlite_store.h"
#include "server/web_app/app_http.h"

namespace mentorlink::server {
namespace {

struct ServeOptions {
  std::string data_dir = "data";
  std::string store_url;  // empty: SQLite in data_dir
  NetConfig net{.listen_address = "127.0.0.1", .port = 8443, .cert_file = "certs/dev/server.crt",
                .key_file = "certs/dev/server.key", .threads = 0};
  Limits limits;
  std::string log_level = "info";
  std::int64_t handshake_timeout_ms = 0;
  std::int64_t idle_timeout_ms = 0;
  std::string sync = "full";
  std::vector<std::string> app_origins;  // empty: default_app_origins()
  std::string bus;                       // empty: this node alone; redis://HOST:PORT: shared
  std::vector<std::string> stun_urls;
  std::vector<std::string> turn_urls;
  std::string turn_secret_file;  // empty: the secret comes from MENTORLINK_TURN_SECRET
  std::int64_t turn_credential_ttl_s = kDefaultTurnCredentialTtlSeconds;
};

struct BootstrapOptions {
  std::string data_dir = "data";
  std::string store_url;
  std::string name;
  std::int64_t valid_days = wire::kDefaultInviteDays;
};

void setup_logging(const std::string& level) {
  auto logger = spdlog::stderr_color_mt("mentorlink");
  spdlog::set_default_logger(logger);
  // Structured: one event per line, key=value pairs after the level. Never content, keys or codes.
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%eZ level=%l %v", spdlog::pattern_time_type::utc);
  spdlog::set_level(spdlog::level::from_str(level));
}

// Lets the server hold as many sockets as the hard limit allows (the soft limit is often 1024).
void raise_descriptor_limit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
}

// Why an --app-origin value is not an origin a browser would send ("" if it is one).
std::string check_app_origin(const std::string& origin) {
  constexpr std::string_view kScheme = "https://";
  if (origin.size() > wire::kMaxWebOriginBytes) return "an origin is at most " + std::to_string(wire::kMaxWebOriginBytes) + " bytes";
  if (origin.rfind(kScheme, 0) != 0 || origin.size() == kScheme.size()) return "an origin starts with https:// and names a host";
  for (std::size_t i = kScheme.size(); i < origin.size(); ++i) {
    const char c = origin[i];
    if (c <= 0x20 || c >= 0x7F || c == '/' || c == '?' || c == '#' || c == '@') {
      return "an origin is https://HOST or https://HOST:PORT, with no path (e.g. https://mentoring.example.org:8443)";
    }
  }
  return {};
}

// The app's origins when --app-origin is not given: https://ADDRESS:PORT of the listen address, and
// https://localhost:PORT when it is a loopback address (the name the development certificate has).
// None for a wildcard address: the operator names the public one.
std::vector<std::string> default_app_origins(const std::string& listen_address, std::uint16_t port) {
  const std::string suffix = port == 443 ? std::string() : ":" + std::to_string(port);
  if (listen_address == "0.0.0.0" || listen_address == "::") return {};
  const bool ipv6 = listen_address.find(':') != std::string::npos;
  std::vector<std::string> out{"https://" + (ipv6 ? "[" + listen_address + "]" : listen_address) + suffix};
  if (listen_address == "127.0.0.1" || listen_address == "::1") out.insert(out.begin(), "https://localhost" + suffix);
  return out;
}

// The store --store names: PostgreSQL for a postgresql:// URL, else SQLite in the data folder.
// Throws std::runtime_error with a sentence for the operator.
std::unique_ptr<Store> open_store(const std::string& store_url, const std::string& data_dir, StoreObserver* observer,
                                  Durability durability, const Quotas& quotas) {
  if (store_url.empty()) return std::make_unique<SqliteStore>(data_dir, observer, durability, quotas);
  return std::make_unique<PostgresStore>(store_url, observer, quotas);
}

// Where the store is, for the log: never the URL's password.
std::string store_description(const std::string& store_url, const std::string& data_dir) {
  if (store_url.empty()) return SqliteStore::database_path(data_dir);
  const auto scheme_end = store_url.find("://") + 3;
  const auto at = store_url.find('@', scheme_end);
  const auto colon = store_url.find(':', scheme_end);
  if (at == std::string::npos || colon == std::string::npos || colon > at) return store_url;
  return store_url.substr(0, colon) + ":***" + store_url.substr(at);
}

// Why --store's value is not a store this server can open ("" if it is one).
std::string check_store_url(const std::string& url) {
  if (PostgresStore::is_url(url)) return {};
  return "--store takes a PostgreSQL URL, postgresql://USER@HOST:PORT/DATABASE (without it, the store is SQLite in "
         "--data)";
}

// Why a --stun / --turn-url value is not a URL of one of schemes ("" if it is one).
std::string check_ice_url(const std::string& url, std::initializer_list<std::string_view> schemes) {
  if (url.size() > wire::messages::kMaxIceTextBytes) return "a URL is at most 512 bytes";
  for (const char c : url) {
    if (c <= 0x20 || c >= 0x7F) return "a URL has no spaces or control characters";
  }
  for (const auto scheme : schemes) {
    if (url.size() > scheme.size() && url.compare(0, scheme.size(), scheme) == 0) return {};
  }
  return "expected a " + std::string(*schemes.begin()) + " URL, e.g. " + std::string(*schemes.begin()) +
         "turn.example.org:3478";
}

// The TURN secret from --turn-secret-file (its first line) or MENTORLINK_TURN_SECRET; an error
// sentence when TURN URLs are given without one. Kept off the command line, where ps shows it.
std::optional<std::string> load_turn_secret(const ServeOptions& o, IceServers& ice) {
  ice.stun_urls = o.stun_urls;
  ice.turn_urls = o.turn_urls;
  ice.credential_ttl_seconds = o.turn_credential_ttl_s;
  std::string secret;
  if (!o.turn_secret_file.empty()) {
    std::ifstream in(o.turn_secret_file, std::ios::binary);
    if (!in) return "cannot read the TURN secret file " + o.turn_secret_file;
    std::getline(in, secret);
    if (!secret.empty() && secret.back() == '\r') secret.pop_back();
  } else if (const char* env = std::getenv(kTurnSecretEnv); env != nullptr) {
    secret = env;
  }
  if (secret.size() > kMaxTurnSecretBytes) return "the TURN secret is longer than 1024 bytes";
  if (!ice.turn_urls.empty() && secret.empty()) {
    return std::string("--turn-url needs the secret shared with the TURN server: --turn-secret-file FILE or ") +
           kTurnSecretEnv;
  }
  ice.turn_secret = std::move(secret);
  return std::nullopt;
}

int serve(ServeOptions& o) {
  setup_logging(o.log_level);
  raise_descriptor_limit();
  if (o.handshake_timeout_ms > 0) o.limits.handshake_timeout = std::chrono::milliseconds(o.handshake_timeout_ms);
  if (o.idle_timeout_ms > 0) o.limits.idle_timeout = std::chrono::milliseconds(o.idle_timeout_ms);

  IceServers ice;
  if (auto problem = load_turn_secret(o, ice)) {
    std::cerr << "mentorlink-server: " << *problem << ".\n";
    return 2;
  }

  for (const auto& [path, what] : {std::pair{o.net.cert_file, "certificate"}, std::pair{o.net.key_file, "key"}}) {
    if (!std::filesystem::exists(path)) {
      std::cerr << "mentorlink-server: no TLS " << what << " at " << path << ".\n"
                << "Make a development certificate with:  certs/make-dev-certs.sh\n"
                << "or pass your own with --cert FILE --key FILE.\n";
      return 2;
    }
  }

  Metrics metrics;
  SystemClock clock;
  Hub hub;
  std::unique_ptr<Store> store;
  try {
    store = open_store(o.store_url, o.data_dir, &metrics,
                       o.sync == "full" ? Durability::full : Durability::unsafe_no_sync, o.limits.quotas);
  } catch (const std::exception& e) {
    std::cerr << "mentorlink-server: " << e.what() << "\n";
    return 1;
  }
  std::unique_ptr<bus::Bus> node_bus = std::make_unique<bus::LocalBus>();
  if (!o.bus.empty()) node_bus = std::make_unique<bus::RedisBus>(*bus::parse_redis_url(o.bus));
  AddressLimiter address_limiter(o.limits.max_connections_per_address, o.limits.auth_attempts_per_address_per_minute);
  ServerContext context{*store, clock, hub, metrics, o.limits, address_limiter};
  api::Dispatcher dispatcher(context);
  hub.set_bus(node_bus.get());
  api::BusReceiver receiver(context, *node_bus);
  receiver.start();
  try {
    NetServer net(o.net, context, dispatcher);
    // Declared after net, so it is drained (every batched request answered) before net goes.
    api::CommitBatcher batcher(context, dispatcher, o.limits.max_commit_batch);
    context.batcher = &batcher;
    context.ice = std::move(ice);
    context.app_origins = o.app_origins.empty() ? default_app_origins(o.net.listen_address, net.port()) : o.app_origins;
    if (context.app_origins.empty()) {
      spdlog::warn("event=no_app_origin reason=\"listening on a wildcard address; web logins need --app-origin\"");
    }
    spdlog::info("event=started listen={} port={} data={} store={} bus={} node={}", o.net.listen_address, net.port(),
                 o.data_dir, store_description(o.store_url, o.data_dir), o.bus.empty() ? "local" : o.bus,
                 node_bus->node());
    std::cout << "mentorlink-server listening on wss://" << o.net.listen_address << ":" << net.port()
              << wire::kWebSocketPath << std::endl;
    for (const auto& origin : context.app_origins) std::cout << "web app at " << origin << "/app/" << std::endl;
    net.run();
  } catch (const std::exception& e) {
    std::cerr << "mentorlink-server: " << e.what() << "\n";
    node_bus.reset();  // its thread calls the receiver, which goes first
    return 1;
  }
  node_bus.reset();  // no poke is handled after this
  hub.set_bus(nullptr);
  store.reset();  // closes the database; every acknowledged write was already durable at COMMIT
  spdlog::info("event=stopped");
  return 0;
}

int bootstrap(const BootstrapOptions& o) {
  setup_logging("warn");
  try {
    const auto store = open_store(o.store_url, o.data_dir, nullptr, Durability::full, Quotas{});
    SystemClock clock;
    auto issued = issue_bootstrap_invite(*store, clock, o.name, o.valid_days);
    if (!issued.is_ok()) {
      std::cerr << "mentorlink-server bootstrap: " << issued.status().message() << "\n";
      return 1;
    }
    std::cout << "Created a one-time invite for coordinator \"" << o.name << "\" (valid for " << o.valid_days
              << " days).\n\n"
              << "  invite code: " << issued.value().code << "\n\n"
              << "Give it to them over a trusted channel. On their own machine they enrol with:\n\n"
              << "  mentorlink enroll --server wss://localhost:8443 --ca certs/dev/ca.crt \\\n"
              << "    --invite " << issued.value().code << " --name \"" << o.name << "\"\n";
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "mentorlink-server bootstrap: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace

int run_server_app(int argc, char** argv) {
  CLI::App app{"mentorlink-server: end-to-end encrypted mentoring sessions over TLS 1.3"};
  app.set_version_flag("--version", std::string("mentorlink-server ") + MENTORLINK_VERSION);
  app.require_subcommand(0, 1);

  ServeOptions serve_opts;
  auto add_serve_options = [&serve_opts](CLI::App& a) {
    a.add_option("--data", serve_opts.data_dir, "data folder holding the SQLite store")->capture_default_str();
    a.add_option("--store", serve_opts.store_url,
                 "PostgreSQL store instead of SQLite: postgresql://USER@HOST:PORT/DATABASE (also postgres://); "
                 "several servers may share one")
        ->check([](const std::string& s) { return check_store_url(s); });
    a.add_option("--listen", serve_opts.net.listen_address, "IP address to listen on")->capture_default_str();
    a.add_option("--port", serve_opts.net.port, "TCP port (0 picks a free one)")->capture_default_str();
    a.add_option("--cert", serve_opts.net.cert_file, "TLS certificate chain (PEM)")->capture_default_str();
    a.add_option("--key", serve_opts.net.key_file, "TLS private key (PEM)")->capture_default_str();
    a.add_option("--threads", serve_opts.net.threads, "I/O threads (0: one per core)")->capture_default_str();
    a.add_option("--app-origin", serve_opts.app_origins,
                 "origin of the web app's pages, e.g. https://mentoring.example.org:8443 (repeatable; default "
                 "https://LISTEN:PORT, and https://localhost:PORT on loopback)")
        ->check([](const std::string& s) { return check_app_origin(s); });
    a.add_option("--bus", serve_opts.bus,
                 "cross-node notifications for several nodes on one shared store: redis://HOST:PORT "
                 "(default: this node alone)")
        ->check([](const std::string& s) {
          return bus::parse_redis_url(s) ? std::string() : std::string("--bus takes redis://HOST:PORT");
        });
    a.add_option("--stun", serve_opts.stun_urls, "STUN server for calls, e.g. stun:turn.example.org:3478 (repeatable)")
        ->check([](const std::string& s) { return check_ice_url(s, {"stun:", "stuns:"}); });
    a.add_option("--turn-url", serve_opts.turn_urls,
                 "TURN server for calls, e.g. turn:turn.example.org:3478?transport=udp (repeatable; needs the secret)")
        ->check([](const std::string& s) { return check_ice_url(s, {"turn:", "turns:"}); });
    a.add_option("--turn-secret-file", serve_opts.turn_secret_file,
                 std::string("file whose first line is the TURN server's static-auth-secret (or set ") + kTurnSecretEnv +
                     ")");
    a.add_option("--turn-credential-ttl", serve_opts.turn_credential_ttl_s,
                 "seconds a minted TURN credential stays valid")
        ->check(CLI::Range(std::int64_t{60}, kMaxTurnCredentialTtlSeconds))
        ->capture_default_str();
    a.add_option("--log-level", serve_opts.log_level, "trace, debug, info, warn, error")
        ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "critical", "off"}))
        ->capture_default_str();
    a.add_option("--max-message-bytes", serve_opts.limits.max_message_bytes,
                 "largest WebSocket message; larger closes with 1009")
        ->check(CLI::Range(std::size_t{1024}, std::size_t{64} << 20))
        ->capture_default_str();
    a.add_option("--handshake-timeout-ms", serve_opts.handshake_timeout_ms,
                 "deadline for TLS handshake and upgade request (default 10000)")
        ->check(CLI::Range(std::int64_t{100}, std::int64_t{600'000}));
    a.add_option("--idle-timeout-ms", serve_opts.idle_timeout_ms,
                 "idle WebSocket: pinged at half, closed at this (default 60000)")
        ->check(CLI::Range(std::int64_t{200}, std::int64_t{3'600'000}));
    a.add_option("--max-outbound-queue", serve_opts.limits.max_outbound_queue,
                 "frames queued for one slow reader before it is disconnected")
        ->check(CLI::Range(std::size_t{8}, std::size_t{1} << 20))
        ->capture_default_str();
    a.add_option("--max-auth-failures", serve_opts.limits.max_auth_failures_per_connection,
                 "failed login/enroll attempts before a connection is closed")
        ->check(CLI::Range(1, 1000))
        ->capture_default_str();
    a.add_option("--max-connections", serve_opts.limits.max_connections, "simultaneous connections")
        ->check(CLI::Range(std::size_t{1}, std::size_t{10'000'000}))
        ->capture_default_str();
    a.add_option("--max-connections-per-address", serve_opts.limits.max_connections_per_address,
                 "simultaneous connections from one IP address")
        ->check(CLI::Range(std::size_t{1}, std::size_t{10'000'000}))
        ->capture_default_str();
    a.add_option("--max-commit-batch", serve_opts.limits.max_commit_batch,
                 "message.send/ack and document.write requests committed together in one transaction (group commit)")
        ->check(CLI::Range(std::size_t{1}, std::size_t{1} << 16))
        ->capture_default_str();
    a.add_option("--max-versions-per-document", serve_opts.limits.max_versions_per_document,
                 "versions one document may have (quota_exceeded beyond)")
        ->check(CLI::Range(std::int64_t{1}, std::int64_t{wire::kMaxDocumentVersion}))
        ->capture_default_str();
    a.add_option("--max-documents-per-pair", serve_opts.limits.max_documents_per_pair,
                 "documents one pair may have (quota_exceeded beyond)")
        ->check(CLI::Range(std::int64_t{1}, std::int64_t{1'000'000'000}))
        ->capture_default_str();
    a.add_option("--sync", serve_opts.sync,
                 "full: every acknowledged write is on disk; off: benchmark reference only, a power cut "
                 "can lose acknowledged writes")
        ->check(CLI::IsMember({"full", "off"}))
        ->capture_default_str();
    a.add_option("--auth-attempts-per-minute", serve_opts.limits.auth_attempts_per_address_per_minute,
                 "login/enroll attempts per IP address per minute")
        ->check(CLI::Range(std::size_t{1}, std::size_t{10'000'000}))
        ->capture_default_str();
    auto& quotas = serve_opts.limits.quotas;
    a.add_option("--max-devices-per-member", quotas.max_devices_per_member,
                 "quota: device ids under which one member may publish keys")
        ->check(CLI::Range(std::int64_t{1}, wire::kMaxDeviceId))
        ->capture_default_str();
    a.add_option("--max-one-time-prekeys-per-device", quotas.max_one_time_prekeys_per_device,
                 "quota: one-time prekeys stored for one device")
        ->check(CLI::Range(std::int64_t{1}, std::int64_t{1'000'000}))
        ->capture_default_str();
    a.add_option("--max-meetings-per-pair", quotas.max_meetings_per_pair, "quota: meetings of one pair, any status")
        ->check(CLI::Range(std::int64_t{1}, std::int64_t{10'000'000}))
        ->capture_default_str();
    a.add_option("--max-pending-envelopes-per-pair", quotas.max_pending_envelopes_per_pair,
                 "quota: unacknowledged envelopes for one member in one pair")
        ->check(CLI::Range(std::int64_t{1}, std::int64_t{100'000'000}))
        ->capture_default_str();
    a.add_option("--one-time-prekey-interval-ms", quotas.one_time_prekey_interval_ms,
                 "keys.fetch hands one requester at most one one-time prekey per pair in this interval (0: no limit)")
        ->check(CLI::Range(std::int64_t{0}, std::int64_t{30} * 24 * 60 * 60 * 1000))
        ->capture_default_str();
  };
  add_serve_options(app);
  auto* serve_cmd = app.add_subcommand("serve", "run the server (the default)");
  add_serve_options(*serve_cmd);

  BootstrapOptions boot;
  auto* boot_cmd = app.add_subcommand("bootstrap", "create the first coordinator and print their one-time invite");
  boot_cmd->add_option("--data", boot.data_dir, "data folder holding the SQLite store")->capture_default_str();
  boot_cmd->add_option("--store", boot.store_url, "PostgreSQL store instead of SQLite (as for serve)")
      ->check([](const std::string& s) { return check_store_url(s); });
  boot_cmd->add_option("--name", boot.name, "the coordinator's display name")
      ->required()
      ->check([](const std::string& s) {
        return (s.empty() || s.size() > wire::kMaxDisplayNameBytes) ? std::string("name must be 1-100 bytes")
                                                                     : std::string();
      });
  boot_cmd->add_option("--valid-days", boot.valid_days, "days until the invite expires")
      ->check(CLI::Range(std::int64_t{1}, wire::kMaxInviteDays))
      ->capture_default_str();

  auto* hash_cmd = app.add_subcommand("app-hash", "print the SHA-256 of the web app bundle this server serves at /app/");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  if (*boot_cmd) return bootstrap(boot);
  if (*hash_cmd) {
    std::cout << web_app::bundle_sha256() << "\n";
    return 0;
  }
  return serve(serve_opts);
}

}  // namespace mentorlink::server
