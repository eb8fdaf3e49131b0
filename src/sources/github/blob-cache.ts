/**
 * Workflow file contents on disk, keyed by git blob id: a blob id names its content, so an entry never goes
 * stale, and a repeat audit fetches only blobs it has not seen. Only file contents are stored (never a token,
 * never a response header).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (process.platform === 'win32' && env.LOCALAPPDATA) return join(env.LOCALAPPDATA, 'dispatch-lint', 'Cache');
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Caches', 'dispatch-lint');
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'dispatch-lint');
}

/** git's blob id: sha1 of "blob <byte length>\0<bytes>". */
export function gitBlobOid(content: string | Buffer): string {
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}

export class BlobCache {
  private readonly folder: string | undefined;
  private readonly madeFolders = new Set<string>();

  /** `dir` undefined: no cache (every blob is fetched). */
  constructor(dir: string | undefined) {
    this.folder = dir ? join(dir, 'blobs') : undefined;
  }

  get(oid: string): string | undefined {
    if (!this.folder || !/^[0-9a-f]{40}$/.test(oid)) return undefined;
    const path = this.pathOf(oid);
    try {
      const content = readFileSync(path);
      if (gitBlobOid(content) === oid) return content.toString('utf8');
      // A damaged entry (a crash mid-write, a disk fault, a tampered cache) is a miss, never content: drop it for
      // a fresh one, which is stored again once it hashes to its id.
      unlinkSync(path);
    } catch {
      // Not cached (or not readable): a miss.
    }
    return undefined;
  }

  /** Stores content fetched for `oid`: only if it hashes to that id, so a corrupt fetch is never cached. */
  put(oid: string, content: Buffer | string): void {
    if (!this.folder || !/^[0-9a-f]{40}$/.test(oid) || gitBlobOid(content) !== oid) return;
    try {
      const path = this.pathOf(oid);
      const folder = join(path, '..');
      if (!this.madeFolders.has(folder)) {
        mkdirSync(folder, { recursive: true });
        this.madeFolders.add(folder);
      }
      // 'wx': an entry that exists is left alone (its name is its content's hash); a half-written one from a crash
      // fails the hash check on read and is replaced then.
      writeFileSync(path, content, { flag: 'wx' });
    } catch {
      // A cache that cannot be written only costs the next run a fetch.
    }
  }

  private pathOf(oid: string): string {
    return join(this.folder as string, oid.slice(0, 2), oid.slice(2));
  }
}
