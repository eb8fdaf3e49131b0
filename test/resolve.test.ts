import { describe, expect, it } from 'vitest';
import { expandMatrix } from '../src/resolve/matrix.js';
import { baseShellEnv, githubContext, resolveText, type Scope } from '../src/resolve/resolver.js';

const scope = (extra: Partial<Scope['contexts']> = {}, declared: Scope['declared'] = () => undefined): Scope => ({
  contexts: { github: githubContext('acme/api'), ...extra },
  shellEnv: { ...baseShellEnv('acme/api'), TARGET: 'deploy' },
  declared,
});

describe('resolveText', () => {
  it('resolves github, env and matrix, and shell variables when asked', () => {
    expect(resolveText('${{ github.repository_owner }}/${{ matrix.r }}', scope({ matrix: { r: 'web' } }))).toEqual(['acme/web']);
    expect(resolveText('${{ env.X || github.repository }}', scope({ env: {} }))).toEqual(undefined);
    expect(resolveText('${{ env.X || github.repository }}', scope({ env: { X: '' } }))).toEqual(['acme/api']);
    expect(resolveText('"$GITHUB_REPOSITORY_OWNER/${TARGET}"'.slice(1, -1), scope(), { shell: true })).toEqual(['acme/deploy']);
    expect(resolveText('v$(cat VERSION)', scope(), { shell: true })).toBeUndefined();
  });

  it('leaves run-time values unresolved and uses declared values', () => {
    expect(resolveText('${{ steps.a.outputs.repo }}', scope())).toBeUndefined();
    expect(resolveText('${{ steps.a.outputs.repo }}', scope({}, (expression) => (expression === 'steps.a.outputs.repo' ? ['acme/x', 'acme/y'] : undefined)))).toEqual(['acme/x', 'acme/y']);
  });

  it('evaluates format(), case-insensitive comparisons and literals', () => {
    expect(resolveText("${{ format('{0}-{1}', 'a', 1) }}", scope())).toEqual(['a-1']);
    expect(resolveText("${{ github.repository == 'ACME/API' && 'same' || 'other' }}", scope())).toEqual(['same']);
  });
});

describe('expandMatrix', () => {
  it('crosses lists, applies include and exclude', () => {
    expect(expandMatrix({ os: ['a', 'b'], v: [1], include: [{ os: 'a', extra: true }, { os: 'c' }], exclude: [{ os: 'b' }] })).toEqual({ kind: 'known', combinations: [{ os: 'a', v: 1, extra: true }, { os: 'c' }] });
  });
  it('applies exclude before include, as GitHub does, so an include can add back an excluded combination', () => {
    expect(expandMatrix({ os: ['a', 'b'], exclude: [{ os: 'b' }], include: [{ os: 'b', extra: 1 }] })).toEqual({ kind: 'known', combinations: [{ os: 'a' }, { os: 'b', extra: 1 }] });
  });
  it('is unknown for a matrix computed at run time', () => {
    expect(expandMatrix('${{ fromJSON(needs.a.outputs.m) }}')).toEqual({ kind: 'unknown' });
    expect(expandMatrix({ include: '${{ fromJSON(x) }}' })).toEqual({ kind: 'unknown' });
  });
  it('stops past GitHub\'s 256 jobs, without building the rest', () => {
    expect(expandMatrix({ a: Array.from({ length: 1000 }, (_, i) => i), b: Array.from({ length: 1000 }, (_, i) => i) })).toEqual({ kind: 'too-many', atLeast: 1_000_000 });
    expect(expandMatrix({ include: Array.from({ length: 80_000 }, (_, i) => ({ r: i })) })).toEqual({ kind: 'too-many', atLeast: 257 });
    expect(expandMatrix({ include: Array.from({ length: 256 }, (_, i) => ({ r: i })) })).toMatchObject({ kind: 'known' });
  });
});
