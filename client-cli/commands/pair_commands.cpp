// pair create, pairs, pair end
#include <ostream>

#include "client-cli/commands/commands.h"
#include "client-cli/commands/member_session.h"

namespace mentorlink::client::commands {
namespace json = boost::json;

namespace {

std::string person(const json::value& p) {
  return std::string(p.at("name").as_string()) + " (" + std::to_string(p.at("id").as_int64()) + ")";
}

void print_pair_line(std::ostream& out, std::string_view verb, const json::object& pair) {
  out << verb << " pair " << pair.at("id").as_int64() << ": " << person(pair.at("mentor")) << " mentors "
      << person(pair.at("mentee")) << ".\n";
}

}  // namespace

int pair_create(Context& ctx, const PairCreateOptions& options) {
  return run_as_member(
      ctx,
      [&](Connection& c) -> Result<json::object> {
        auto programme = resolve_programme(c, options.programme);
        if (!programme.is_ok()) return programme.status();
        auto mentor = resolve_member(c, programme.value(), options.mentor, "mentor");
        if (!mentor.is_ok()) return mentor.status();
        auto mentee = resolve_member(c, programme.value(), options.mentee, "mentee");
        if (!mentee.is_ok()) return mentee.status();
        json::object body;
        body["programme"] = programme.value();
        body["mentor"] = mentor.value();
        body["mentee"] = mentee.value();
        return c.request("pair.create", std::move(body));
      },
      [&ctx](const json::object& result) { print_pair_line(ctx.output.out, "Formed", result.at("pair").as_object()); });
}

int pairs(Context& ctx, std::optional<std::int64_t> programme) {
  return run_as_member(
      ctx,
      [&](Connection& c) {
        json::object body;
        if (programme) body["programme"] = *programme;
        return c.request("pair.list", std::move(body));
      },
      [&ctx](const json::object& result) {
        std::vector<std::vector<std::string>> rows{{"PAIR", "PROGRAMME", "MENTOR", "MENTEE", "STATUS", "FORMED", "YOU"}};
        for (const auto& p : result.at("pairs").as_array()) {
          const auto& you = p.at("your_role");
          rows.push_back({std::to_string(p.at("id").as_int64()), std::to_string(p.at("programme").as_int64()),
                          person(p.at("mentor")), person(p.at("mentee")), std::string(p.at("status").as_string()),
                          format_time(p.at("formed_at").as_int64()),
                          you.is_string() ? std::string(you.as_string()) : std::string("-")});
        }
        if (rows.size() == 1) {
          ctx.output.out << "No pairs yet.\n";
        } else {
          ctx.output.out << format_table(rows);
        }
      });
}

int pair_end(Context& ctx, std::int64_t pair) {
  return run_as_member(
      ctx,
      [&](Connection& c) {
        json::object body;
        body["pair"] = pair;
        return c.request("pair.end", std::move(body));
      },
      [&ctx](const json::object& result) { print_pair_line(ctx.output.out, "Ended", result.at("pair").as_object()); });
}

}  // namespace mentorlink::client::commands
