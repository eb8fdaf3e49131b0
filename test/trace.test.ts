/**
 * `dispatch-lint trace EVENT --from REPO`: the cascade one dispatch sets off, compared whole with stored
 * outputs, through the built CLI as a user runs it.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Trace } from '../src/graph/trace.js';
import { expectedText, projectRoot, runCli } from './support/lint.js';

const expected = (name: string) => join(projectRoot, 'test', 'trace', name);

describe('trace', () => {
  const cases: [string, string[]][] = [
    ['market-data-fixed.core_release.txt', ['core_release', '--from', 'market-data-fixed/market-data-core', 'fixtures/market-data-fixed']],
    ['market-data-pending.core_release.txt', ['core_release', '--from', 'market-data-core', 'fixtures/market-data-pending']],
    ['market-data-pending.pipeline.core_release.txt', ['core_release', '--from', 'market-data-pipeline', 'fixtures/market-data-pending']],
    ['dispatch-cycle.txt', ['api-released', '--from', 'acme/api', 'fixtures/rules/dispatch-cycle/fail/acme']],
    ['unresolved-dispatch.txt', ['deploy', '--from', 'acme/api', 'fixtures/rules/unresolved-dispatch/fail/acme']],
    ['unknown-target-repo.txt', ['api-released', '--from', 'acme/api', 'fixtures/rules/unknown-target-repo/fail/acme']],
  ];
  for (const [file, args] of cases) {
    it(`trace ${args.join(' ')} prints test/trace/${file}`, () => {
      const run = runCli(['trace', ...args]);
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      expect(run.stdout).toBe(expectedText(expected(file), run.stdout));
    });
  }

  it('follows the market-data chain: core release → pipeline, store, orchestrator, ibkr → infra', () => {
    const run = runCli(['trace', 'core_release', '--from', 'market-data-core', 'fixtures/market-data-fixed', '--format', 'json']);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(expectedText(expected('market-data-fixed.core_release.json'), run.stdout));
    const trace = JSON.parse(run.stdout) as Trace;
    const short = (repo: string) => repo.replace('market-data-fixed/market-data-', '');
    expect(trace.hops.map((hop) => `${hop.event}→${short(hop.target)}`)).toEqual(['core_release→ibkr', 'core_release→orchestrator', 'core_release→pipeline', 'core_release→store']);
    const store = trace.hops[3]?.workflows[0];
    expect(store?.path).toBe('.github/workflows/on_core_release.yml');
    expect(store?.next.map((hop) => `${hop.event}→${short(hop.target)}:${hop.workflows.map((workflow) => workflow.path).join(',')}`)).toEqual(['downstream_release→infra:.github/workflows/on_downstream_release.yml']);
    expect(trace.summary).toEqual({ dispatches: 5, workflows: 5, repositories: 5, deadEnds: 0, loops: 0, unresolved: 0, external: 0, truncated: false });
  });

  it('marks a loop and does not follow it round again', () => {
    const trace = JSON.parse(runCli(['trace', 'api-released', '--from', 'acme/api', 'fixtures/rules/dispatch-cycle/fail/acme', '--format', 'json']).stdout) as Trace;
    const back = trace.hops[0]?.workflows[0]?.next[0]?.workflows[0];
    expect(back).toEqual({ repo: 'acme/api', path: '.github/workflows/release.yml', name: 'Release', stop: 'loop', next: [] });
    expect(trace.summary.loops).toBe(1);
  });

  it('is bad usage (exit 2) without --from, for a repository not scanned, and for an event the repository does not send', () => {
    const noFrom = runCli(['trace', 'core_release', 'fixtures/market-data-fixed']);
    expect(noFrom.status).toBe(2);
    expect(noFrom.stderr).toContain('usage: dispatch-lint trace EVENT --from REPO [PATH ...]');
    const unknown = runCli(['trace', 'core_release', '--from', 'acme/nothing', 'fixtures/market-data-fixed']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toBe("dispatch-lint: --from 'acme/nothing' is not among the scanned repositories\n");
    const unsent = runCli(['trace', 'core-release', '--from', 'market-data-core', 'fixtures/market-data-fixed']);
    expect(unsent.status).toBe(2);
    expect(unsent.stderr).toBe("dispatch-lint: market-data-fixed/market-data-core sends no dispatch 'core-release'; it sends: core_release\n");
    expect(runCli(['trace', 'core_release', '--from', 'market-data-core', 'fixtures/market-data-fixed', '--format', 'dot']).status).toBe(2);
    expect(runCli(['fixtures/market-data-fixed', '--from', 'market-data-core']).status).toBe(2);
  });
});
