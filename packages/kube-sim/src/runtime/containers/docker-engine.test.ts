// The Engine API client's pure parts: which socket it talks to, and the stdout/stderr framing of an attach stream.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { demultiplex, dockerSocketPath } from './docker-engine';

const frame = (stream: 1 | 2, text: string) => {
  const payload = Buffer.from(text);
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
};

describe('docker engine', () => {
  it('uses $DOCKER_HOST when it is a unix socket, the default without it, and nothing for tcp', () => {
    expect(dockerSocketPath({})).toBe('/var/run/docker.sock');
    expect(dockerSocketPath({ DOCKER_HOST: 'unix:///run/user/1000/docker.sock' })).toBe('/run/user/1000/docker.sock');
    expect(dockerSocketPath({ DOCKER_HOST: 'tcp://127.0.0.1:2375' })).toBeUndefined();
  });

  it('splits an attach stream into stdout and stderr, whatever the chunking', () => {
    const socket = new PassThrough();
    const seen: string[] = [];
    demultiplex(socket, (stream, payload) => seen.push(`${stream}:${payload}`));
    const bytes = Buffer.concat([frame(1, 'hello\n'), frame(2, 'oops\n'), frame(1, '')]);
    for (let i = 0; i < bytes.length; i += 3) socket.write(bytes.subarray(i, i + 3)); // frames cut across chunks
    expect(seen).toEqual(['stdout:hello\n', 'stderr:oops\n', 'stdout:']);
  });
});
