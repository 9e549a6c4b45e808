#pragma once
// The web app's page, style sheet (server/app_assets/), icon and bundle (web/, built into
// <build>/web/app.js), compiled in by cmake/Embed.cmake at build time.

#include <string_view>

namespace mentorlink::server::web_app {

std::string_view asset_index_html();
std::string_view asset_app_js();
std::string_view asset_app_js_gzip();  // the same bundle, gzip-compressed at build time
std::string_view asset_call_worker_js();  // the call's frame worker (web/src/client/call_worker.js)
std::string_view asset_app_css();
std::string_view asset_favicon_svg();  // the dashboard's icon

}  // namespace mentorlink::server::web_app
