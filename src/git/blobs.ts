import type { ChildProcessWithoutNullStreams } from "node:child_process";
import { GitError } from "../errors.js";
import { spawnGit } from "./run.js";

interface Pending {
  oid: string;
  resolve: (b: Buffer | null) => void;
  reject: (e: Error) => void;
}

/**
 * Reads blobs through one long-lived `git cat-file --batch` process: one
 * request line in, one header plus content out, in order. Missing objects
 * (partial clones) resolve to null instead of failing the analysis.
 */
export class BlobReader {
  private child: ChildProcessWithoutNullStreams | null = null;
  private queue: Pending[] = [];
  private buf: Buffer = Buffer.alloc(0);
  private stderr = "";

  constructor(private readonly gitDir: string) {}

  read(oid: string): Promise<Buffer | null> {
    const child = this.start();
    return new Promise((resolve, reject) => {
      this.queue.push({ oid, resolve, reject });
      child.stdin.write(oid + "\n");
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
      this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
      this.drain();
    });
    child.stderr.on("data", (b: Buffer) => (this.stderr += b.toString("utf8")));
    child.stdin.on("error", () => undefined);
    child.on("close", () => {
      const err = new GitError(`git cat-file exited early: ${this.stderr.trim() || "no message"}`);
      for (const p of this.queue.splice(0)) p.reject(err);
      if (this.child === child) this.child = null;
    });
    this.child = child;
    return child;
  }

  private drain(): void {
    for (;;) {
      const head = this.queue[0];
      if (!head) return;
      const nl = this.buf.indexOf(10);
      if (nl === -1) return;
      const header = this.buf.subarray(0, nl).toString("latin1");
      if (header.endsWith(" missing") || header.endsWith(" ambiguous")) {
        this.buf = this.buf.subarray(nl + 1);
        this.queue.shift();
        head.resolve(null);
        continue;
      }
      const size = Number(header.slice(header.lastIndexOf(" ") + 1));
      if (this.buf.length < nl + 1 + size + 1) return;
      const content = Buffer.from(this.buf.subarray(nl + 1, nl + 1 + size));
      this.buf = this.buf.subarray(nl + 1 + size + 1);
      this.queue.shift();
      head.resolve(content);
    }
  }
}
