import { parse as parseToml } from "smol-toml";

/**
 * Requirements declared in a Python project's files, read statically
 * (requirements*.txt, constraints*.txt, pyproject.toml, literal lists in
 * setup.py). Nothing is executed: a setup.py whose list is computed yields a
 * warning, not a guess.
 */
export interface Requirement {
  /** PEP 503 normalised name. */
  name: string;
  /** PEP 440 specifier set as written, "" for any version. */
  specifier: string;
  /** File (path in the repository) that declares it. */
  file: string;
  /** PEP 508 environment marker, "" if none. */
  marker: string;
  /** Extras requested of the dependency, e.g. ["torch"] for `pkg[torch]`. */
  extras: string[];
  /** The optional-dependency group (pyproject) this belongs to, if any. */
  group?: string;
  /** A direct URL reference (`name @ url`), if any. */
  url?: string;
}

export function normaliseName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, "-");
}

const PEP508 = /^([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(?:\[([^\]]*)\])?\s*(?:@\s*([^\s;]+))?\s*\(?\s*([^;()]*?)\s*\)?\s*(?:;\s*(.*))?$/;

/** One PEP 508 requirement string, or null when it is not one. */
export function parseRequirement(text: string, file: string, group?: string): Requirement | null {
  const m = PEP508.exec(text.trim());
  if (!m) return null;
  const [, name = "", extras, url, spec = "", marker = ""] = m;
  // A version never starts with an operator character: `>=` alone is not `>` with version "=".
  if (spec && !/^(?:[<>=!~]=?|===)\s*[^\s,<>=!~][^\s,]*(?:\s*,\s*(?:[<>=!~]=?|===)\s*[^\s,<>=!~][^\s,]*)*$/.test(spec)) return null;
  return {
    name: normaliseName(name),
    specifier: spec.replace(/\s+/g, ""),
    file,
    marker: marker.trim(),
    extras: extras ? extras.split(",").map((e) => e.trim()).filter(Boolean) : [],
    ...(group ? { group } : {}),
    ...(url ? { url } : {}),
  };
}

export interface ParsedFile {
  requirements: Requirement[];
  /** Other requirement files this one pulls in (`-r` / `-c`), as repository paths. */
  includes: string[];
  warnings: string[];
}

/** requirements*.txt / constraints*.txt: one requirement a line, `-r`/`-c` includes, options skipped. */
export function parseRequirementsTxt(text: string, file: string): ParsedFile {
  const out: ParsedFile = { requirements: [], includes: [], warnings: [] };
  const dir = file.includes("/") ? file.slice(0, file.lastIndexOf("/") + 1) : "";
  // Join backslash continuations, keeping each logical line's first line number.
  const lines: { text: string; no: number }[] = [];
  let pending: { text: string; no: number } | null = null;
  // Lines end where pip's `str.splitlines()` ends them: a lone CR (old Mac files), form feed or
  // Unicode line separator too, so a comment never swallows the requirement after such a break.
  text.split(/\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/).forEach((l, i) => {
    const cont = l.endsWith("\\");
    const piece = cont ? l.slice(0, -1) : l;
    pending = pending ? { text: pending.text + " " + piece, no: pending.no } : { text: piece, no: i + 1 };
    if (!cont) {
      lines.push(pending);
      pending = null;
    }
  });
  if (pending) lines.push(pending);
  lines.forEach(({ text: raw, no }) => {
    const line = raw.replace(/(^|\s)#.*$/, "").trim();
    if (!line) return;
    const inc = /^(?:-r|--requirement|-c|--constraint)\s*=?\s*(\S+)$/.exec(line);
    if (inc) {
      out.includes.push(joinPath(dir, inc[1]!));
      return;
    }
    if (line.startsWith("-") || /^(?:https?:|git\+|file:)/.test(line) || line.startsWith(".")) return; // pip options, bare URLs, local paths
    const r = parseRequirement(line, file);
    if (r) out.requirements.push(r);
    else out.warnings.push(`${file}:${no}: not a requirement: ${line.slice(0, 80)}`);
  });
  return out;
}

function joinPath(dir: string, rel: string): string {
  const parts = (dir + rel).split("/");
  const out: string[] = [];
  for (const p of parts) {
    if (p === "..") out.pop();
    else if (p !== "." && p !== "") out.push(p);
  }
  return out.join("/");
}

/** pyproject.toml: [project] dependencies and optional-dependencies (PEP 621). */
export function parsePyproject(text: string, file: string): ParsedFile {
  const out: ParsedFile = { requirements: [], includes: [], warnings: [] };
  let doc: Record<string, unknown>;
  try {
    doc = parseToml(text);
  } catch (e) {
    out.warnings.push(`${file}: invalid TOML (${e instanceof Error ? e.message.split("\n")[0] : String(e)})`);
    return out;
  }
  const project = (doc.project ?? {}) as Record<string, unknown>;
  const add = (list: unknown, group?: string) => {
    if (!Array.isArray(list)) return;
    for (const item of list) {
      const r = typeof item === "string" ? parseRequirement(item, file, group) : null;
      if (r) out.requirements.push(r);
      else out.warnings.push(`${file}: not a requirement: ${JSON.stringify(item).slice(0, 80)}`);
    }
  };
  add(project.dependencies);
  const optional = project["optional-dependencies"];
  if (optional && typeof optional === "object") for (const [g, list] of Object.entries(optional)) add(list, g);
  if (Array.isArray(project.dynamic) && project.dynamic.includes("dependencies")) {
    out.warnings.push(`${file}: dependencies are dynamic (computed at build time); read from the files it names, if any`);
  }
  return out;
}

/**
 * setup.py: the literal list given to `install_requires=` (strings only). A
 * name or a call there is left alone with a warning: Steward never runs it.
 */
export function parseSetupPy(text: string, file: string): ParsedFile {
  const out: ParsedFile = { requirements: [], includes: [], warnings: [] };
  const m = /install_requires\s*=\s*/.exec(text);
  if (!m) return out;
  const rest = text.slice(m.index + m[0].length);
  if (!rest.startsWith("[")) {
    out.warnings.push(`${file}: install_requires is not a literal list; not evaluated`);
    return out;
  }
  const end = closingBracket(rest);
  const body = end === -1 ? rest : rest.slice(1, end);
  const strings = [...body.matchAll(/(["'])((?:\\.|(?!\1).)*)\1/g)].map((s) => s[2]!);
  const leftover = body.replace(/(["'])(?:\\.|(?!\1).)*\1/g, "").replace(/#.*$/gm, "").replace(/[\s,]/g, "");
  if (leftover) out.warnings.push(`${file}: install_requires mixes literals with expressions; only the literals were read`);
  for (const s of strings) {
    const r = parseRequirement(s, file);
    if (r) out.requirements.push(r);
    else out.warnings.push(`${file}: not a requirement: ${s.slice(0, 80)}`);
  }
  return out;
}

/** Index of the `]` closing the list `text` opens, outside string literals (`"ray[default]"` holds one); -1 if none. */
function closingBracket(text: string): number {
  let quote: string | null = null;
  for (let i = 1; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === "\\") i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === "]") return i;
  }
  return -1;
}

/** Which files of a tree declare requirements. */
export function isRequirementsFile(path: string): "txt" | "pyproject" | "setup" | null {
  const base = path.slice(path.lastIndexOf("/") + 1);
  if (path === "pyproject.toml") return "pyproject";
  if (path === "setup.py") return "setup";
  if (/^(?:requirements|constraints)[\w.-]*\.(?:txt|in)$/i.test(base)) return "txt";
  if (/(?:^|\/)requirements\/[^/]+\.txt$/i.test(path)) return "txt";
  return null;
}
