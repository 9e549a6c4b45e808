#include "server/app/server_app.h"

int main(int argc, char** argv) { return mentorlink::server::run_server_app(argc, argv); }
