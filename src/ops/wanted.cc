#include "ops/wanted.h"

namespace ipres {

Status RecordWanted(const Op& op, bool wanted) {
  Status s = op.host.SetWanted(op.r.tag, wanted);
  if (s.ok()) return s;
  return op.FailedWith(s, "record that %s is %swanted here", op.r.tag, wanted ? "" : "not ");
}

Status AcceptAbandonRequests(const Op& op) {
  Status s = op.host.AcceptAbandonRequests();
  if (s.ok()) return s;
  return op.FailedWith(s, "record the lock holder of %s", op.r.tag);
}

}  // namespace ipres
