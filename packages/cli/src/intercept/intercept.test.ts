// `ffk intercept`, `leave`, `list`, `uninstall`, `gc` as a user runs them (the bin as a child
// process) against kube-sim with pods running the real agent.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nameOf, newestReadyPod, openPortForward } from '@ffk/cluster';
import { containersOf, type ControlSim, deployApp, getOver, startControlSim, startLaptopServer } from '@ffk/intercept/control/testing';
import { defined } from '@ffk/test-kit/defined';
import type { V1Deployment } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../../bin/ffk.mjs', import.meta.url));

interface Run {
  child: ChildProcessWithoutNullStreams;
  stdout: string;
  stderr: string;
  exited: Promise<number>;
  /** resolves with the first JSON event of this type */
  event(type: string): Promise<Record<string, unknown>>;
}

describe('ffk intercept against kube-sim', { timeout: 120_000 }, () => {
  let sim: ControlSim;
  let local: Server;
  let localPort: number;
  let scratch: string;
  const runs: Run[] = [];

  const ffk = (...args: string[]): Run => {
    const child = spawn(process.execPath, [bin, ...args], { env: { ...process.env, KUBECONFIG: sim.kubeconfigPath, FFK_STATE_DIR: scratch } });
    const run: Run = {
      child,
      stdout: '',
      stderr: '',
      exited: new Promise((resolve) => child.once('exit', (code) => resolve(code ?? 1))),
      event: (type) =>
        new Promise((resolve, reject) => {
          const check = () => {
            for (const line of run.stdout.split('\n')) {
              if (!line.startsWith('{')) continue;
              const parsed = JSON.parse(line) as Record<string, unknown>;
              if (parsed.event === type) return resolve(parsed);
            }
          };
          child.stdout.on('data', check);
          void run.exited.then(() => reject(new Error(`ffk exited before "${type}": ${run.stderr}${run.stdout}`)));
        }),
    };
    child.stdout.on('data', (chunk: Buffer) => (run.stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (run.stderr += chunk.toString()));
    runs.push(run);
    return run;
  };
  const finished = async (...args: string[]) => {
    const run = ffk(...args);
    const code = await run.exited;
    return { code, stdout: run.stdout, stderr: run.stderr };
  };
  const viaAgent = async (path = '/', headers: Record<string, string> = {}) => {
    const access = sim.access();
    const pod = nameOf(await newestReadyPod(access.kc, 'default', { app: 'named' }));
    return getOver(await openPortForward(access.kc, 'default', pod, 9900), path, headers);
  };

  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'ffk-cli-intercept-'));
    sim = await startControlSim();
    await deployApp(sim, 'named', { portName: 'http' });
    ({ server: local, port: localPort } = await startLaptopServer());
  });

  afterAll(async () => {
    for (const run of runs) run.child.kill('SIGKILL');
    local?.close();
    await sim?.stop();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('prints the target first, installs the agent, routes requests until Ctrl-C, then the pods answer again', async () => {
    const before = await sim.getJson<V1Deployment>('deployment', 'named');
    // A cluster that may pull only from its own registry runs the agent on its mirror of the Node image.
    const run = ffk('intercept', 'named', '--port', String(localPort), '--agent-image', 'mirror.example/library/node:24.21.0-bookworm-slim');
    await new Promise<void>((resolve) => run.child.stdout.on('data', () => run.stdout.includes('● intercepting') && resolve()));
    expect(run.stdout.split('\n').slice(0, 6).join('\n')).toMatch(
      /^ffk intercept named\n {2}context {4}ffk-sim\n {2}server {5}https:\/\/127\.0\.0\.1:\d+\n {2}namespace {2}default\n {2}workload {3}deployment\/named\n {2}mode {7}global: every request goes to 127\.0\.0\.1:\d+$/,
    );
    expect(run.stdout).toContain('→ waiting for the rollout of deployment named with the agent');
    expect(run.stdout).toMatch(
      /✓ agent installed in deployment named \((\d+\.\d+\.\d+\+[0-9a-f]{10}) on mirror\.example\/library\/node:24\.21\.0-bookworm-slim\)/,
    );
    const version = defined(/agent installed in deployment named \((\S+) on/.exec(run.stdout), 'the installed agent version')[1];
    expect((await viaAgent('/x')).body).toBe('laptop /x');

    const list = await finished('list', '-o', 'json');
    const named = (
      JSON.parse(list.stdout) as { workloads: { name: string; installed: boolean; record: { version: string }; intercepts: { mode: string }[] }[] }
    ).workloads.find((w) => w.name === 'named');
    expect(named).toMatchObject({ installed: true, record: { version }, intercepts: [{ mode: 'global' }] });
    expect((await finished('list')).stdout).toMatch(new RegExp(`named\\s+1/1\\s+${version.replace('+', '\\+')} \\(http→3000\\)`));
    const status = await finished('status');
    expect(status.stdout).toMatch(/named\s+default\s+ffk-sim\s+global/);

    run.child.kill('SIGINT');
    expect(await run.exited).toBe(0);
    expect(run.stdout).toContain('✓ left the intercept of named (Ctrl-C)');
    expect((await viaAgent('/x')).servedBy).toMatch(/^named-/);

    const uninstall = await finished('uninstall', 'named');
    expect(uninstall.code).toBe(0);
    expect(uninstall.stdout).toMatch(/✓ named: agent removed, Deployment restored/);
    const after = await sim.getJson<V1Deployment>('deployment', 'named');
    expect(after.spec).toEqual(before.spec);
  });

  it('ends with the exit code of `-- <command>`, which ran with the imported env and an env file', async () => {
    const envFile = join(scratch, 'named.env');
    // An existing file others may read: the Secret values written into it must not be.
    writeFileSync(envFile, '# old\n', { mode: 0o644 });
    chmodSync(envFile, 0o644);
    const run = ffk(
      'intercept',
      'named',
      '--port',
      `${localPort}:web`,
      '--write-env',
      envFile,
      '-o',
      'json',
      '--',
      process.execPath,
      '-e',
      'process.exit(process.env.PORT === process.argv[1] ? 7 : 1)',
      String(localPort),
    );
    const active = await run.event('active');
    expect(active).toMatchObject({ port: 'http', localPort });
    expect(await run.exited).toBe(7);
    const left = JSON.parse(defined(run.stdout.trim().split('\n').at(-1), 'the last JSON event')) as Record<string, unknown>;
    expect(left).toMatchObject({ event: 'left', exitCode: 7 });
    // PORT was the pod's 3000; locally it is the port the connector delivers to.
    expect(readFileSync(envFile, 'utf8')).toContain(`PORT=${localPort}\n`);
    expect(statSync(envFile).mode & 0o777).toBe(0o600);
    expect((await viaAgent('/')).servedBy).toMatch(/^named-/);
  });

  it('refuses a second global intercept in one line naming the holder, and allows a personal one beside it', async () => {
    const first = ffk('intercept', 'named', '--port', String(localPort), '-o', 'json');
    await first.event('active');
    const second = await finished('intercept', 'named', '--port', String(localPort));
    expect(second.code).toBe(1);
    expect(second.stderr.trim().split('\n'), second.stderr).toHaveLength(1);
    // The holder's name is what the API server says about the user (SelfSubjectReview), not the OS user.
    expect(second.stderr).toMatch(
      /^ffk: another developer holds a global intercept on named \(.*held by kubernetes-admin@.*\): intercept only your own requests with --user <your name>/,
    );

    const personal = ffk('intercept', 'named', '--port', String(localPort), '--user', 'bob', '-o', 'json');
    await personal.event('active');
    personal.child.kill('SIGTERM');
    first.child.kill('SIGTERM');
    expect(await Promise.all([personal.exited, first.exited]), personal.stderr + first.stderr).toEqual([0, 0]);
  });

  it('answers mistakes in one line that says what to do', async () => {
    const typo = await finished('intercept', 'nmaed', '--port', '3000');
    expect(typo.code).toBe(1);
    expect(typo.stderr).toBe('ffk: deployment "nmaed" not found in namespace "default" (context "ffk-sim"): did you mean "named"?\n');

    // Personal intercepts that would take other people's requests are refused before anything changes.
    const host = await finished('intercept', 'named', '--port', '3000', '--header', 'Host=shop.example');
    expect(host.stderr).toBe(
      "ffk: --header: a personal intercept cannot route on the standard request header host: every request carries it, so it would take other people's traffic; use a header of your own such as x-ffk-user\n",
    );
    const empty = await finished('intercept', 'named', '--port', '3000', '--user', '');
    expect(empty.stderr).toBe('ffk: --user: a personal intercept needs a non-empty value for x-ffk-user (e.g. your name)\n');

    const port = await finished('intercept', 'named', '--port', 'abc');
    expect(port.stderr).toBe(
      'ffk: --port abc is not <local port>[:<service port>]: use e.g. --port 3000 (the port your local process listens on) or --port 3000:80\n',
    );

    // A context that is not local: the banner names it, then the refusal; nothing is changed.
    const remote = join(scratch, 'remote-kubeconfig');
    writeFileSync(
      remote,
      readFileSync(sim.kubeconfigPath, 'utf8')
        .replace(/server: https:\/\/127\.0\.0\.1:\d+/, 'server: https://203.0.113.7:6443')
        .replaceAll('ffk-sim', 'gke_shop_prod'),
    );
    const refused = await finished('intercept', 'named', '--port', '3000', '--kubeconfig', remote);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain('context    gke_shop_prod');
    expect(refused.stderr).toBe(
      'ffk: refusing to change context "gke_shop_prod" (https://203.0.113.7:6443): it is not a local cluster: context "gke_shop_prod" is not named like a local cluster (kind-*, k3d-*, minikube, docker-desktop, rancher-desktop, ffk-sim); switch to a local context with --context, or pass --allow-remote-context if you mean it\n',
    );
    // A local-sounding name with a remote server, and a loopback server (a tunnel, here the sim itself) under any other name: refused too.
    const kindProd = join(scratch, 'kind-prod-kubeconfig');
    writeFileSync(kindProd, readFileSync(remote, 'utf8').replaceAll('gke_shop_prod', 'kind-prod'));
    expect((await finished('intercept', 'named', '--port', '3000', '--kubeconfig', kindProd)).stderr).toContain(
      'it is not a local cluster: context "kind-prod" is named like kind, but its server https://203.0.113.7:6443 is not on loopback or on a local container network; switch to a local context with --context, or pass --allow-remote-context',
    );
    const tunnel = join(scratch, 'tunnel-kubeconfig');
    writeFileSync(tunnel, readFileSync(sim.kubeconfigPath, 'utf8').replaceAll('ffk-sim', 'prod-via-ssh'));
    const specBefore = (await sim.getJson<V1Deployment>('deployment', 'named')).spec;
    const viaTunnel = await finished('intercept', 'named', '--port', '3000', '--kubeconfig', tunnel);
    expect(viaTunnel.code).toBe(1);
    expect(viaTunnel.stderr).toContain(
      'context "prod-via-ssh" is not named like a local cluster (kind-*, k3d-*, minikube, docker-desktop, rancher-desktop, ffk-sim) (a server on loopback is not proof: it may be a tunnel or proxy to a remote cluster)',
    );
    expect((await sim.getJson<V1Deployment>('deployment', 'named')).spec).toEqual(specBefore);
  });

  it('gc removes an agent whose lease has expired, leave ends an intercept from another terminal', async () => {
    await finished('uninstall', 'named'); // so this intercept installs it with a short lease
    const run = ffk('intercept', 'named', '--port', String(localPort), '--lease-seconds', '5', '-o', 'json');
    await run.event('active');
    const leave = await finished('leave', 'named');
    expect(leave.stdout).toContain('✓ left the intercept of named in default (context ffk-sim)');
    expect(await run.exited).toBe(0);
    await new Promise((r) => setTimeout(r, 5500));
    const gc = await finished('gc');
    expect(gc.stdout).toContain('✓ removed the agent from named');
    const after = await sim.getJson<V1Deployment>('deployment', 'named');
    expect(containersOf(after).map((c) => c.name)).toEqual(['app']);
  });
});
