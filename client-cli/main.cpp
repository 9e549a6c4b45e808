#include <iostream>

#include "client-cli/app/cli_app.h"

int main(int argc, char** argv) { return mentorlink::client::run_cli_app(argc, argv, std::cout, std::cerr); }
