// Lab 4 (personal intercepts): a developer marks their browser with the ffk-user cookie;
// the storefront then sends `x-ffk-user: <name>` upstream, which the intercept agent routes
// to that developer's laptop while everyone else keeps hitting the cluster.
import type { Request } from 'express';
import { Router, urlencoded } from 'express';

export const PREVIEW_COOKIE = 'ffk-user';
export const USER_HEADER = 'x-ffk-user';

// Header-safe and short: the value travels as an HTTP header through every service.
const VALID_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

export function isValidPreviewName(name: string): boolean {
  return VALID_NAME.test(name);
}

function cookieValue(header: string | undefined, name: string): string | null {
  for (const part of header?.split(';') ?? []) {
    const eq = part.indexOf('=');
    if (eq !== -1 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return null;
}

/** The developer this request previews as: the cookie first (the browser toggle), else an incoming x-ffk-user header. */
export function previewUserOf(req: Request): string | null {
  const fromCookie = cookieValue(req.headers.cookie, PREVIEW_COOKIE);
  if (fromCookie !== null && isValidPreviewName(fromCookie)) return fromCookie;
  const fromHeader = req.headers[USER_HEADER];
  return typeof fromHeader === 'string' && isValidPreviewName(fromHeader) ? fromHeader : null;
}

export function previewRoutes(): Router {
  const router = Router();
  router.post('/preview', urlencoded({ extended: false, limit: '1kb' }), (req, res) => {
    const { user } = (req.body ?? {}) as { user?: unknown };
    const name = typeof user === 'string' ? user.trim() : '';
    if (!isValidPreviewName(name)) {
      res.status(400).type('text/plain').send("A preview name is 1-63 letters, digits, '.', '_' or '-', starting with a letter or digit.\n");
      return;
    }
    res.cookie(PREVIEW_COOKIE, name, { path: '/', sameSite: 'lax', httpOnly: true }).redirect(303, '/');
  });
  router.post('/preview/clear', (_req, res) => {
    res.clearCookie(PREVIEW_COOKIE, { path: '/' }).redirect(303, '/');
  });
  return router;
}
