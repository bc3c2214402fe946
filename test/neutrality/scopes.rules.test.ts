import { describe, expect, it } from "vitest";
import { scanFile } from "../../src/analyzers/neutrality/file-scan.js";
import { vendorOfCondition } from "../../src/analyzers/neutrality/scopes.js";

/**
 * Rules of the guard reader (src/analyzers/neutrality/scopes.ts) beyond rules.test.ts: which
 * statements are early exits, which lines are test gating, how marks, blocks, `else` branches and
 * logical lines are read. Each rule tries the guard and its look-alike.
 */
const cudaSites = (text: string, path = "pkg/mod.py") =>
  scanFile(path, text)
    .scan.sites.filter((s) => s.family === "cuda-api" || s.vendor === "cuda-api")
    .map((s) => [s.line, s.vendor, s.guardLine ?? null]);
const kinds = (text: string, path = "tests/test_x.py") => scanFile(path, text).scan.sites.map((s) => [s.line, s.signal, s.kind]);
const lines = (...l: string[]) => l.join("\n") + "\n";

describe("scopes: early exits", () => {
  it.each(["return", "return None", "raise RuntimeError('ROCm only')", "continue", "break", "pytest.skip('ROCm only')", "self.skipTest('ROCm only')", "unittest.skip('x')", "sys.exit(0)"])(
    "`%s` as the whole body of `if not is_rocm():` guards the rest of the block for AMD",
    (exit) => {
      expect(cudaSites(lines("def f(xs):", "    for x in xs:", "        if not is_rocm():", `            ${exit}`, "        y = torch.cuda.mem_get_info()"))).toEqual([[5, "amd", 3]]);
    },
  );

  it.each(["returned = 1", "raise_error()", "continued = True", "breakpoint()", "pytest.skipif_x()", "self.skipTests()", "sys.exit_code = 1", "log('return')", "handler = lambda: sys.exit(1)"])("`%s` is no exit: what follows stays the family", (stmt) => {
    expect(cudaSites(lines("def f(xs):", "    for x in xs:", "        if not is_rocm():", `            ${stmt}`, "        y = torch.cuda.mem_get_info()"))).toEqual([[5, "cuda-api", null]]);
  });

  it("an exit guards only after it: the lines before it in its block and after its block stay the family", () => {
    expect(cudaSites(lines("def f():", "    a = torch.cuda.mem_get_info()", "    if not is_rocm():", "        return", "    b = torch.cuda.mem_get_info()", "c = torch.cuda.mem_get_info()"))).toEqual([
      [2, "cuda-api", null],
      [5, "amd", 3],
      [6, "cuda-api", null],
    ]);
  });

  it("an exit under an `if` that guarantees nothing guards nothing; an exit under a ROCm test leaves NVIDIA", () => {
    expect(cudaSites(lines("def f():", "    if flag:", "        return", "    a = torch.cuda.mem_get_info()", "def g():", "    if is_rocm():", "        return", "    b = torch.cuda.mem_get_info()"))).toEqual([
      [4, "cuda-api", null],
      [8, "nvidia", 6],
    ]);
  });

  it("an `elif` or a header with a one-line body is no early exit of its own", () => {
    expect(cudaSites(lines("def f():", "    if flag:", "        pass", "    elif not is_rocm():", "        return", "    a = torch.cuda.mem_get_info()"))).toEqual([[6, "cuda-api", null]]);
    expect(cudaSites(lines("def g():", "    if not is_rocm(): x = 1", "    b = torch.cuda.mem_get_info()"))).toEqual([[3, "cuda-api", null]]);
    expect(cudaSites(lines("def h():", "    if not is_rocm(): raise RuntimeError('x')", "    c = torch.cuda.mem_get_info()"))).toEqual([[3, "amd", 2]]);
    expect(cudaSites(lines("def i():", "    if flag: return", "    d = torch.cuda.mem_get_info()"))).toEqual([[3, "cuda-api", null]]);
    expect(cudaSites(lines("def j():", "    if flag: pass", "    elif not is_rocm(): return", "    e = torch.cuda.mem_get_info()"))).toEqual([[4, "cuda-api", null]]);
  });

  it.each(["with lock:", "async with lock:", "async  with lock:"])("an exit inside `%s` guards the rest of that block only", (header) => {
    expect(
      cudaSites(lines("async def f():", `    ${header}`, "        if not is_rocm():", "            return", "        a = torch.cuda.mem_get_info()", "    b = torch.cuda.mem_get_info()")),
    ).toEqual([
      [5, "amd", 3],
      [6, "cuda-api", null],
    ]);
  });

  it("an exit nested deeper than the next line (an exit whose block the next line does not close at its level) guards nothing", () => {
    expect(cudaSites(lines("def f():", "    if a:", "        if not is_rocm():", "            return", "    b = torch.cuda.mem_get_info()"))).toEqual([[5, "cuda-api", null]]);
  });
});

describe("scopes: test gating lines", () => {
  it.each([
    "@pytest.mark.skipif(not torch.cuda.is_available(), reason='x')",
    "@unittest.skipIf(not torch.cuda.is_available(), 'x')",
    "@skip_if_no_gpu(torch.cuda.is_available())",
    "@unittest.skipUnless(torch.cuda.is_available(), 'x')",
    "@pytest.mark.xfail(torch.cuda.is_available(), reason='x')",
    "self.skipTest(torch.cuda.get_device_name())",
    "pytest.skip(torch.cuda.get_device_name())",
    "unittest.skip(torch.cuda.get_device_name())",
    "only_for = torch.cuda.get_device_name()",
    "except_for = torch.cuda.get_device_name()",
    "instantiate_device_type_tests(TestX, globals(), only_for=torch.cuda.x)",
    "@requires_fp8(torch.cuda.get_device_capability())",
    "@skip_on_rocm(torch.cuda.get_device_capability())",
    "@require_fp8(torch.cuda.get_device_capability())",
  ])("a site on `%s` is test gating", (line) => {
    expect(kinds(lines(line)).find((s) => s[1] === "py.torch-cuda")).toEqual([1, "py.torch-cuda", "test"]);
  });

  it.each([
    "x = my_skipif(torch.cuda.is_available())",
    "x = skipifs(torch.cuda.is_available())",
    "x = t.requires_grad_(torch.cuda.is_available())",
    "x = requires_gradient(torch.cuda.is_available())",
    "x = xfails(torch.cuda.is_available())",
    "x = my_pytest.skipper(torch.cuda.is_available())",
  ])("a site on `%s` is not test gating", (line) => {
    expect(kinds(lines(line))).toEqual([[1, "py.torch-cuda", "api"]]);
  });

  it.each(["pytest.skip('needs 2 GPUs')", "self.skipTest('needs 2 GPUs')", "unittest.skip('x')", "raise SkipTest('x')", "raise  SkipTest('x')", "raise unittest.SkipTest('x')", "pytest.xfail('x')"])(
    "an `if` whose body is `%s` is test gating, on its own line or as the next indented line",
    (skip) => {
      expect(kinds(lines("if torch.cuda.device_count() < 2:", `    ${skip}`))).toEqual([[1, "py.torch-cuda", "test"]]);
      expect(kinds(lines(`if torch.cuda.device_count() < 2: ${skip}`))).toEqual([[1, "py.torch-cuda", "test"]]);
      expect(kinds(lines("elif torch.cuda.device_count() < 2:", `    ${skip}`))).toEqual([[1, "py.torch-cuda", "test"]]);
    },
  );

  it("an `if` whose body does something else, or whose skip is not inside it, is not test gating", () => {
    expect(kinds(lines("if torch.cuda.device_count() < 2:", "    raise ValueError('x')"))).toEqual([[1, "py.torch-cuda", "api"]]);
    expect(kinds(lines("if torch.cuda.device_count() < 2:", "    raise SkipTestError('x')"))).toEqual([[1, "py.torch-cuda", "api"]]);
    expect(kinds(lines("if torch.cuda.device_count() < 2: n = 1"))).toEqual([[1, "py.torch-cuda", "api"]]);
    expect(kinds(lines("if torch.cuda.device_count() < 2:", "    n = 1", "pytest.skip('x')"))).toEqual([[1, "py.torch-cuda", "api"]]);
    expect(kinds(lines("def f():", "    if torch.cuda.device_count() < 2:", "        n = 1", "    pytest.skip('x')"))).toEqual([[2, "py.torch-cuda", "api"]]);
    expect(kinds(lines("if torch.cuda.device_count() < 2:"))).toEqual([[1, "py.torch-cuda", "api"]]);
    expect(kinds(lines("while torch.cuda.device_count() < 2:", "    pytest.skip('x')"))).toEqual([[1, "py.torch-cuda", "api"]]);
  });

  it("only the next line indented under the `if` is its body: a skip at the `if`'s own indentation is not", () => {
    expect(kinds(lines("if torch.cuda.device_count() < 2:", "pytest.skip('x')"))).toEqual([[1, "py.torch-cuda", "api"]]);
    expect(kinds(lines("if torch.cuda.device_count() < 2:", " pytest.skip('x')"))).toEqual([[1, "py.torch-cuda", "test"]]);
  });

  it("an `if` whose colon is missing (a file saved mid-edit) is still read with the indented skip under it", () => {
    expect(kinds(lines("if torch.cuda.device_count() < 2", "    pytest.skip('x')"))).toEqual([[1, "py.torch-cuda", "test"]]);
    expect(kinds(lines("if torch.cuda.device_count() < 2", "    n = 1"))).toEqual([[1, "py.torch-cuda", "api"]]);
  });

  it("a skip call must start the `if` body: a look-alike call (`my_pytest.skip`) in it is no skip", () => {
    expect(kinds(lines("if torch.cuda.device_count() < 2:", "    my_pytest.skip('x')"))).toEqual([[1, "py.torch-cuda", "api"]]);
    expect(kinds(lines("if torch.cuda.device_count() < 2: my_pytest.skip('x')"))).toEqual([[1, "py.torch-cuda", "api"]]);
  });

  it("only a line that starts with `if`/`elif` has a skipping body: `if` inside a `with` header does not make it one", () => {
    expect(kinds(lines("with torch.cuda.device(0 if flag else 1):", "    pytest.skip('x')"))).toEqual([[1, "py.torch-cuda", "api"]]);
    expect(kinds(lines("if torch.cuda.device(0 if flag else 1):", "    pytest.skip('x')"))).toEqual([[1, "py.torch-cuda", "test"]]);
  });

  it("a skip mark over several lines is test gating on each of its lines, and the line after it is not", () => {
    expect(kinds(lines("@pytest.mark.skipif(", "    torch.cuda.device_count() < 2,", "    reason='x')", "def test_a():", "    torch.cuda.synchronize()"))).toEqual([
      [2, "py.torch-cuda", "test"],
      [5, "py.torch-cuda", "api"],
    ]);
  });

  it("gating outside the tests layer changes nothing", () => {
    expect(kinds(lines("@pytest.mark.skipif(not torch.cuda.is_available(), reason='x')"), "pkg/mod.py")).toEqual([[1, "py.torch-cuda", "api"]]);
  });
});

describe("scopes: marks", () => {
  it.each([
    ["@skipIfRocm", "nvidia"],
    ["@common_utils.skipIfRocm", "nvidia"],
    ["@ skipIfRocm", "nvidia"],
    ["@skipIfRocm(msg='x')", "nvidia"],
    ["@skipIfRocmArch(MI300_ARCH)", null],
    ["@noskipIfRocm", null],
    ["@pytest.mark.skipif(is_rocm(), reason='x')", "nvidia"],
    ["@unittest.skipIf(not is_rocm(), 'x')", "amd"],
    ["@pytest.mark.skipif", null],
    ["@pytest.mark.skipif()", null],
    ["@unittest.skipUnless(is_rocm(), 'x')", "amd"],
    ["@unittest.skipUnless(f(a, b) and is_rocm(), 'x')", "amd"],
    ["@pytest.mark.skipif(not (f(a, [b, c]) or is_rocm()), reason='x')", null],
    ["@pytest.mark.skipif(f(a, {b: c}) or is_rocm(), reason='x')", "nvidia"],
    ["@pytest.mark.skipif(condition=not is_cuda(), reason='x')", "nvidia"],
    ["@unittest.skipUnless", null],
    ["@unittest.skipUnless()", null],
    ["@pytest.mark.parametrize('x', [is_rocm()])", null],
    ["@pytest.mark.skipif(condition=is_rocm())", "nvidia"],
    ["@pytest.mark.skipif( condition=is_rocm(), reason='x')", "nvidia"],
    ["@pytest.mark.skipif( condition=is_rocm())", "nvidia"],
    ["@pytest.mark.skipif(condition = is_rocm(), reason='x')", "nvidia"],
    ["@pytest.mark.skipif(condition = is_rocm())", "nvidia"],
    ["@pytest.mark.skipif(flags[0] or is_rocm(), reason='x')", "nvidia"],
    ["@pytest.mark.skipif(flags[0] or is_rocm())", "nvidia"],
    ["@pytest.mark.my_skipif(is_rocm())", null],
    ["@my_skipUnless(is_rocm())", null],
  ])("a test marked `%s` runs for %s", (mark, vendor) => {
    const sites = cudaSites(lines(mark, "def test_a():", "    torch.cuda.synchronize()"), "tests/test_m.py");
    expect(sites).toEqual([[3, vendor ?? "cuda-api", vendor ? 1 : null]]);
  });

  it("marks that agree guard with the last of them; a mark over an `async def` and a class guards them", () => {
    expect(cudaSites(lines("@skipIfRocm", "@pytest.mark.skipif(is_rocm(), reason='x')", "def test_a():", "    torch.cuda.synchronize()"), "tests/test_m.py")).toEqual([[4, "nvidia", 2]]);
    expect(cudaSites(lines("@skipIfRocm", "async def test_b():", "    torch.cuda.synchronize()"), "tests/test_m.py")).toEqual([[3, "nvidia", 1]]);
    expect(cudaSites(lines("@skipIfRocm", "async  def test_b():", "    torch.cuda.synchronize()"), "tests/test_m.py")).toEqual([[3, "nvidia", 1]]);
    expect(cudaSites(lines("@skipIfRocm", "class TestC:", "    def test_c(self):", "        torch.cuda.synchronize()"), "tests/test_m.py")).toEqual([[4, "nvidia", 1]]);
  });

  it("a mark is not carried past the statement after it, nor onto a `for` or `with`", () => {
    expect(cudaSites(lines("@skipIfRocm", "x = 1", "def test_a():", "    torch.cuda.synchronize()"), "tests/test_m.py")).toEqual([[4, "cuda-api", null]]);
    expect(cudaSites(lines("@skipIfRocm", "with ctx():", "    torch.cuda.synchronize()"), "tests/test_m.py")).toEqual([[3, "cuda-api", null]]);
    expect(cudaSites(lines("@skipIfRocm", "def test_a(): pass", "def test_b():", "    torch.cuda.synchronize()"), "tests/test_m.py")).toEqual([[4, "cuda-api", null]]);
  });

  it("a mark over several lines reads its `condition=` argument from the next line", () => {
    expect(cudaSites(lines("@pytest.mark.skipif(", "    condition=not is_rocm(),", "    reason='x')", "def test_a():", "    torch.cuda.synchronize()"), "tests/test_m.py")).toEqual([[5, "amd", 1]]);
    expect(cudaSites(lines("@pytest.mark.skipif(", "    not is_rocm(),", "    reason='x')", "def test_a():", "    torch.cuda.synchronize()"), "tests/test_m.py")).toEqual([[5, "amd", 1]]);
  });

  it("an unclosed mark at the end of a file (a file cut short) decides nothing and does not stop the scan", () => {
    expect(cudaSites(lines("torch.cuda.synchronize()", "@pytest.mark.skipif(is_rocm()"), "tests/test_m.py")).toEqual([[1, "cuda-api", null]]);
    expect(cudaSites(lines("torch.cuda.synchronize()", "@unittest.skipUnless(is_rocm()"), "tests/test_m.py")).toEqual([[1, "cuda-api", null]]);
  });

  it("pytestmark guards the module only at the top level, as a list too", () => {
    expect(cudaSites(lines("pytestmark=pytest.mark.skipif(is_rocm(), reason='x')", "def test_a():", "    torch.cuda.synchronize()"), "tests/test_m.py")).toEqual([[3, "nvidia", 1]]);
    expect(cudaSites(lines("pytestmark = [pytest.mark.skipif(not is_rocm(), reason='x'), pytest.mark.slow]", "def test_a():", "    torch.cuda.synchronize()"), "tests/test_m.py")).toEqual([[3, "amd", 1]]);
    expect(cudaSites(lines("class TestA:", "    pytestmark = pytest.mark.skipif(not is_rocm(), reason='x')", "def test_a():", "    torch.cuda.synchronize()"), "tests/test_m.py")).toEqual([[4, "cuda-api", null]]);
    expect(cudaSites(lines("pytestmark = pytest.mark.slow", "def test_a():", "    torch.cuda.synchronize()"), "tests/test_m.py")).toEqual([[3, "cuda-api", null]]);
    expect(cudaSites(lines("my_pytestmark = pytest.mark.skipif(not is_rocm(), reason='x')", "def test_a():", "    torch.cuda.synchronize()"), "tests/test_m.py")).toEqual([[3, "cuda-api", null]]);
  });
});

describe("scopes: blocks, branches and logical lines", () => {
  it("a blank line or a comment at column 0 inside a guarded block does not end it; a dedented line does; blank lines at the end change nothing", () => {
    expect(cudaSites(lines("if is_rocm():", "    a = 1", "", "# note", "    b = torch.cuda.mem_get_info()", "c = torch.cuda.mem_get_info()"))).toEqual([
      [5, "amd", 1],
      [6, "cuda-api", null],
    ]);
    expect(cudaSites(lines("if is_rocm():", "    a = torch.cuda.mem_get_info()", "", ""))).toEqual([[2, "amd", 1]]);
  });

  it("a comment or a blank-only line at any column inside a nested guarded block does not end it", () => {
    for (const filler of ["# ok", "  ", "#"]) {
      expect(cudaSites(lines("def f():", "    if is_rocm():", "        a = 1", filler, "        b = torch.cuda.mem_get_info()", "    c = torch.cuda.mem_get_info()"))).toEqual([
        [5, "amd", 2],
        [6, "cuda-api", null],
      ]);
    }
  });

  it("a string whose closing quotes sit at column 0 inside a guarded block does not end it", () => {
    expect(cudaSites(lines("if is_rocm():", '    doc = """one', '"""', "    b = torch.cuda.mem_get_info()", "c = torch.cuda.mem_get_info()"))).toEqual([
      [4, "amd", 1],
      [5, "cuda-api", null],
    ]);
  });

  it("a string over several lines (with a blank line in it) inside a guarded block does not end it", () => {
    expect(cudaSites(lines("if is_rocm():", '    doc = """one', "", 'two"""', "    b = torch.cuda.mem_get_info()"))).toEqual([[5, "amd", 1]]);
    expect(cudaSites(lines("if is_rocm():", '    doc = """one', 'two"""', "    b = torch.cuda.mem_get_info()", "c = torch.cuda.mem_get_info()"))).toEqual([
      [4, "amd", 1],
      [5, "cuda-api", null],
    ]);
  });

  it("a call over several lines is one logical line: the guard covers each of its lines, and brackets closed early do not leak", () => {
    expect(cudaSites(lines("if is_rocm():", "    n = f(", "torch.cuda.mem_get_info(),", ")", "m = torch.cuda.mem_get_info()"))).toEqual([
      [3, "amd", 1],
      [5, "cuda-api", null],
    ]);
    expect(cudaSites(lines("x = f(a))", "if is_rocm():", "    n = f(", "torch.cuda.mem_get_info())", "m = torch.cuda.mem_get_info()"))).toEqual([
      [4, "amd", 2],
      [5, "cuda-api", null],
    ]);
  });

  it.each([
    ["[", "]"],
    ["{", "}"],
    ["(", ")"],
  ])("a `%s` left open joins the next lines into one logical line inside the guarded block", (open, close) => {
    expect(cudaSites(lines("if is_rocm():", `    xs = f${open}`, `torch.cuda.mem_get_info()${close}`, "    b = torch.cuda.mem_get_info()", "c = torch.cuda.mem_get_info()"))).toEqual([
      [3, "amd", 1],
      [4, "amd", 1],
      [5, "cuda-api", null],
    ]);
  });

  it("a header continued by a backslash onto a blank line still opens its block, and its `else` is the negation", () => {
    expect(cudaSites(lines("if is_rocm(): \\", "", "    a = torch.cuda.mem_get_info()", "else:", "    b = torch.cuda.mem_get_info()"))).toEqual([
      [3, "amd", 1],
      [5, "nvidia", 1],
    ]);
  });

  it("a continuation backslash followed by blanks (which Python rejects, and editors leave) still joins the next line", () => {
    expect(cudaSites(lines("if flag and \\ ", "        is_rocm():", "    a = torch.cuda.mem_get_info()"))).toEqual([[3, "amd", 1]]);
    expect(cudaSites(lines("if flag and \\", "        is_rocm():", "    a = torch.cuda.mem_get_info()"))).toEqual([[3, "amd", 1]]);
  });

  it("a one-line body inside a guarded block keeps the outer guard unless its own test decides", () => {
    expect(cudaSites(lines("if is_rocm():", "    if flag: x = torch.cuda.mem_get_info()", "    if is_cuda(): y = torch.cuda.mem_get_info()"))).toEqual([
      [2, "amd", 1],
      [3, "nvidia", 3],
    ]);
  });

  it("a keyword inside a line (a conditional expression after an annotation) opens no guard; the same test as an `if` does", () => {
    expect(cudaSites(lines("def f(self):", "    self.hip: bool = torch.cuda.is_available() if flag else False"))).toEqual([[2, "cuda-api", null]]);
    expect(cudaSites(lines("def f(self):", "    if self.hip: n = torch.cuda.is_available()"))).toEqual([[2, "amd", 2]]);
  });

  it("the colon of `:=` is not the header's: `if x := f() and is_rocm():` opens a ROCm block", () => {
    expect(cudaSites(lines("if x := f() and is_rocm():", "    a = torch.cuda.mem_get_info()", "b = torch.cuda.mem_get_info()"))).toEqual([
      [2, "amd", 1],
      [3, "cuda-api", null],
    ]);
  });

  it("the innermost guard wins; leaving it returns to the outer one", () => {
    expect(cudaSites(lines("if is_rocm():", "    if is_cuda():", "        a = torch.cuda.mem_get_info()", "    b = torch.cuda.mem_get_info()"))).toEqual([
      [3, "nvidia", 2],
      [4, "amd", 1],
    ]);
  });

  it("the else of an `if` holding a nested `if` is the negation of the outer one", () => {
    expect(cudaSites(lines("if is_rocm():", "    if flag:", "        a = 1", "else:", "    b = torch.cuda.mem_get_info()"))).toEqual([[5, "nvidia", 1]]);
  });

  it("the else of a `for`, a `while` or a `try` after an `if` is no negation of that `if`", () => {
    expect(cudaSites(lines("if is_rocm():", "    a = 1", "for x in y:", "    pass", "else:", "    b = torch.cuda.mem_get_info()"))).toEqual([[6, "cuda-api", null]]);
    expect(cudaSites(lines("if is_rocm():", "    a = 1", "try:", "    pass", "except E:", "    pass", "else:", "    b = torch.cuda.mem_get_info()"))).toEqual([[8, "cuda-api", null]]);
  });

  it("the else of a `for` whose body ends with an `if` is the loop's, not that `if`'s", () => {
    expect(cudaSites(lines("for x in y:", "    if is_rocm():", "        a = 1", "else:", "    b = torch.cuda.mem_get_info()"))).toEqual([[5, "cuda-api", null]]);
  });

  it("the else of a one-line `for` or `while` after an `if` is the loop's, not that `if`'s", () => {
    expect(cudaSites(lines("if is_rocm():", "    a = 1", "for x in y: pass", "else:", "    b = torch.cuda.mem_get_info()"))).toEqual([[5, "cuda-api", null]]);
    expect(cudaSites(lines("if is_rocm():", "    a = 1", "while f(): pass", "else:", "    b = torch.cuda.mem_get_info()"))).toEqual([[5, "cuda-api", null]]);
    expect(cudaSites(lines("if is_rocm(): a = 1", "for x in y: pass", "else:", "    b = torch.cuda.mem_get_info()"))).toEqual([[4, "cuda-api", null]]);
    expect(cudaSites(lines("if is_rocm():", "    a = 1", "for x in y: z = 1 if c else 2", "else:", "    b = torch.cuda.mem_get_info()"))).toEqual([[5, "cuda-api", null]]);
  });

  it("the else of a `for` or `while` whose body ends with a one-line `if` is the loop's; the `if`'s own else is its negation", () => {
    expect(cudaSites(lines("for x in y:", "    if is_rocm(): pass", "else:", "    b = torch.cuda.mem_get_info()"))).toEqual([[4, "cuda-api", null]]);
    expect(cudaSites(lines("while f():", "    if is_rocm(): a = 1", "    else: a = 2", "else:", "    b = torch.cuda.mem_get_info()"))).toEqual([[5, "cuda-api", null]]);
    expect(cudaSites(lines("for x in y:", "    if is_rocm(): pass", "    else: b = torch.cuda.mem_get_info()"))).toEqual([[3, "nvidia", 2]]);
  });

  it("a colon inside brackets, a lambda or a slice is not the header's colon", () => {
    expect(cudaSites(lines("if f(lambda x: x) and is_rocm():", "    a = torch.cuda.mem_get_info()"))).toEqual([[2, "amd", 1]]);
    expect(cudaSites(lines("if xs[1:2] and is_rocm():", "    b = torch.cuda.mem_get_info()"))).toEqual([[2, "amd", 1]]);
    expect(cudaSites(lines("if {'a': 1} and is_rocm():", "    c = torch.cuda.mem_get_info()"))).toEqual([[2, "amd", 1]]);
  });

  it("a header without a colon opens no block", () => {
    expect(cudaSites(lines("if_rocm = is_rocm()", "    n = torch.cuda.mem_get_info()"))).toEqual([[2, "cuda-api", null]]);
  });

  it("an `else` after a one-line `elif` belongs to the chain, not to the `elif`'s negation", () => {
    expect(cudaSites(lines("if flag: a = 1", "elif is_rocm(): b = 2", "else: c = torch.cuda.mem_get_info()"))).toEqual([[3, "cuda-api", null]]);
    expect(cudaSites(lines("if is_rocm(): a = 1", "elif flag: b = 2", "else: c = torch.cuda.mem_get_info()"))).toEqual([[3, "cuda-api", null]]);
    expect(cudaSites(lines("if is_rocm(): a = 1", "else: c = torch.cuda.mem_get_info()"))).toEqual([[2, "nvidia", 1]]);
  });

  it("the guard's text is cut at 160 characters", () => {
    const header = `if is_rocm() and ${"x".repeat(200)}:`;
    const site = scanFile("pkg/mod.py", lines(header, "    n = torch.cuda.mem_get_info()")).scan.sites.find((s) => s.signal === "py.torch-cuda")!;
    expect(site.resolvedBy).toBe(`a ROCm guard: ${header.slice(0, 160)}`);
  });

  it("the guard's text is its first line, trimmed", () => {
    const site = scanFile("pkg/mod.py", lines("def f():", "    if (is_rocm() and", "            flag):", "        n = torch.cuda.mem_get_info()")).scan.sites.find((s) => s.signal === "py.torch-cuda")!;
    expect([site.vendor, site.guardLine, site.resolvedBy]).toEqual(["amd", 2, "a ROCm guard: if (is_rocm() and"]);
  });
});

describe("scopes: conditions", () => {
  it.each([
    ["is_rocm() and flavor", "amd"],
    ["is_rocm() and orca", "amd"],
    ["is_rocm() and android", "amd"],
    ["x[a or b] and is_rocm()", "amd"],
    ["f({a or b}) and is_rocm()", "amd"],
    ["(is_rocm()) and (flag)", "amd"],
    ["(flag) or (is_rocm())", null],
    ["(is_rocm()", null],
    ["torch.version.hip  is  not  None", "amd"],
    ["torch.version.hip is not None and flag", "amd"],
    ["(torch.version.hip) is None", "nvidia"],
    ["not torch.version.hip is None", "amd"],
    ["IS_HIP", "amd"],
    ["TEST_WITH_ROCM", "amd"],
    ["common.TEST_WITH_ROCM", "amd"],
    ["rocm", "amd"],
    ["hip", "amd"],
    ["_is_rocm()", "amd"],
    ["utils._is_cuda()", "nvidia"],
    ["notis_rocm()", null],
    ["is_rocm() is None", "nvidia"],
    ["torch.version.hipx", null],
    ["torch.version.cudax", null],
    ["xtorch.version.cuda", null],
    ["my_is_cuda()", null],
    ["( is_rocm() )", "amd"],
    ["(is_rocm() and x[0])", "amd"],
    ["(x[0] and is_rocm())", "amd"],
    ["({1: 2} and is_rocm())", "amd"],
    ["platforms.orca.is_rocm()", "amd"],
    ["platforms.android.is_rocm()", "amd"],
    ["is_rocm() == False", null],
    ["is_cuda() == False", null],
    ["foo.is_cuda( )", "nvidia"],
    ["foo.is_cuda(x)", null],
    ["is_rocm( )", "amd"],
    ["flagship", null],
    ["TEST_WITHOUT_ROCM", null],
    ["args.version == torch.version.hip", null],
    ["torch.version.hip", "amd"],
    ["not ( is_rocm() )", "nvidia"],
    ["( torch.version.hip ) is None", "nvidia"],
    ["( ( is_rocm() ) )", "amd"],
    ["torch.version.hip is None if legacy else flag", null],
    ["flag or x and is_rocm()", null],
    ["flag and x and is_rocm()", "amd"],
  ])("if %s: runs for %s", (cond, vendor) => {
    expect(vendorOfCondition(cond)).toBe(vendor);
  });

  it.each([
    ["not is_rocm() or not is_cuda()", null],
    ["(is_rocm() or is_hip())", "nvidia"],
    ["is_cuda() or torch.version.cuda", null],
    ["not is_cuda() or flag", "nvidia"],
    ["torch.version.hip is None or flag", "amd"],
    ["torch.version.hip is None", "amd"],
    ["platforms.android.is_rocm()", "nvidia"],
    ["( is_rocm() )", "nvidia"],
  ])("skipped when %s: runs for %s", (cond, vendor) => {
    expect(vendorOfCondition(cond, true)).toBe(vendor);
  });
});
