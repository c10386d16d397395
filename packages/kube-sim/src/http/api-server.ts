// The HTTPS server: bearer-token authentication, then the router (fixed routes for discovery,
// OpenAPI, /version and health; resource paths; registered subresources and upgrades).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { Duplex } from 'node:stream';
import { AGGREGATED_CONTENT_TYPE, aggregatedDiscovery, apiGroup, apiGroupList, apiResourceList, apiVersions, wantsAggregated } from '../api/discovery';
import { buildOpenApiV3, type OpenApiV3 } from '../api/openapi-document';
import { resourceHandler } from '../api/resource-handlers';
import { ApiError, forbidden, notFoundPath, unauthorized } from '../api/status';
import type { WatchSettings } from '../api/watch-handler';
import { requestAttributes } from '../auth/attributes';
import { effectiveUser } from '../auth/impersonation';
import { RbacAuthorizer } from '../auth/rbac';
import { authenticator, setRequestUser, type TokenUser, type UserInfo } from '../auth/users';
import type { ObjectStore } from '../registry/object-store';
import type { Certificate } from '../tls/certificate';
import { requestUrl } from './limits';
import { sendError, sendJson, toApiError } from './respond';
import { rejectUpgrade, Router } from './router';

/** Paths a real API server shows to anyone (system:public-info-viewer). */
const PUBLIC_PATHS = new Set(['/healthz', '/livez', '/readyz', '/version']);

export const KUBERNETES_VERSION = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.0-ffk-sim',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2024-12-11T00:00:00Z',
  goVersion: 'go1.23.3',
  compiler: 'gc',
  platform: `${process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}`,
};

export interface ApiServer {
  server: Server;
  router: Router;
  watches: WatchSettings;
}

function discoveryRoutes(router: Router, store: ObjectStore, serverAddress: () => string): void {
  let openapi: OpenApiV3 | undefined; // built on first use, after other modules registered subresources
  const discovery = (legacy: boolean) => (req: IncomingMessage, res: ServerResponse) => {
    if (wantsAggregated(req.headers.accept)) return sendJson(res, 200, aggregatedDiscovery(store.resources, legacy), AGGREGATED_CONTENT_TYPE);
    sendJson(res, 200, legacy ? apiVersions(serverAddress()) : apiGroupList(store.resources));
  };
  router.addRoute('GET', '/api', discovery(true));
  router.addRoute('GET', '/apis', discovery(false));
  router.addRoute('GET', '/api/v1', (_req, res) => sendJson(res, 200, apiResourceList(store.resources, '', 'v1')));
  for (const group of new Set(store.resources.map((r) => r.group).filter(Boolean))) {
    router.addRoute('GET', `/apis/${group}`, (_req, res) => sendJson(res, 200, apiGroup(group)));
    router.addRoute('GET', `/apis/${group}/v1`, (_req, res) => sendJson(res, 200, apiResourceList(store.resources, group, 'v1')));
  }
  router.addRoute('GET', '/version', (_req, res) => sendJson(res, 200, KUBERNETES_VERSION));
  for (const path of ['/healthz', '/livez', '/readyz']) {
    router.addRoute('GET', path, (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('ok');
    });
  }
  router.addRoute('GET', '/openapi/v3', (_req, res) => {
    openapi ??= buildOpenApiV3(store.resources);
    sendJson(res, 200, openapi.index);
  });
  for (const key of ['api/v1', ...[...new Set(store.resources.map((r) => r.group).filter(Boolean))].map((g) => `apis/${g}/v1`)]) {
    router.addRoute('GET', `/openapi/v3/${key}`, (_req, res) => {
      openapi ??= buildOpenApiV3(store.resources);
      const document = openapi.documents.get(key);
      if (!document) throw notFoundPath();
      res.writeHead(200, {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(document.body),
        etag: `"${document.hash}"`,
        'cache-control': 'public, immutable',
      });
      res.end(document.body);
    });
  }
}

export interface ApiServerOptions {
  /** The admin's token (system:masters). */
  token: string;
  /** Other users, held to RBAC. */
  users: TokenUser[];
  certificate: Certificate;
  bookmarkIntervalMs: number;
  /** Fixed watch lifetime in seconds; default: random between 30 and 60 minutes, as kube-apiserver. */
  watchTimeoutSeconds?: number;
}

export function createApiServer(store: ObjectStore, options: ApiServerOptions): ApiServer {
  const defaultWatchSeconds = () => options.watchTimeoutSeconds ?? 1800 * (1 + Math.random());
  const watches: WatchSettings = { bookmarkIntervalMs: options.bookmarkIntervalMs, defaultWatchSeconds, open: new Set() };
  const authorizer = new RbacAuthorizer(store);
  const authenticate = authenticator(options.token, options.users);
  const router = new Router(store, resourceHandler(store, watches, authorizer));
  const server = createServer({ key: options.certificate.keyPem, cert: options.certificate.certPem });
  const address = () => {
    const bound = server.address();
    return bound && typeof bound === 'object' ? `${bound.address}:${bound.port}` : '127.0.0.1';
  };
  discoveryRoutes(router, store, address);

  /** Authentication, impersonation, then authorization (as kube-apiserver's filters): the user, or the error to answer. */
  const admit = (req: IncomingMessage): UserInfo | ApiError => {
    let url: URL;
    try {
      url = requestUrl(req);
    } catch (error) {
      return error as ApiError;
    }
    const requester = authenticate(req);
    if (!requester) return unauthorized();
    const user = effectiveUser(req, requester, authorizer);
    if (user instanceof ApiError) return user;
    const attributes = requestAttributes(user, req.method ?? 'GET', url);
    const decision = authorizer.authorize(attributes);
    if (!decision.allowed) return forbidden(attributes, decision.reason);
    setRequestUser(req, user);
    return user;
  };

  // Whatever a request holds, it is answered: an unexpected error is a 500, never a stopped server.
  const admitOrError = (req: IncomingMessage): UserInfo | ApiError => {
    try {
      return admit(req);
    } catch (error) {
      return toApiError(error);
    }
  };

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0];
    if (PUBLIC_PATHS.has(path)) return void router.handleRequest(req, res);
    const admitted = admitOrError(req);
    if (admitted instanceof ApiError) return sendError(res, admitted);
    void router.handleRequest(req, res);
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const admitted = admitOrError(req);
    if (admitted instanceof ApiError) return rejectUpgrade(socket, admitted);
    void router.handleUpgrade(req, socket, head);
  });
  return { server, router, watches };
}
