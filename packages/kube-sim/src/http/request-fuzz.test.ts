// Fuzz: random and mutated request paths and query strings, as any client (with or without a
// token) can send them, for a bounded time and count. Each gets an HTTP answer that is not a 5xx,
// and the simulator keeps serving. A failure names its seed: FFK_FUZZ_SEED=<seed> replays it.
import { type Fuzz, fuzzer, fuzzFor } from '@ffk/test-kit/fuzz';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sim, startSim } from '../sim';
import { isControlOrSpace } from './limits';
import { rawRequest } from './testing/raw-https';

const LIMITS = { ms: 12_000, count: 1500 };

const PATHS = [
  '/api',
  '/apis',
  '/api/v1',
  '/apis/apps/v1',
  '/version',
  '/openapi/v3',
  '/openapi/v3/api/v1',
  '/api/v1/namespaces',
  '/api/v1/namespaces/default',
  '/api/v1/namespaces/default/status',
  '/api/v1/namespaces/default/pods',
  '/api/v1/namespaces/default/pods/web-1/log',
  '/api/v1/namespaces/default/configmaps/settings',
  '/api/v1/watch/namespaces/default/configmaps',
  '/apis/apps/v1/namespaces/default/deployments/web/scale',
  '/apis/apps/v1/deployments',
  '/apis/rbac.authorization.k8s.io/v1/clusterroles/view',
  '/api/v1/nodes',
  '/apis/authentication.k8s.io/v1/selfsubjectreviews',
];
const QUERY_KEYS = [
  'watch',
  'labelSelector',
  'fieldSelector',
  'resourceVersion',
  'resourceVersionMatch',
  'limit',
  'continue',
  'timeoutSeconds',
  'allowWatchBookmarks',
  'sendInitialEvents',
  'propagationPolicy',
  'gracePeriodSeconds',
  'dryRun',
  'fieldManager',
  'fieldValidation',
  'force',
  'includeObject',
  'pretty',
  'follow',
  'tailLines',
  'container',
];
const VALUES = [
  '',
  'true',
  'false',
  '0',
  '-1',
  '1',
  '99999999999999999999',
  'NaN',
  'app=web',
  'app in (a,b)',
  '!app',
  'app!=',
  'metadata.name=x',
  'metadata.name==',
  'spec.nodeName=%',
  'a=b,c',
  '=',
  ',,',
  '(',
  'All',
  'Strict',
  'Exact',
  'NotOlderThan',
];

/** Percent-encodes the UTF-8 bytes (lone surrogates become U+FFFD, as a client would send them). */
const escape = (text: string) =>
  Buffer.from(text)
    .toString('latin1')
    .replace(/[^A-Za-z0-9._~-]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`);

function segment(fuzz: Fuzz): string {
  return fuzz.pick([
    () => fuzz.pick(['api', 'apis', 'v1', 'namespaces', 'default', 'pods', 'status', 'scale', 'watch', 'log', 'exec', 'proxy', '.', '..', '']),
    () => escape(fuzz.text(10)),
    () => fuzz.text(6).replace(/[\s#?]/g, ''),
    () => fuzz.pick(['%', '%z', '%zz', '%E0%A4%A', '%ff', '%00', '%2F', '%252F', '%C0%AF', '%u0041']),
  ])();
}

function target(fuzz: Fuzz): string {
  let segments = fuzz.pick(PATHS).split('/').slice(1);
  for (let n = fuzz.int(4); n > 0; n--) {
    const i = fuzz.int(segments.length + 1);
    if (fuzz.chance(0.5)) segments[i] = segment(fuzz);
    else segments.splice(i, fuzz.int(2), segment(fuzz));
  }
  if (fuzz.chance(0.1)) segments = segments.concat(Array.from({ length: fuzz.int(30) }, () => segment(fuzz)));
  const query = Array.from({ length: fuzz.int(5) }, () => {
    const key = fuzz.chance(0.8) ? fuzz.pick(QUERY_KEYS) : escape(fuzz.text(5));
    const value = fuzz.chance(0.7) ? escape(fuzz.pick(VALUES)) : fuzz.pick([escape(fuzz.text(20)), '%', '%zz', fuzz.text(8).replace(/[\s#]/g, '')]);
    return fuzz.chance(0.1) ? key : `${key}=${value}`;
  });
  // The request line cannot hold spaces or control characters: whatever the fuzz made, escape those.
  const raw = `/${segments.join('/')}${query.length ? `?${query.join('&')}` : ''}`;
  return [...raw].map((c) => (isControlOrSpace(c) ? `%${c.charCodeAt(0).toString(16).padStart(2, '0')}` : c)).join('');
}

describe('kube-sim request path and query fuzz', () => {
  let sim: Sim;

  beforeAll(async () => {
    sim = await startSim({ runtime: false, watchTimeoutSeconds: 1 });
  });
  afterAll(() => sim?.stop());

  it(
    'answers random and mutated paths and queries without a 5xx (but a resourceVersion ahead of the store, as Kubernetes does), and keeps serving',
    { timeout: 60_000 },
    async () => {
      const fuzz = fuzzer();
      const statuses = new Map<number, number>();
      const steps = await fuzzFor(fuzz, LIMITS, async (step) => {
        const path = target(fuzz);
        const method = fuzz.pick(['GET', 'GET', 'GET', 'HEAD', 'DELETE', 'POST', 'PATCH', 'OPTIONS']);
        const token = fuzz.chance(0.85) ? sim.token : undefined;
        const answer = await rawRequest({ url: sim.url, token }, method, path, { timeoutMs: 1500 });
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
        // Kubernetes itself answers a resourceVersion ahead of the store with this 504 (ResourceVersionTooLarge).
        const aheadOfStore = answer.status === 504 && answer.body.includes('"reason":"ResourceVersionTooLarge"');
        if (answer.status >= 500 && !aheadOfStore) throw new Error(`${method} ${path} answered ${answer.status}: ${answer.body.slice(0, 300)}`);
        if (step % 100 === 99) expect((await rawRequest({ url: sim.url }, 'GET', '/version')).status).toBe(200);
      });
      expect((await rawRequest({ url: sim.url, token: sim.token }, 'GET', '/api/v1/namespaces')).status).toBe(200);
      expect(steps).toBeGreaterThan(100);
      // The fuzz reached past the parser: some requests were served, some refused as malformed.
      expect(statuses.get(200)).toBeGreaterThan(0);
      expect(statuses.get(400)).toBeGreaterThan(0);
    },
  );
});
