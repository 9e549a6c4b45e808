// pair create, pairs, pair end
#include <ostream>

#include "client-cli/commands/commands.h"
#include "client-cli/commands/member_session.h"
#include "protocol/wire/messages/pairs.h"

namespace mentorlink::client::commands {
namespace msg = wire::messages;

namespace {

std::string person(const msg::PersonView& p) { return p.name + " (" + std::to_string(p.id) + ")"; }

void print_pair_line(std::ostream& out, std::string_view verb, const msg::PairView& pair) {
  out << verb << " pair " << pair.id << ": " << person(pair.mentor) << " mentors " << person(pair.mentee) << ".\n";
}

}  // namespace

int pair_create(Context& ctx, const PairCreateOptions& options) {
  return run_as_member(
      ctx,
      [&](Connection& c) -> Result<msg::PairResult> {
        auto programme = resolve_programme(c, options.programme);
        if (!programme.is_ok()) return programme.status();
        auto mentor = resolve_member(c, programme.value(), options.mentor, "mentor");
        if (!mentor.is_ok()) return mentor.status();
        auto mentee = resolve_member(c, programme.value(), options.mentee, "mentee");
        if (!mentee.is_ok()) return mentee.status();
        return c.call(msg::PairCreateRequest{programme.value(), mentor.value(), mentee.value()});
      },
      [&ctx](const msg::PairResult& result) { print_pair_line(ctx.output.out, "Formed", result.pair); });
}

int pairs(Context& ctx, std::optional<std::int64_t> programme) {
  return run_as_member(
      ctx, [&](Connection& c) { return c.call(msg::PairListRequest{programme}); },
      [&ctx](const msg::PairListResult& result) {
        std::vector<std::vector<std::string>> rows{{"PAIR", "PROGRAMME", "MENTOR", "MENTEE", "STATUS", "FORMED", "YOU"}};
        for (const auto& p : result.pairs) {
          rows.push_back({std::to_string(p.id), std::to_string(p.programme), person(p.mentor), person(p.mentee), p.status,
                          format_time(p.formed_at), p.your_role.value_or("-")});
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
      ctx, [&](Connection& c) { return c.call(msg::PairEndRequest{pair}); },
      [&ctx](const msg::PairResult& result) { print_pair_line(ctx.output.out, "Ended", result.pair); });
}

}  // namespace mentorlink::client::commands
