import type { ChildProcessWithoutNullStreams } from "node:child_process";
import { GitError } from "../errors.js";
import { spawnGit } from "./run.js";

export interface GitObject {
  oid: string;
  type: string;
  content: Buffer;
}

interface Pending {
  resolve: (o: GitObject | null) => void;
  reject: (e: Error) => void;
}

/**
 * Reads objects through one long-lived `git cat-file --batch` process: one
 * request line in, one header plus content out, in order. Blobs for the
 * classification, and also ref names (`main^{commit}`) with their commit
 * objects, so resolving a ref and reading its metadata costs no process.
 * Missing objects resolve to null instead of failing the analysis. Names
 * are read from stdin, so nothing the user typed is ever an option.
 */
export class BlobReader {
  private child: ChildProcessWithoutNullStreams | null = null;
  private queue: Pending[] = [];
  /** Output not yet handed on, as it arrived (joined once a whole object is there: no copy per chunk). */
  private chunks: Buffer[] = [];
  private length = 0;
  /** Bytes the object at the head of the queue needs (0: its header is not read yet). */
  private need = 0;
  private corked = false;
  private stderr = "";

  constructor(private readonly gitDir: string) {}

  async read(oid: string): Promise<Buffer | null> {
    return (await this.readObject(oid))?.content ?? null;
  }

  /** An object by id or by name (`ref^{commit}`); null when absent. Names must not contain a newline. */
  readObject(name: string): Promise<GitObject | null> {
    if (name.includes("\n")) return Promise.resolve(null);
    const child = this.start();
    return new Promise((resolve, reject) => {
      this.queue.push({ resolve, reject });
      // Requests made in one tick go out in one write.
      if (!this.corked) {
        this.corked = true;
        child.stdin.cork();
        process.nextTick(() => {
          this.corked = false;
          child.stdin.uncork();
        });
      }
      child.stdin.write(name + "\n");
    });
  }

  /** Starts the cat-file process ahead of the first read. */
  warmUp(): void {
    this.start();
  }

  close(): void {
    if (this.child) {
      this.child.stdin.end();
      this.child = null;
    }
  }

  private start(): ChildProcessWithoutNullStreams {
    if (this.child) return this.child;
    const child = spawnGit(this.gitDir, ["cat-file", "--batch"]);
    child.stdout.on("data", (chunk: Buffer) => {
      this.chunks.push(chunk);
      this.length += chunk.length;
      this.drain();
    });
    child.stderr.on("data", (b: Buffer) => (this.stderr += b.toString("utf8")));
    child.stdin.on("error", () => undefined);
    child.on("close", () => {
      const err = new GitError(`git cat-file exited early: ${this.stderr.trim() || "no message"}`);
      for (const p of this.queue.splice(0)) p.reject(err);
      if (this.child === child) {
        this.child = null;
        this.chunks = [];
        this.length = this.need = 0;
      }
    });
    this.child = child;
    return child;
  }

  private drain(): void {
    for (;;) {
      const head = this.queue[0];
      if (!head || this.length === 0 || this.length < this.need) return;
      const buf = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.length);
      this.chunks = [buf];
      const nl = buf.indexOf(10);
      if (nl === -1) return;
      const header = buf.subarray(0, nl).toString("latin1");
      const parts = header.split(" ");
      let used = nl + 1;
      let object: GitObject | null = null;
      if (!(parts.length !== 3 || header.endsWith(" missing") || header.endsWith(" ambiguous"))) {
        const size = Number(parts[2]);
        if (buf.length < nl + 1 + size + 1) {
          this.need = nl + 1 + size + 1;
          return;
        }
        object = { oid: parts[0]!, type: parts[1]!, content: Buffer.from(buf.subarray(nl + 1, nl + 1 + size)) };
        used = nl + 1 + size + 1;
      }
      const rest = buf.subarray(used);
      this.chunks = rest.length ? [rest] : [];
      this.length = rest.length;
      this.need = 0;
      this.queue.shift();
      head.resolve(object);
    }
  }
}
