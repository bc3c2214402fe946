import { mkdirSync } from "node:fs";
import { resolve } from "node:path";
import { GitError } from "../errors.js";
import { runGit, runGitNoRepo } from "./run.js";

/**
 * Builds git repositories deterministically through one `git fast-import`
 * stream: fixed authors and dates, real commits, merges, branches and tags.
 * The demo generator, the tests and the benchmarks all use it. It is the only
 * code in Steward that writes repositories, and only ones it creates.
 */
export interface Signature {
  name: string;
  email: string;
  /** ISO 8601 date with offset, e.g. 2024-03-01T12:00:00+01:00 (Z for UTC). */
  date: string;
}

/** A file's new content; null deletes the path. */
export type FileContent = string | Buffer | null;

export interface CommitRef {
  readonly mark: number;
}

export interface CommitSpec {
  /** Branch (short name under refs/heads/) the commit is made on. */
  branch: string;
  message: string;
  author: Signature;
  /** Defaults to the author. */
  committer?: Signature;
  /**
   * Parents. Omitted: the branch's current tip (or a root commit for a new
   * branch). Given: the first parent's tree is the starting point, the rest are
   * merge parents. An empty array makes a root commit.
   */
  parents?: CommitRef[];
  /** Changes applied on top of the first parent's tree. */
  files?: Record<string, FileContent>;
  /** Executable files (mode 100755) among `files`. */
  executable?: string[];
  /** Symbolic links (mode 120000) among `files`: the content is the link's target. */
  symlinks?: string[];
}

interface CommitNode {
  mark: number;
  firstParent: number | null;
  changes: Map<string, FileContent>;
}

function toRawDate(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new GitError(`bad date: ${iso}`);
  const m = /([+-])(\d\d):?(\d\d)$/.exec(iso);
  const tz = m ? `${m[1]}${m[2]}${m[3]}` : "+0000";
  return `${Math.floor(ms / 1000)} ${tz}`;
}

function quotePath(p: string): string {
  if (!/["\n\\]/.test(p) && !p.startsWith('"')) return p;
  return '"' + p.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n") + '"';
}

export class HistoryBuilder {
  private chunks: Buffer[] = [];
  private nextMark = 1;
  private nodes = new Map<number, CommitNode>();
  private tips = new Map<string, number>();

  commit(spec: CommitSpec): CommitRef {
    const mark = this.nextMark++;
    const parents = spec.parents ? spec.parents.map((p) => p.mark) : this.tips.has(spec.branch) ? [this.tips.get(spec.branch)!] : [];
    const committer = spec.committer ?? spec.author;
    // A root commit on a branch that already has commits needs the branch reset first.
    if (parents.length === 0 && this.tips.has(spec.branch)) this.text(`reset refs/heads/${spec.branch}\n\n`);
    const msg = Buffer.from(spec.message.endsWith("\n") ? spec.message : spec.message + "\n", "utf8");
    this.text(`commit refs/heads/${spec.branch}\nmark :${mark}\n`);
    this.text(`author ${spec.author.name} <${spec.author.email}> ${toRawDate(spec.author.date)}\n`);
    this.text(`committer ${committer.name} <${committer.email}> ${toRawDate(committer.date)}\n`);
    this.data(msg);
    const [first, ...merges] = parents;
    if (first !== undefined) this.text(`from :${first}\n`);
    for (const m of merges) this.text(`merge :${m}\n`);
    const changes = new Map<string, FileContent>();
    const exec = new Set(spec.executable ?? []);
    const links = new Set(spec.symlinks ?? []);
    for (const [path, content] of Object.entries(spec.files ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      changes.set(path, content);
      if (content === null) this.text(`D ${quotePath(path)}\n`);
      else {
        this.text(`M ${links.has(path) ? "120000" : exec.has(path) ? "100755" : "100644"} inline ${quotePath(path)}\n`);
        this.data(typeof content === "string" ? Buffer.from(content, "utf8") : content);
      }
    }
    this.text("\n");
    this.nodes.set(mark, { mark, firstParent: first ?? null, changes });
    this.tips.set(spec.branch, mark);
    return { mark };
  }

  /** The branch's current tip, if it has commits. */
  tip(branch: string): CommitRef | undefined {
    const m = this.tips.get(branch);
    return m === undefined ? undefined : { mark: m };
  }

  /** Points a branch at a commit (creating or moving it). */
  branch(name: string, target: CommitRef): void {
    this.text(`reset refs/heads/${name}\nfrom :${target.mark}\n\n`);
    this.tips.set(name, target.mark);
  }

  /** A tag: annotated when `message` is given, else lightweight. */
  tag(name: string, target: CommitRef, opts: { message?: string; tagger?: Signature } = {}): void {
    if (opts.message !== undefined && opts.tagger) {
      this.text(`tag ${name}\nfrom :${target.mark}\ntagger ${opts.tagger.name} <${opts.tagger.email}> ${toRawDate(opts.tagger.date)}\n`);
      this.data(Buffer.from(opts.message + "\n", "utf8"));
    } else {
      this.text(`reset refs/tags/${name}\nfrom :${target.mark}\n\n`);
    }
  }

  /** The full tree (path -> content) of a commit, following first parents. */
  treeOf(ref: CommitRef): Map<string, string | Buffer> {
    const chain: CommitNode[] = [];
    for (let m: number | null = ref.mark; m !== null; ) {
      const node = this.nodes.get(m);
      if (!node) break;
      chain.push(node);
      m = node.firstParent;
    }
    const tree = new Map<string, string | Buffer>();
    for (const node of chain.reverse()) {
      for (const [p, c] of node.changes) {
        if (c === null) tree.delete(p);
        else tree.set(p, c);
      }
    }
    return tree;
  }

  /** Text content of one file at a commit (throws if absent). */
  fileAt(ref: CommitRef, path: string): string {
    const c = this.treeOf(ref).get(path);
    if (c === undefined) throw new Error(`no ${path} at :${ref.mark}`);
    return typeof c === "string" ? c : c.toString("utf8");
  }

  /**
   * Creates the repository at `dir` (git init, then fast-import). With `head`,
   * HEAD points at that branch and, unless `bare`, the work tree is checked out.
   */
  async write(dir: string, opts: { head?: string; bare?: boolean } = {}): Promise<string> {
    const abs = resolve(dir);
    mkdirSync(abs, { recursive: true });
    const head = opts.head ?? "main";
    await runGitNoRepo(abs, ["init", "-q", ...(opts.bare ? ["--bare"] : []), "-b", head, "."]);
    const gitDir = opts.bare ? abs : resolve(abs, ".git");
    await runGit(gitDir, ["fast-import", "--quiet", "--done"], { input: Buffer.concat([...this.chunks, Buffer.from("done\n")]) });
    if (!opts.bare && this.tips.has(head)) await runGitNoRepo(abs, ["reset", "-q", "--hard", head]);
    return gitDir;
  }

  private text(s: string): void {
    this.chunks.push(Buffer.from(s, "utf8"));
  }

  private data(b: Buffer): void {
    this.chunks.push(Buffer.from(`data ${b.length}\n`), b, Buffer.from("\n"));
  }
}
