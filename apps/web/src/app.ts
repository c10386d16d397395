import { createServiceApp, createUpstream, type Logger } from '@ffk/service-kit';
import { Router } from 'express';
import { previewRoutes, previewUserOf, USER_HEADER } from './preview/preview-user';
import { type CatalogGet, loadStorefront } from './storefront/catalog';
import { renderStorefront } from './storefront/page';

export interface WebDeps {
  catalogUrl: string;
  /** Deadline for every catalog call: the page renders within it whatever the catalog does. */
  upstreamTimeoutMs: number;
  logger: Logger;
  /** POD_NAME; unset on a developer's machine. */
  podName?: string;
}

export function createApp(deps: WebDeps) {
  const catalog = createUpstream({ name: 'catalog', baseUrl: deps.catalogUrl, timeoutMs: deps.upstreamTimeoutMs });
  const routes = Router();
  routes.use(previewRoutes());
  routes.get('/', async (req, res) => {
    // Incoming x-ffk-*/baggage headers travel on their own; the preview cookie becomes one more.
    const user = previewUserOf(req);
    const headers: Record<string, string> = user === null ? {} : { [USER_HEADER]: user };
    const get: CatalogGet = async (path) => {
      const { body, response } = await catalog.json(path, { headers });
      return { body, servedBy: response.headers.get('x-ffk-served-by') };
    };
    const data = await loadStorefront(get);
    for (const answer of [data.banner, data.products]) if (!answer.ok) deps.logger.warn({ reason: answer.reason }, 'rendering a degraded storefront');
    res.type('html').send(renderStorefront(data, { previewUser: user }));
  });
  // No readiness checks: the storefront stays in service while the catalog is down, because
  // its degraded page is the useful answer then (a 503 would hide it behind the Service).
  return createServiceApp({ logger: deps.logger, podName: deps.podName }, routes);
}
