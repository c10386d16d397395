// `kubectl exec` into a pod that runs from a local Docker image: the command runs inside the
// container (its user, working directory, environment), with stdin, the exit code and a terminal.
// Needs a Docker engine: without one it is skipped and says why (REQUIRE_DOCKER=1 makes that a failure).
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startTerminal } from '@ffk/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { noDockerReason, testImage } from '../../runtime/containers/fixtures/test-image';
import { startSim, type Sim } from '../../sim';

const skipReason = await noDockerReason();
const requireDocker = process.env.REQUIRE_DOCKER === '1';
if (skipReason && !requireDocker) console.log(`kube-sim docker exec tests skipped: ${skipReason}; they run where a Docker engine answers (REQUIRE_DOCKER=1 makes this a failure)`);

it.runIf(skipReason !== undefined && requireDocker)('has a Docker engine, as REQUIRE_DOCKER=1 demands', () => {
  expect.fail(`REQUIRE_DOCKER=1 but ${skipReason}`);
});

describe.skipIf(skipReason !== undefined)('kubectl exec into a container on the Docker engine', { timeout: 90_000 }, () => {
  let sim: Sim;
  const kubectl = (args: string[], input: string | Buffer = '') =>
    new Promise<{ code: number; stdout: Buffer; stderr: string }>((resolve) => {
      const child = execFile('kubectl', ['--kubeconfig', sim.kubeconfigPath, ...args], { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024, timeout: 30_000 }, (error, stdout, stderr) =>
        resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr: stderr.toString() }),
      );
      child.stdin!.end(input);
    });

  beforeAll(async () => {
    const image = await testImage();
    sim = await startSim({ runtime: { imageMap: fileURLToPath(new URL('../../runtime/fixtures/images.yaml', import.meta.url)), nodePorts: {} } });
    const file = join(sim.stateDir, 'pod.yaml');
    writeFileSync(file, `
apiVersion: v1
kind: Pod
metadata: { name: boxed }
spec:
  terminationGracePeriodSeconds: 1
  containers:
    - name: app
      image: ${image}
      env: [{ name: GREETING, value: hello-in-a-container }]
`);
    expect((await kubectl(['apply', '-f', file])).code).toBe(0);
    expect((await kubectl(['wait', '--for=condition=Ready', 'pod/boxed', '--timeout=60s'])).code).toBe(0);
  }, 120_000);

  afterAll(async () => {
    await sim?.stop();
  });

  it("runs the command inside the container: the image's user and working directory, the pod's env, its exit code", async () => {
    const script = "console.log(process.env.GREETING, process.cwd(), process.getuid(), require('fs').existsSync('/app/app.ts')); process.exit(3)";
    const result = await kubectl(['exec', 'boxed', '--', 'node', '-e', script]);
    expect(result.stdout.toString()).toBe('hello-in-a-container /app 1000 true\n');
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('command terminated with exit code 3');
  });

  it('pipes stdin through docker exec byte for byte', async () => {
    const input = randomBytes(1024 * 1024);
    const result = await kubectl(['exec', '-i', 'boxed', '--', 'node', '-e', 'process.stdin.pipe(process.stdout)'], input);
    expect(result.code).toBe(0);
    expect(result.stdout.equals(input)).toBe(true);
  });

  it('gives -it a terminal of kubectl\'s size inside the container', async () => {
    const terminal = startTerminal('kubectl', ['--kubeconfig', sim.kubeconfigPath, 'exec', '-it', 'boxed', '--', 'node', '-e', "console.log('tty', process.stdout.isTTY, process.stdout.columns, process.stdout.rows)"], { cols: 90, rows: 25 });
    try {
      await terminal.waitForScreen((screen) => screen.includes('tty true 90 25'), 'the terminal size seen in the container');
    } finally {
      await terminal.stop();
    }
  });
});
