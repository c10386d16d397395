// What `ffk intercept` makes of --user, --header and --mirror, and how it refuses what the agent
// would refuse: before anything touches a cluster, in one line naming the flag.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { describeMode, modeLabel, parseInterceptSpec } from './flags';

const run = promisify(execFile);
const bin = fileURLToPath(new URL('../../bin/ffk.mjs', import.meta.url));

describe('intercept mode flags', () => {
  it('--mirror alone mirrors every request; with --user or --header only those requests', () => {
    expect(parseInterceptSpec(undefined, undefined, true)).toEqual({ mode: 'mirror' });
    expect(parseInterceptSpec('alice', undefined, true)).toEqual({ mode: 'mirror', value: 'alice' });
    expect(parseInterceptSpec(undefined, 'X-Team=blue', true)).toEqual({ mode: 'mirror', header: 'x-team', value: 'blue' });
    // Without --mirror nothing changed.
    expect(parseInterceptSpec(undefined, undefined)).toEqual({ mode: 'global' });
    expect(parseInterceptSpec('alice', undefined)).toEqual({ mode: 'personal', value: 'alice' });
  });

  it('names the mode the way the banner, `ffk status` and `ffk list` show it', () => {
    expect(describeMode({ mode: 'mirror' }, 3000)).toBe(
      'mirror: the cluster answers every request; a copy of every request goes to 127.0.0.1:3000, its answer logged and discarded',
    );
    expect(describeMode({ mode: 'mirror', header: 'x-team', value: 'blue' }, 3000)).toMatch(
      /a copy of each request with x-team: blue goes to 127\.0\.0\.1:3000/,
    );
    expect(([{ mode: 'mirror' }, { mode: 'mirror', value: 'alice' }, { mode: 'personal', value: 'bob' }, { mode: 'global' }] as const).map(modeLabel)).toEqual([
      'mirror',
      'mirror x-ffk-user=alice',
      'personal x-ffk-user=bob',
      'global',
    ]);
  });

  it.each([
    [['--user', ''], /^--user: a mirror needs a non-empty value for x-ffk-user/],
    [['--header', 'cookie=a=1'], /^--header: a mirror cannot select on the standard request header cookie/],
    [['--header', 'x-team='], /^--header: a mirror needs a non-empty value for x-team/],
    [['--header', 'x-team'], /^--header x-team is not NAME=VALUE/],
    [['--user', 'a', '--header', 'x-team=b'], /^--user and --header both select the requests to mirror: give one of them/],
  ])('refuses --mirror %j with the rule it breaks', (flags, message) => {
    const [user, header] = [flags.indexOf('--user'), flags.indexOf('--header')].map((i) => (i < 0 ? undefined : flags[i + 1]));
    expect(() => parseInterceptSpec(user, header, true)).toThrow(message);
  });

  it('the bin refuses a bad mirror in one line, exit 1, before it reads any kubeconfig', async () => {
    const failed = await run(process.execPath, [bin, 'intercept', 'catalog', '--port', '3000', '--mirror', '--header', 'host=shop'], {
      env: { ...process.env, KUBECONFIG: '/nonexistent/kubeconfig' },
    }).catch((error: unknown) => error as { code: number; stdout: string; stderr: string });
    expect(failed).toMatchObject({ code: 1 });
    const { stderr } = failed as { stderr: string };
    expect(stderr).toMatch(/^ffk: --header: a mirror cannot select on the standard request header host: every request carries it; .*\n$/);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });
});
