#include "server/core/programmes.h"

namespace mentorlink::server {
using wire::Result;

Result<ProgrammeRecord> create_programme(Store& store, const std::string& name, const std::string& purpose,
                                         MemberId creator, TimeMs now,
                                         const std::optional<TemplateDraft>& first_template) {
  return all_or_nothing<ProgrammeRecord>(store, [&]() -> Result<ProgrammeRecord> {
    auto programme = store.insert_programme(name, purpose, creator, now);
    if (!programme.is_ok()) return programme;
    const EnrolmentRecord coordinator{programme.value().id, creator, {}, ProgrammeRole::coordinator, now};
    if (auto s = store.insert_enrolment(coordinator); !s.is_ok()) return s;
    if (first_template) {
      if (auto t = store.publish_template(programme.value().id, *first_template, creator, now); !t.is_ok()) {
        return t.status();
      }
    }
    return programme;
  });
}

}  // namespace mentorlink::server
