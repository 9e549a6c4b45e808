#pragma once
// Running the real binaries from tests: one-shot commands with captured output, and long-lived
// children (the server) whose stdout can be read line by line.

#include <sys/types.h>

#include <cstdio>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace mentorlink::test {

struct ProcessResult {
  int exit_code = -1;  // 128 + signal if killed by one
  std::string out;
  std::string err;
};

using Environment = std::map<std::string, std::string>;

// Runs program to completion. env entries are added to (or replace) the test's own environment.
ProcessResult run_process(const std::string& program, const std::vector<std::string>& args,
                          const Environment& env = {});

class ChildProcess {
 public:
  // Starts program with stdout on a pipe (read_line) and stderr appended to stderr_file.
  ChildProcess(const std::string& program, const std::vector<std::string>& args,
               const std::filesystem::path& stderr_file, const Environment& env = {}, bool stdin_pipe = false);
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // Next line of stdout without its newline; nullopt at end of file (the child closed stdout).
  std::optional<std::string> read_line();
  // Sends signal and waits; returns the exit code as ProcessResult::exit_code describes.
  int stop(int signal);
  // Waits for the child to exit by itself.
  int wait();
  // With stdin_pipe: what the child reads on stdin, and its end of file.
  void write_stdin(const std::string& text);
  void close_stdin();
  bool running() const { return pid_ > 0; }
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
  FILE* stdout_ = nullptr;
  int stdin_ = -1;
};

}  // namespace mentorlink::test
