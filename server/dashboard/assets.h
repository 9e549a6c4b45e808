#pragma once
// The dashboard's page, script and style sheet (server/dashboard/assets/), compiled in by
// cmake/Embed.cmake: the server serves every byte itself, from no other host.

#include <string_view>

namespace mentorlink::server::dashboard {

std::string_view asset_index_html();
std::string_view asset_app_js();
std::string_view asset_app_css();
std::string_view asset_favicon_svg();

}  // namespace mentorlink::server::dashboard
