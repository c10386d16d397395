import { type AddressInfo, createServer } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { expect, it } from 'vitest';
import { accessFor, readDeployment } from '../index';

/** A loopback port that nothing listens on any more. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

it('says which API server cannot be reached, in one line, when nothing listens there', async () => {
  const server = `https://127.0.0.1:${await closedPort()}`;
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'c', server, skipTLSVerify: true }],
    users: [{ name: 'u', token: 't' }],
    contexts: [{ name: 'kind-gone', cluster: 'c', user: 'u' }],
    currentContext: 'kind-gone',
  });
  const error = await readDeployment(accessFor(kc), 'catalog').catch((e: unknown) => e);
  expect(error).toMatchObject({
    kind: 'unreachable',
    message: `cannot reach the API server at ${server} (connection refused): is the cluster of context "kind-gone" running?`,
  });
});
