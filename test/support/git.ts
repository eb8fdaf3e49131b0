/** Throw-away git repositories for the pre-merge tests: a base commit, then the head as files in the work tree. */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface GitFolder {
  /** The work tree's top folder. */
  root: string;
  /** Writes files (path relative to the root → text); `null` deletes the file. */
  write(files: Record<string, string | null>): void;
  /** Commits everything in the work tree; returns the commit id. */
  commit(message: string): string;
  git(...args: string[]): string;
}

/** A git repository in a fresh temporary folder holding `files`, committed once as the base (branch `main`). */
export function gitFolder(files: Record<string, string | null>): GitFolder {
  const root = mkdtempSync(join(tmpdir(), 'dispatch-lint-git-'));
  // No user or system config: a signing hook or a template on this machine must not change the test.
  const env = { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: 'test', GIT_AUTHOR_EMAIL: 'test@example.com', GIT_COMMITTER_NAME: 'test', GIT_COMMITTER_EMAIL: 'test@example.com' };
  const git = (...args: string[]) => execFileSync('git', args, { cwd: root, env, encoding: 'utf8' });
  const folder: GitFolder = {
    root,
    write(changes) {
      for (const [path, text] of Object.entries(changes)) {
        const file = join(root, path);
        if (text === null) rmSync(file, { force: true });
        else {
          mkdirSync(dirname(file), { recursive: true });
          writeFileSync(file, text);
        }
      }
    },
    commit(message) {
      git('add', '-A');
      git('commit', '-q', '--allow-empty', '-m', message);
      return git('rev-parse', 'HEAD').trim();
    },
    git,
  };
  git('init', '-q', '-b', 'main');
  folder.write(files);
  folder.commit('base');
  return folder;
}
