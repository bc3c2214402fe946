import { describe, expect, it } from "vitest";
import { elephantFactor, hhi, orgConcentration, topShares } from "../../src/analyzers/community/metrics.js";

/** Rules of the concentration metrics, each tried on both sides of its boundary. */
describe("concentration metrics: rules", () => {
  it("nothing to count gives 0 for every metric, never NaN (all-zero counts included)", () => {
    expect([elephantFactor([0, 0]), hhi([0, 0]), topShares([0, 0]), elephantFactor([]), hhi([]), topShares([])]).toEqual([0, 0, { top1: 0, top2: 0 }, 0, 0, { top1: 0, top2: 0 }]);
    // One contribution is something to count.
    expect([elephantFactor([0, 1]), hhi([0, 1]), topShares([0, 1])]).toEqual([1, 1, { top1: 1, top2: 1 }]);
  });

  it("the order of the counts does not matter: entities are taken largest first", () => {
    expect(elephantFactor([10, 10, 10, 70])).toBe(1);
    expect(elephantFactor([70, 10, 10, 10])).toBe(1);
    expect(elephantFactor([10, 20, 30, 40])).toBe(2); // 40+30 >= 50, 40 alone is not
    expect(topShares([10, 60, 30])).toEqual({ top1: 0.6, top2: 0.9 });
  });

  it("one entity at exactly half reaches the threshold, even when fractional co-author credit rounds the sum below it", () => {
    // p/3 + (p+17)/7 is exactly half of the total; in floating point the sum of all three is a hair above twice it.
    const p = 1000009;
    const counts = [p / 3, p / 3 + (p + 17) / 7, (p + 17) / 7];
    expect(elephantFactor(counts)).toBe(1);
    expect(elephantFactor([50, 49, 1])).toBe(1);
    expect(elephantFactor([49, 48, 3])).toBe(2);
  });

  it("the worst case folds every unknown contribution into the largest known organisation, whatever order they come in", () => {
    // Sorted: 40 is the largest; unknowns (20) join it: 60 of 100. Unsorted reading would give 10+20=30.
    expect(orgConcentration([10, 40, 30], [12, 8])).toEqual({
      elephantFactor: { best: 2, worst: 1 },
      top1Share: { best: 0.4, worst: 0.6 },
      top2Share: { best: 0.7, worst: 0.9 },
      hhi: { best: 0.2808, worst: 0.46 }, // 0.01+0.16+0.09+0.0144+0.0064; 0.36+0.09+0.01
    });
  });

  it("with no known organisation the unknowns form one in the worst case; with nothing at all every metric is 0", () => {
    expect(orgConcentration([], [5, 5])).toEqual({
      elephantFactor: { best: 1, worst: 1 },
      top1Share: { best: 0.5, worst: 1 },
      top2Share: { best: 1, worst: 1 },
      hhi: { best: 0.5, worst: 1 },
    });
    const none = { best: 0, worst: 0 };
    expect(orgConcentration([], [])).toEqual({ elephantFactor: none, top1Share: none, top2Share: none, hhi: none });
  });
});
