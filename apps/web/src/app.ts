import express from 'express';
import type { Request } from 'express';
import type { CatalogGet } from './storefront/catalog';
import { loadStorefront } from './storefront/catalog';
import { renderStorefront } from './storefront/page';
import { USER_HEADER, previewRoutes, previewUserOf } from './preview/preview-user';

export interface WebDeps {
  catalogUrl: string;
  /** Deadline for every catalog call: the page renders within it whatever the catalog does. */
  upstreamTimeoutMs: number;
}

// Headers that carry a developer's identity through the chain (personal intercepts).
const PROPAGATED = /^(x-ffk-.*|baggage)$/i;

function outboundHeaders(req: Request): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (PROPAGATED.test(name) && typeof value === 'string') headers[name] = value;
  }
  const user = previewUserOf(req);
  if (user !== null) headers[USER_HEADER] = user;
  return headers;
}

function catalogGetter(deps: WebDeps, req: Request): CatalogGet {
  return async (path) => {
    let response: Response;
    try {
      response = await fetch(new URL(path, deps.catalogUrl), {
        headers: outboundHeaders(req),
        signal: AbortSignal.timeout(deps.upstreamTimeoutMs),
      });
    } catch (error) {
      const e = error as Error;
      throw new Error(e.name === 'TimeoutError' ? `no answer within ${deps.upstreamTimeoutMs} ms` : `unreachable (${(e.cause as Error)?.message ?? e.message})`);
    }
    if (!response.ok) throw new Error(`answered ${response.status}`);
    return { body: await response.json(), servedBy: response.headers.get('x-ffk-served-by') };
  };
}

export function createApp(deps: WebDeps) {
  const app = express();
  app.use(previewRoutes());
  app.get('/', async (req, res) => {
    const data = await loadStorefront(catalogGetter(deps, req));
    res.type('html').send(renderStorefront(data, { previewUser: previewUserOf(req) }));
  });
  return app;
}
