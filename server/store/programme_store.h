#pragma once
// Programmes, who is enrolled in them, their settings and their contract templates.

#include <string>
#include <vector>

#include "protocol/wire/status.h"
#include "server/store/records.h"

namespace mentorlink::server {

class ProgrammeStore {
 public:
  virtual ~ProgrammeStore() = default;

  // A new programme with the default settings; enrols no one.
  virtual wire::Result<ProgrammeRecord> insert_programme(const std::string& name, const std::string& purpose,
                                                         MemberId creator, TimeMs now) = 0;
  virtual wire::Result<ProgrammeRecord> programme_by_id(ProgrammeId id) = 0;
  virtual wire::Result<std::vector<ProgrammeRecord>> programmes_of_member(MemberId member) = 0;
  // Changes the settings that are set; returns the programme as it is afterwards.
  virtual wire::Result<ProgrammeRecord> update_programme(ProgrammeId programme, const ProgrammeSettings& settings) = 0;

  // enrolment.display_name is ignored (it is the member's).
  virtual wire::Status insert_enrolment(const EnrolmentRecord& enrolment) = 0;
  // not_found when the member is not enrolled in the programme.
  virtual wire::Result<EnrolmentRecord> enrolment(ProgrammeId programme, MemberId member) = 0;
  virtual wire::Result<std::vector<EnrolmentRecord>> enrolments_in(ProgrammeId programme) = 0;

  // Version 1 of a new name, or the next version of an existing one.
  virtual wire::Result<TemplateRecord> publish_template(ProgrammeId programme, const TemplateDraft& draft, MemberId by,
                                                        TimeMs now) = 0;
  // The newest version of each template name in the programme, by name.
  virtual wire::Result<std::vector<TemplateRecord>> latest_templates(ProgrammeId programme) = 0;
  virtual wire::Result<TemplateRecord> template_by_id(TemplateId id) = 0;
};

}  // namespace mentorlink::server
