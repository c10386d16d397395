// Routes requests: fixed paths (discovery, OpenAPI, /version), resource paths (CRUD, watch,
// status, scale) and subresources other modules register (pods/log, pods/portforward...),
// including WebSocket/SPDY upgrades on the same server.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ResourceType } from '../api/resources';
import { ApiError, methodNotAllowed, notFoundPath } from '../api/status';
import type { ObjectStore } from '../registry/object-store';
import type { KubeObject } from '../store/types';
import { requestUrl } from './limits';
import { parseResourcePath, type ResourcePath } from './paths';
import { sendError, toApiError } from './respond';

export interface SubresourceContext {
  req: IncomingMessage;
  query: URLSearchParams;
  store: ObjectStore;
  resource: ResourceType;
  namespace: string | undefined;
  name: string;
  /** The parent object (already fetched; a missing one answered 404 before the handler runs). */
  object: KubeObject;
}

export interface SubresourceHandler {
  /** The kind discovery reports for the subresource (e.g. `Pod`, `PodPortForwardOptions`). */
  kind: string;
  /** Verbs discovery reports, e.g. ['get'] for log, ['create', 'get'] for portforward. */
  verbs: string[];
  /** Plain HTTP requests (any method). */
  handle?(ctx: SubresourceContext & { res: ServerResponse }): void | Promise<void>;
  /** Upgrade requests (WebSocket, SPDY) on the same path; the handler owns the socket. */
  upgrade?(ctx: SubresourceContext & { socket: Duplex; head: Buffer }): void | Promise<void>;
}

export type RouteHandler = (req: IncomingMessage, res: ServerResponse, url: URL) => void | Promise<void>;
export type ResourceHandler = (req: IncomingMessage, res: ServerResponse, url: URL, path: ResourcePath) => Promise<void>;

export class Router {
  private readonly routes = new Map<string, RouteHandler>();
  private readonly subresources = new Map<string, SubresourceHandler>();

  constructor(
    private readonly store: ObjectStore,
    private readonly resources: ResourceHandler,
  ) {}

  /** A fixed path, e.g. `GET /version`. */
  addRoute(method: string, path: string, handler: RouteHandler): void {
    this.routes.set(`${method} ${path}`, handler);
  }

  /** Serves `{plural}/{name}/{subresource}` and lists it in discovery. */
  addSubresource(plural: string, subresource: string, handler: SubresourceHandler): void {
    const type = this.store.resource(plural);
    type.subresources = [...type.subresources.filter((s) => s.name !== subresource), { name: subresource, kind: handler.kind, verbs: handler.verbs }];
    this.subresources.set(`${plural}/${subresource}`, handler);
  }

  async handleRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const url = requestUrl(req);
      const route = this.routes.get(`${req.method} ${url.pathname.replace(/\/$/, '') || '/'}`);
      if (route) return await route(req, res, url);
      const path = parseResourcePath(url.pathname);
      if (!path) throw notFoundPath();
      const custom = path.subresource ? this.subresources.get(`${path.plural}/${path.subresource}`) : undefined;
      if (custom) {
        if (!custom.handle) throw methodNotAllowed();
        return await custom.handle({ ...this.context(req, url, path), res });
      }
      await this.resources(req, res, url, path);
    } catch (error) {
      sendError(res, error);
    }
  }

  async handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    try {
      const url = requestUrl(req);
      const path = parseResourcePath(url.pathname);
      const custom = path?.subresource ? this.subresources.get(`${path.plural}/${path.subresource}`) : undefined;
      if (!path || !custom?.upgrade) throw notFoundPath();
      await custom.upgrade({ ...this.context(req, url, path), socket, head });
    } catch (error) {
      rejectUpgrade(socket, toApiError(error));
    }
  }

  private context(req: IncomingMessage, url: URL, path: ResourcePath): SubresourceContext {
    const resource = this.store.resource(path.plural);
    if (!path.name) throw notFoundPath();
    const object = this.store.get(path.plural, path.namespace, path.name);
    return { req, query: url.searchParams, store: this.store, resource, namespace: path.namespace, name: path.name, object };
  }
}

/** Answers an upgrade request that cannot be served with a plain HTTP Status response. */
export function rejectUpgrade(socket: Duplex, error: ApiError): void {
  const body = JSON.stringify(error.toStatus());
  socket.end(
    `HTTP/1.1 ${error.code} ${error.reason}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}
