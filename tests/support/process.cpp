#include "tests/support/process.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

extern char** environ;

namespace mentorlink::test {
namespace {

std::vector<std::string> merged_environment(const Environment& extra) {
  std::map<std::string, std::string> all;
  for (char** e = environ; *e != nullptr; ++e) {
    std::string kv(*e);
    const auto eq = kv.find('=');
    if (eq != std::string::npos) all[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  for (const auto& [k, v] : extra) all[k] = v;
  std::vector<std::string> out;
  for (const auto& [k, v] : all) out.push_back(k + "=" + v);
  return out;
}

std::vector<char*> pointers(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (auto& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

pid_t spawn(const std::string& program, const std::vector<std::string>& args, const Environment& env,
            posix_spawn_file_actions_t* actions) {
  std::vector<std::string> argv_strings{program};
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  auto argv = pointers(argv_strings);
  auto env_strings = merged_environment(env);
  auto envp = pointers(env_strings);
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, program.c_str(), actions, nullptr, argv.data(), envp.data());
  if (rc != 0) throw std::runtime_error("cannot start " + program + ": " + std::strerror(rc));
  return pid;
}

int wait_for(pid_t pid) {
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return -1;
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

std::string slurp(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

ProcessResult run_process(const std::string& program, const std::vector<std::string>& args, const Environment& env) {
  char out_name[] = "/tmp/mentorlink-out-XXXXXX";
  char err_name[] = "/tmp/mentorlink-err-XXXXXX";
  const int out_fd = mkstemp(out_name);
  const int err_fd = mkstemp(err_name);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out_fd, 1);
  posix_spawn_file_actions_adddup2(&actions, err_fd, 2);
  ProcessResult result;
  try {
    const pid_t pid = spawn(program, args, env, &actions);
    result.exit_code = wait_for(pid);
  } catch (...) {
    posix_spawn_file_actions_destroy(&actions);
    throw;
  }
  posix_spawn_file_actions_destroy(&actions);
  close(out_fd);
  close(err_fd);
  result.out = slurp(out_name);
  result.err = slurp(err_name);
  unlink(out_name);
  unlink(err_name);
  return result;
}

ChildProcess::ChildProcess(const std::string& program, const std::vector<std::string>& args,
                           const std::filesystem::path& stderr_file, const Environment& env, bool stdin_pipe) {
  int pipe_fds[2];
  if (pipe2(pipe_fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  int in_fds[2] = {-1, -1};
  if (stdin_pipe && pipe2(in_fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (stdin_pipe) {
    posix_spawn_file_actions_adddup2(&actions, in_fds[0], 0);
  } else {
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  }
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], 1);
  posix_spawn_file_actions_addopen(&actions, 2, stderr_file.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
  try {
    pid_ = spawn(program, args, env, &actions);
  } catch (...) {
    posix_spawn_file_actions_destroy(&actions);
    close(pipe_fds[0]);
    close(pipe_fds[1]);
    throw;
  }
  posix_spawn_file_actions_destroy(&actions);
  close(pipe_fds[1]);
  stdout_ = fdopen(pipe_fds[0], "r");
  if (stdin_pipe) {
    close(in_fds[0]);
    stdin_ = in_fds[1];
  }
}

void ChildProcess::write_stdin(const std::string& text) {
  std::size_t done = 0;
  while (stdin_ >= 0 && done < text.size()) {
    const ssize_t n = ::write(stdin_, text.data() + done, text.size() - done);
    if (n <= 0) return;
    done += static_cast<std::size_t>(n);
  }
}

void ChildProcess::close_stdin() {
  if (stdin_ >= 0) ::close(stdin_);
  stdin_ = -1;
}

int ChildProcess::wait() {
  if (pid_ <= 0) return -1;
  const int code = wait_for(pid_);
  pid_ = -1;
  return code;
}

ChildProcess::~ChildProcess() {
  close_stdin();
  if (pid_ > 0) stop(SIGKILL);
  if (stdout_ != nullptr) fclose(stdout_);
}

std::optional<std::string> ChildProcess::read_line() {
  std::string line;
  int c = 0;
  while ((c = fgetc(stdout_)) != EOF) {
    if (c == '\n') return line;
    line += static_cast<char>(c);
  }
  if (line.empty()) return std::nullopt;
  return line;
}

int ChildProcess::stop(int signal) {
  if (pid_ <= 0) return -1;
  kill(pid_, signal);
  const int code = wait_for(pid_);
  pid_ = -1;
  return code;
}

}  // namespace mentorlink::test
