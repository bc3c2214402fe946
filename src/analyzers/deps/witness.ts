import { clean, compare, satisfies, valid } from "@renovatebot/pep440";

const PRE_RELEASE = /\d(?:a|b|rc|alpha|beta|c|pre|preview|dev)\d*/i;

/**
 * `satisfies` with PEP 440's rule for local versions: `==1.0+cu118` admits
 * only that local version and `!=1.0+cu118` excludes only it
 * (@renovatebot/pep440 compares them as if the local label were absent, which
 * would hide exactly the CUDA/ROCm build clashes this tool looks for).
 * Pre-releases count when the caller allows them or a clause names one.
 */
export function admits(version: string, specifier: string, opts: { prereleases?: boolean } = {}): boolean {
  const prereleases = opts.prereleases === true || PRE_RELEASE.test(specifier);
  const exact = (v: string) => (clean(version) ?? version) === (clean(v) ?? v);
  return specifier
    .split(",")
    .map((c) => c.trim())
    .filter(Boolean)
    .every((clause) => {
      const local = /^(==|!=)\s*([^\s*]+\+\S+)$/.exec(clause);
      if (local) return local[1] === "==" ? exact(local[2]!) : !exact(local[2]!);
      return satisfies(version, clause, { prereleases });
    });
}

/**
 * A version that satisfies every PEP 440 specifier set given, or null when
 * their intersection is empty — the question "can these two pins live in one
 * environment?" (@renovatebot/pep440 has no range intersection).
 *
 * Why candidates suffice: each clause (==, !=, <, <=, >, >=, ~=, ===, and
 * ==X.* wildcards) bounds the feasible set at a version it names, so the set
 * is a union of intervals whose ends are named versions. A non-empty set then
 * holds a named version, or a version just above one (inside an open
 * interval). We try every named version and the next version at each of its
 * release segments (2.4.1 -> 3, 2.5, 2.4.2), then a version just above it
 * (2.4.1.0.0.1, between 2.4.1 and anything greater). The witness returned is
 * the lowest candidate that fits, the least surprising one to read.
 * Pre-releases count only when a specifier names one (PEP 440's default).
 */
export function witness(specifiers: readonly string[]): string | null {
  const sets = specifiers.filter((s) => s.trim() !== "");
  if (sets.length === 0) return null;
  // Named versions and next versions read naturally as witnesses; the "just above" ones are a fallback.
  const candidates = new Set<string>();
  const above = new Set<string>();
  for (const set of sets) {
    for (const m of set.matchAll(/(?:~=|===|==|!=|<=|>=|<|>)\s*([^\s,;]+)/g)) {
      const named = m[1]!.replace(/\.\*$/, "");
      if (!valid(named)) continue;
      candidates.add(named);
      // The epoch (N!) stays on every derived candidate: 1!2.1 is above 1!2.0, a bare 2.1 is below it.
      const parts = /^(?:(\d+)!)?(\d+(?:\.\d+)*)/.exec(named);
      const epoch = parts?.[1] !== undefined ? `${parts[1]}!` : "";
      const release = parts?.[2]?.split(".").map(Number) ?? [];
      for (let i = 0; i < release.length; i++) candidates.add(epoch + [...release.slice(0, i), release[i]! + 1].join("."));
      above.add(`${epoch}${release.join(".")}.0.0.1`);
    }
  }
  const prereleases = sets.some((s) => PRE_RELEASE.test(s));
  for (const pool of [candidates, above]) {
    const fits = [...pool].filter((v) => sets.every((s) => admits(v, s, { prereleases })));
    if (fits.length) return fits.sort(compare)[0]!;
  }
  return null;
}
