import type { Repository } from "../../git/repository.js";
import type { TreeEntry } from "../../git/tree.js";

/** A file of the tree, as the one tree reader lists it (src/git/tree.ts). */
export type TreeFile = TreeEntry;

/**
 * Files binary by their name: images, archives, fonts, model weights. They
 * are counted as binary without being read, so a partial clone never fetches
 * them and a full and a partial clone give the same totals.
 */
export const BINARY_NAME = /\.(?:png|jpe?g|gif|bmp|ico|webp|tiff?|psd|pdf|zip|gz|tgz|bz2|xz|zst|7z|tar|whl|jar|so|dylib|dll|a|o|exe|bin|pt|pth|onnx|safetensors|ckpt|h5|npy|npz|pkl|woff2?|ttf|otf|eot|mp4|mov|mp3|wav)$/i;

export type SkipReason = "binary" | "minified" | "tooLarge" | "missing";

/**
 * Why a blob is not scanned as text: a NUL byte in its first 8 KiB (binary,
 * git's own test), or lines too long to be written by hand (minified or
 * generated).
 */
export function skipReason(content: Buffer): SkipReason | null {
  if (content.subarray(0, 8000).includes(0)) return "binary";
  if (content.length > 20_000) {
    let lines = 1;
    let longest = 0;
    let start = 0;
    for (let i = content.indexOf(10); i !== -1; i = content.indexOf(10, i + 1)) {
      longest = Math.max(longest, i - start);
      start = i + 1;
      lines++;
    }
    longest = Math.max(longest, content.length - start);
    if (longest > 10_000 || content.length / lines > 500) return "minified";
  }
  return null;
}

/**
 * Reads blobs through the repository's cat-file process, at most `window`
 * requests in flight, handing each to `use` in tree order. Blobs over
 * `maxBytes` or absent (partial clones) are never requested.
 */
export async function readBlobs(
  repo: Repository,
  files: TreeFile[],
  opts: { maxBytes: number; window?: number },
  use: (f: TreeFile, content: Buffer | null, skipped: SkipReason | null) => void,
): Promise<void> {
  const window = opts.window ?? 64;
  const reader = repo.objects();
  const pending: Promise<Buffer | null>[] = [];
  const request = (f: TreeFile): Promise<Buffer | null> => (f.missing || (f.size ?? 0) > opts.maxBytes ? Promise.resolve(null) : reader.read(f.oid));
  let next = 0;
  for (; next < Math.min(window, files.length); next++) pending.push(request(files[next]!));
  for (let i = 0; i < files.length; i++) {
    const content = await pending[i]!;
    if (next < files.length) pending.push(request(files[next++]!));
    pending[i] = Promise.resolve(null); // let the buffer go
    const f = files[i]!;
    if (content === null) use(f, null, f.missing ? "missing" : "tooLarge");
    // Index entries carry no size: the limit applies once read.
    else if (content.length > opts.maxBytes) use(f, null, "tooLarge");
    else use(f, content, skipReason(content));
  }
}
