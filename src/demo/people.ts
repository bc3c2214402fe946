import { person } from "./tracked.js";

/** The demo's contributors: several organisations, one webmail address. */
export const alice = person("Alice Chen", "alice.chen@microsoft.com");
export const bob = person("Bob Okafor", "bob.okafor@nvidia.com");
export const carol = person("Carol Díaz", "carol.diaz@amd.com");
export const dan = person("Dan Kowalski", "dan.kowalski@intel.com");
export const erin = person("Erin Levi", "erin.levi@habana.ai");
export const frank = person("Frank Moreau", "frank.moreau@gmail.com");
export const publisher = person("SW publisher", "sw-publisher@habana.ai");
export const npuDev = person("Hui Zhang", "hui.zhang@huawei.com");
