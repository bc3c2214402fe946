import { person } from "./tracked.js";

/**
 * The demo's contributors: several organisations, one webmail address, an
 * employer change (Dan moves from Intel to AMD in 2025 and commits from his
 * new address), and an automation account.
 */
export const alice = person("Alice Chen", "alice.chen@microsoft.com");
export const bob = person("Bob Okafor", "bob.okafor@nvidia.com");
export const carol = person("Carol Díaz", "carol.diaz@amd.com");
export const dan = person("Dan Kowalski", "dan.kowalski@intel.com");
export const danAtAmd = person("Dan Kowalski", "dan.kowalski@amd.com");
/** The day Dan's AMD address replaces his Intel one. */
export const DAN_MOVES = "2025-01-01";
export const precommitBot = person("pre-commit-ci[bot]", "66853113+pre-commit-ci[bot]@users.noreply.github.com");
export const erin = person("Erin Levi", "erin.levi@habana.ai");
export const frank = person("Frank Moreau", "frank.moreau@gmail.com");
export const publisher = person("SW publisher", "sw-publisher@habana.ai");
export const npuDev = person("Hui Zhang", "hui.zhang@huawei.com");
