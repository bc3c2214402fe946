import type { PyLine } from "./pylex.js";

/**
 * Which CUDA-family vendor a Python line runs for, from the guards around it:
 * a branch under a ROCm test (`if current_platform.is_rocm():`, `if
 * torch.version.hip:`, `if hip:`) runs on AMD; one under a CUDA-only test
 * (`is_cuda()`, which vLLM's platforms answer true on NVIDIA only,
 * `torch.version.cuda`, which is None on ROCm builds) or under a negated ROCm
 * test runs on NVIDIA. Guards are read from `if`/`elif`/`else` branches,
 * decorators of test functions and classes (`@pytest.mark.skipif(not
 * is_cuda())`, `@skipIfRocm`), a module's `pytestmark`, and early exits (`if
 * not is_rocm(): return` / `pytest.skip(...)`) for the rest of their block.
 *
 * Why the lexer's lines and indentation rather than tree-sitter: the scan
 * already holds them for every file it reads, and scopes only need blocks,
 * which indentation gives; only files with a CUDA-family site are walked.
 */
export interface Guard {
  vendor: "amd" | "nvidia";
  /** 1-based line of the guard (the `if`, the decorator, the early exit). */
  line: number;
  /** The guard as written, trimmed. */
  text: string;
}

/** A guard's test, read from a condition: who the guarded code runs for. */
type Test = "rocm" | "not-rocm" | "cuda" | "not-cuda";

// A leading underscore is the same test kept module-private (vLLM's setup.py: `_is_cuda()`, `_is_hip()`).
const ROCM_ATOM = /^(?:[\w.]+\.)?_?(?:is_rocm|is_hip|on_rocm|is_rocm_platform)\(\s*\)$|^(?:[\w.]+\.)?(?:IS_ROCM|IS_HIP|TEST_WITH_ROCM|is_hip|is_rocm|hip|rocm|HIP|ROCM)$|^torch\.version\.hip$/;
const CUDA_ATOM = /^(?:[\w.]+\.)?_?is_cuda\(\s*\)$|^torch\.version\.cuda$/;
const EXIT = /^(?:return\b|raise\b|continue\b|break\b|pytest\.skip\(|self\.skipTest\(|unittest\.skip\(|sys\.exit\()/;

/** Splits `text` at `sep` (a regex matching whole words) where brackets are balanced. */
function splitTop(text: string, sep: RegExp): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "(" || c === "[" || c === "{") depth++;
    else if (c === ")" || c === "]" || c === "}") depth--;
    else if (depth === 0) {
      sep.lastIndex = 0;
      const m = sep.exec(text.slice(i));
      if (m && m.index === 0 && (i === 0 || /\W/.test(text[i - 1]!))) {
        parts.push(text.slice(start, i));
        i += m[0].length - 1;
        start = i + 1;
      }
    }
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim());
}

/** Removes parentheses around the whole expression: `(not is_rocm())` -> `not is_rocm()`. */
function stripParens(s: string): string {
  let t = s.trim();
  while (t.startsWith("(") && closingOf(t, 0) === t.length - 1) t = t.slice(1, -1).trim();
  return t;
}

/** Index of the bracket closing the one at `open`, or -1. */
function closingOf(s: string, open: number): number {
  let d = 0;
  for (let i = open; i < s.length; i++) {
    const c = s[i]!;
    if (c === "(" || c === "[" || c === "{") d++;
    else if ((c === ")" || c === "]" || c === "}") && --d === 0) return i;
  }
  return -1;
}

/** One test of a condition (`not current_platform.is_rocm()`, `torch.version.hip is not None`), or null when it is something else. */
function atomTest(raw: string): Test | null {
  let t = stripParens(raw);
  let negated = false;
  while (/^not\b/.test(t)) {
    negated = !negated;
    t = stripParens(t.slice(3));
  }
  const none = /^(.*?)\s+(is\s+not|is|==|!=)\s+None$/.exec(t);
  if (none) {
    t = stripParens(none[1]!);
    if (none[2] === "is" || none[2] === "==") negated = !negated;
  }
  if (ROCM_ATOM.test(t)) return negated ? "not-rocm" : "rocm";
  if (CUDA_ATOM.test(t)) return negated ? "not-cuda" : "cuda";
  return null;
}

/**
 * What a condition guarantees when true: every test joined by `and` must agree;
 * an `or` guarantees nothing here. A ROCm test or a CUDA-only test says who;
 * `not is_rocm()` leaves NVIDIA for a CUDA-family site; `not is_cuda()` could
 * be any other platform and decides nothing.
 */
export function vendorOfCondition(cond: string, negate = false): "amd" | "nvidia" | null {
  const c = stripParens(cond);
  if (negate) {
    // not (A and B) guarantees nothing about A alone; a single test is negated.
    if (splitTop(c, /^and\b/).length > 1 || splitTop(c, /^or\b/).length > 1) {
      // not (A or B) == not A and not B
      const ors = splitTop(c, /^or\b/);
      if (ors.length > 1) return agree(ors.map((a) => flip(atomTest(a))));
      return null;
    }
    return toVendor(flip(atomTest(c)));
  }
  if (splitTop(c, /^or\b/).length > 1) return null;
  return agree(splitTop(c, /^and\b/).map(atomTest));
}

function flip(t: Test | null): Test | null {
  return t === "rocm" ? "not-rocm" : t === "not-rocm" ? "rocm" : t === "cuda" ? "not-cuda" : t === "not-cuda" ? "cuda" : null;
}

function toVendor(t: Test | null): "amd" | "nvidia" | null {
  return t === "rocm" ? "amd" : t === "not-rocm" || t === "cuda" ? "nvidia" : null;
}

function agree(tests: (Test | null)[]): "amd" | "nvidia" | null {
  const vendors = new Set(tests.map(toVendor).filter((v) => v !== null));
  if (vendors.size !== 1) return null;
  const vendor = [...vendors][0]!;
  // `not is_cuda()` rules NVIDIA out: beside `not is_rocm()` (the else of `if is_cuda() or is_rocm():`) neither vendor is left.
  return vendor === "nvidia" && tests.includes("not-cuda") ? null : vendor;
}

/** The first argument of the call that starts at `open` (the index of its `(`), or null. */
function firstArg(code: string, open: number): string | null {
  let depth = 0;
  for (let i = open; i < code.length; i++) {
    const c = code[i]!;
    if (c === "(" || c === "[" || c === "{") depth++;
    else if (c === ")" || c === "]" || c === "}") {
      depth--;
      if (depth === 0) return code.slice(open + 1, i).replace(/^\s*condition\s*=/, "");
    } else if (c === "," && depth === 1) return code.slice(open + 1, i).replace(/^\s*condition\s*=/, "");
  }
  return null;
}

/** The guard a decorator or `pytestmark = ...` line sets for the code it marks. */
function vendorOfMark(code: string): "amd" | "nvidia" | null {
  if (/@\s*(?:\w+\.)*skipIfRocm\b/.test(code)) return "nvidia";
  const skip = /\b(?:skipif|skipIf)\s*\(/.exec(code);
  if (skip) {
    const arg = firstArg(code, skip.index + skip[0].length - 1);
    // Skipped when the condition holds: the test runs when it does not.
    return arg ? vendorOfCondition(arg, true) : null;
  }
  const unless = /\bskipUnless\s*\(/.exec(code);
  if (unless) {
    const arg = firstArg(code, unless.index + unless[0].length - 1);
    return arg ? vendorOfCondition(arg) : null;
  }
  return null;
}

interface Logical {
  /** 0-based first and last physical line. */
  first: number;
  last: number;
  indent: number;
  /** Code of the logical line, strings blanked, comments removed, physical lines joined by a space. */
  code: string;
}

/** Joins physical lines into Python's logical lines (open brackets, backslashes, multi-line strings). */
function logicalLines(py: PyLine[]): Logical[] {
  const out: Logical[] = [];
  let cur: Logical | null = null;
  let depth = 0;
  let backslash = false;
  for (let i = 0; i < py.length; i++) {
    const l = py[i]!;
    // A string literal that began on an earlier line has its content from column 0.
    const inString = l.strings.some((s) => s.col === 0 && !s.whole);
    if (cur && (depth > 0 || backslash || inString)) {
      cur.last = i;
      // A continuation backslash is not part of the code: `if a and \` + `is_rocm():` reads `a and is_rocm()`.
      cur.code = `${cur.code.replace(/\\\s*$/, "")} ${l.code.trim()}`;
    } else {
      if (cur) out.push(cur);
      cur = l.code.trim() === "" ? null : { first: i, last: i, indent: l.code.length - l.code.trimStart().length, code: l.code.trim() };
      if (!cur) {
        depth = 0;
        backslash = false;
        continue;
      }
    }
    for (const c of l.code) {
      if (c === "(" || c === "[" || c === "{") depth++;
      else if (c === ")" || c === "]" || c === "}") depth = Math.max(0, depth - 1);
    }
    backslash = /\\\s*$/.test(l.code);
  }
  if (cur) out.push(cur);
  return out;
}

/** Index of the colon that ends a compound statement's header (depth 0, not `:=`), or -1. */
function headerColon(code: string): number {
  let depth = 0;
  for (let i = 0; i < code.length; i++) {
    const c = code[i]!;
    if (c === "(" || c === "[" || c === "{") depth++;
    else if (c === ")" || c === "]" || c === "}") depth--;
    else if (c === ":" && depth === 0 && code[i + 1] !== "=") return i;
  }
  return -1;
}

interface Frame {
  /** Indentation of the header; the module is -1. */
  indent: number;
  guard: Guard | null;
  /** Early exits seen so far in this block: they guard what follows them. */
  exits: Guard[];
  /** For an `if` header: its condition, to negate for an `else`. */
  ifCond?: { cond: string; line: number; text: string; chained: boolean };
  /** Whether the block's body is one exit statement (so far). */
  body?: { statements: number; exits: boolean };
}

/**
 * Per physical line (0-based index), the innermost guard that says which
 * CUDA-family vendor the line runs for, or null.
 */
export function cudaGuards(py: PyLine[], lines: string[]): (Guard | null)[] {
  const out: (Guard | null)[] = py.map(() => null);
  const logical = logicalLines(py);
  const text = (l: Logical) => (lines[l.first] ?? "").trim().slice(0, 160);
  // A module-wide mark: pytestmark = pytest.mark.skipif(not current_platform.is_cuda(), ...).
  let moduleGuard: Guard | null = null;
  for (const l of logical) {
    if (l.indent === 0 && /^pytestmark\s*=/.test(l.code)) {
      const v = vendorOfMark(l.code);
      if (v) moduleGuard = { vendor: v, line: l.first + 1, text: text(l) };
    }
  }
  const stack: Frame[] = [{ indent: -1, guard: moduleGuard, exits: [] }];
  let decorators: Guard[] = [];
  type ClosedIf = { indent: number; cond: string; line: number; text: string; chained: boolean };
  let lastClosedIf: ClosedIf | null = null;
  const innermost = (): Guard | null => {
    for (let k = stack.length - 1; k >= 0; k--) {
      const f = stack[k]!;
      if (f.exits.length) return f.exits[f.exits.length - 1]!;
      if (f.guard) return f.guard;
    }
    return null;
  };
  for (const l of logical) {
    // Close the blocks this line is not inside.
    let closedIf: ClosedIf | null = null as ClosedIf | null;
    while (stack.length > 1 && stack[stack.length - 1]!.indent >= l.indent) {
      const f = stack.pop()!;
      const parent = stack[stack.length - 1]!;
      if (f.ifCond) closedIf = { indent: f.indent, ...f.ifCond };
      // `if not is_rocm(): return` guards the rest of the enclosing block.
      if (f.ifCond && !f.ifCond.chained && f.body && f.body.statements === 1 && f.body.exits && f.indent === l.indent) {
        const v = vendorOfCondition(f.ifCond.cond, true);
        if (v) parent.exits.push({ vendor: v, line: f.ifCond.line, text: f.ifCond.text });
      }
    }
    // Only an `elif`/`else` continues an `if`, and only one at its own indentation (the `if` closed
    // by this line, else a one-line `if` kept from before): after `for x in y: pass`, or a loop
    // whose body ends with `if is_rocm(): pass`, the `else` is the loop's.
    lastClosedIf = /^(?:elif|else)\b/.test(l.code) ? ([closedIf, lastClosedIf].find((c) => c?.indent === l.indent) ?? null) : null;
    const top = stack[stack.length - 1]!;
    if (top.body) {
      top.body.statements++;
      top.body.exits = top.body.statements === 1 && EXIT.test(l.code);
    }
    for (let i = l.first; i <= l.last; i++) out[i] = innermost();
    if (l.code.startsWith("@")) {
      const v = vendorOfMark(l.code);
      if (v) decorators.push({ vendor: v, line: l.first + 1, text: text(l) });
      continue;
    }
    const kw = /^(if|elif|else|def|async\s+def|class|for|while|with|async\s+with|try|except|finally|match|case)\b/.exec(l.code);
    const colon = kw ? headerColon(l.code) : -1;
    if (!kw || colon < 0) {
      decorators = [];
      continue;
    }
    const word = kw[1]!;
    let guard: Guard | null = null;
    let ifCond: Frame["ifCond"];
    if (word === "if" || word === "elif") {
      const cond = l.code.slice(kw[0].length, colon);
      const v = vendorOfCondition(cond);
      if (v) guard = { vendor: v, line: l.first + 1, text: text(l) };
      ifCond = { cond, line: l.first + 1, text: text(l), chained: word === "elif" || l.code.slice(colon + 1).trim() !== "" };
    } else if (word === "else" && lastClosedIf && !lastClosedIf.chained) {
      // The else of a single `if`: the condition's negation.
      const v = vendorOfCondition(lastClosedIf.cond, true);
      if (v) guard = { vendor: v, line: lastClosedIf.line, text: lastClosedIf.text };
    } else if (/def$|^class$/.test(word) && decorators.length) {
      const vendors = new Set(decorators.map((d) => d.vendor));
      if (vendors.size === 1) guard = decorators[decorators.length - 1]!;
    }
    if (word === "elif" && lastClosedIf) lastClosedIf = { ...lastClosedIf, chained: true };
    decorators = [];
    const rest = l.code.slice(colon + 1).trim();
    if (rest !== "") {
      // A one-line body (`if is_rocm(): x = torch.cuda.foo()`): the rest of the line is inside.
      if (guard) for (let i = l.first; i <= l.last; i++) out[i] = guard;
      if (ifCond && word === "if" && EXIT.test(rest)) {
        // `if not is_rocm(): return` on one line.
        const v = vendorOfCondition(ifCond.cond, true);
        if (v) top.exits.push({ vendor: v, line: ifCond.line, text: ifCond.text });
      }
      if (ifCond && word === "if") lastClosedIf = { indent: l.indent, ...ifCond, chained: false };
      continue;
    }
    stack.push({ indent: l.indent, guard, exits: [], ...(ifCond ? { ifCond } : {}), body: { statements: 0, exits: false } });
  }
  return out;
}

/** Test gating: skip, xfail and only-on marks and calls (pytest, unittest, PyTorch's device decorators); `requires_grad_()` is autograd, not a mark. */
export const GATING = /\b(?:skipif|skipIf|skip_if\w*|skipUnless|xfail|skipTest|pytest\.skip|unittest\.skip|only_for|except_for|instantiate_device_type_tests|requires?_(?!grad)\w+|skip_on_\w+)\b/;
const SKIP_CALL = /^(?:pytest\.skip\(|self\.skipTest\(|unittest\.skip\(|raise\s+(?:unittest\.)?SkipTest\b|pytest\.xfail\()/;

/**
 * Per physical line: whether it belongs to test gating — a logical line with a
 * skip/xfail mark or call (a decorator over several lines counts on each), or
 * an `if` whose body skips the test (`if not is_cuda(): pytest.skip(...)`).
 */
export function gatingLines(py: PyLine[]): boolean[] {
  const out = py.map(() => false);
  const logical = logicalLines(py);
  logical.forEach((l, k) => {
    let gating = GATING.test(l.code);
    if (!gating && /^(?:if|elif)\b/.test(l.code)) {
      const colon = headerColon(l.code);
      const rest = colon >= 0 ? l.code.slice(colon + 1).trim() : "";
      const next = logical[k + 1];
      gating = rest !== "" ? SKIP_CALL.test(rest) : next !== undefined && next.indent > l.indent && SKIP_CALL.test(next.code);
    }
    if (gating) for (let i = l.first; i <= l.last; i++) out[i] = true;
  });
  return out;
}
