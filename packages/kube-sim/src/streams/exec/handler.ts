// The `pods/exec` and `pods/attach` subresources: options checked as kube-apiserver checks them,
// the container found as the kubelet finds it, then the streams over whichever protocol the
// client speaks (WebSocket v5/v4 channels, kubectl 1.32's default; SPDY/3.1, its fallback).
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { ApiError, badRequest } from '../../api/status';
import type { SubresourceHandler } from '../../http/router';
import type { ContainerRunner } from '../../runtime/container-runner';
import type { PodWorker } from '../../runtime/pod-worker';
import { acceptSpdyUpgrade } from '../spdy/upgrade';
import { parseRemoteCommandOptions, type RemoteCommandKind } from './options';
import type { RemoteStreams } from './remote-streams';
import { runAttach, runExec } from './sessions';
import { SPDY_PROTOCOLS, SpdyStreams } from './spdy-streams';
import { WEBSOCKET_PROTOCOLS, WebSocketStreams } from './websocket-streams';

type Workers = (namespace: string, name: string) => PodWorker | undefined;

function runningContainer(workers: Workers, namespace: string, podName: string, container: string | undefined): ContainerRunner {
  const worker = workers(namespace, podName);
  const runner = worker?.container(container);
  if (typeof runner === 'string') throw badRequest(runner);
  // What the kubelet answers when the runtime has no such running container.
  if (!runner?.isRunning) throw badRequest(`container not found ("${runner?.name ?? container ?? podName}")`);
  return runner;
}

export function remoteCommandHandler(kind: RemoteCommandKind, workers: Workers): SubresourceHandler {
  const server = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    handleProtocols: (offered) => [...offered].find((p) => WEBSOCKET_PROTOCOLS.includes(p)) ?? false,
  });
  return {
    kind: kind === 'exec' ? 'PodExecOptions' : 'PodAttachOptions',
    verbs: ['create', 'get'],
    handle() {
      throw badRequest(`Upgrade request required: ${kind} is a WebSocket (${WEBSOCKET_PROTOCOLS.join(', ')}) or SPDY/3.1 upgrade`);
    },
    upgrade({ req, socket, head, query, namespace, name }) {
      const options = parseRemoteCommandOptions(query, kind);
      const runner = runningContainer(workers, namespace ?? 'default', name, options.container);
      const start = (streams: RemoteStreams) => (kind === 'exec' ? void runExec(runner, options, streams) : runAttach(runner, streams));
      const upgrade = (req.headers.upgrade ?? '').toLowerCase();
      if (upgrade === 'spdy/3.1') {
        acceptSpdyUpgrade(req, socket, head, SPDY_PROTOCOLS);
        new SpdyStreams(socket, options, start);
        return;
      }
      if (upgrade !== 'websocket') throw badRequest(`unsupported upgrade "${req.headers.upgrade ?? ''}": ${kind} speaks WebSocket or SPDY/3.1`);
      const offered = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim()).filter(Boolean);
      if (!offered.some((p) => WEBSOCKET_PROTOCOLS.includes(p))) {
        throw new ApiError(400, 'BadRequest', `requested protocol(s) are not supported: [${offered.join(' ')}]; supports [${WEBSOCKET_PROTOCOLS.join(' ')}]`);
      }
      server.handleUpgrade(req, socket as Duplex, head, (ws) => start(new WebSocketStreams(ws, options)));
    },
  };
}
