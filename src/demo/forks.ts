import { GAUDI_RELEASES } from "./gaudi.js";
import { carol, publisher } from "./people.js";
import { ROCM_COMMITS } from "./rocm.js";
import { at, TrackedBuilder } from "./tracked.js";
import { buildUpstream } from "./upstream.js";

/**
 * The Gaudi fork repository, in the HabanaAI style: release branches of one
 * squashed commit each on a stale upstream base, and an old copy of upstream.
 */
export function buildGaudiFork(): TrackedBuilder {
  const tb = new TrackedBuilder();
  const up = buildUpstream(tb, { branch: "upstream-main", until: "2025-01-01" });
  for (const r of GAUDI_RELEASES) {
    const base = up.asOf(r.baseDay);
    tb.b.branch(r.branch, base);
    tb.commit(r.branch, `TensorForge content for ${r.branch}`, publisher(r.dropDay), r.apply);
  }
  return tb;
}

/**
 * The ROCm fork: six small commits kept on top of upstream. `rocm-main-old`
 * is the work as first written on an older base; `rocm-main` is the same work
 * rebased onto a recent upstream commit (author dates kept, as git rebase does).
 */
export function buildRocmFork(): TrackedBuilder {
  const tb = new TrackedBuilder();
  const up = buildUpstream(tb, { branch: "upstream-main", until: "2025-03-31" });
  const days = ["2024-10-03", "2024-10-04", "2024-10-08", "2024-10-09", "2024-10-15", "2024-10-16"];
  tb.b.branch("rocm-main-old", up.asOf("2024-10-01"));
  ROCM_COMMITS.forEach((c, i) => tb.commit("rocm-main-old", c.subject, carol(days[i]!), c.apply));
  tb.b.branch("rocm-main", up.asOf("2025-03-01"));
  ROCM_COMMITS.forEach((c, i) => tb.commit("rocm-main", c.subject, carol(days[i]!), c.apply, { committer: { ...carol(days[i]!), date: at(`2025-03-${String(3 + i).padStart(2, "0")}`) } }));
  return tb;
}
