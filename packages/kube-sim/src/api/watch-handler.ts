// Watch responses: one JSON event per line ({"type","object"}), ordered by resourceVersion,
// with BOOKMARKs when asked for, an end after timeoutSeconds, and 410 Expired sent as an ERROR
// event (as the API server's watch cache does) when the resourceVersion is too old, and a watcher
// that stops reading dropped (slow-watchers.ts).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ObjectStore } from '../registry/object-store';
import type { KubeObject } from '../store/types';
import type { ListRequest } from './request-options';
import { apiVersionOf, type ResourceType } from './resources';
import { boundedWatchWriter, type WatchBufferLimits } from './slow-watchers';
import { ApiError } from './status';
import { objectTable, wantsTable } from './table';

export interface WatchSettings {
  /** How often a watch that allows bookmarks gets one. */
  bookmarkIntervalMs: number;
  /** Watches without timeoutSeconds end after this long (a real server: 30-60 min). */
  defaultWatchSeconds: () => number;
  /** Open watches, so stop() can end them. */
  open: Set<ServerResponse>;
  /** When a watcher that does not read is dropped (default WATCH_BUFFER_LIMITS). */
  bufferLimits?: WatchBufferLimits;
}

export function serveWatch(
  req: IncomingMessage,
  res: ServerResponse,
  store: ObjectStore,
  type: ResourceType,
  options: ListRequest & { namespace?: string },
  includeObject: string | undefined,
  settings: WatchSettings,
): void {
  const asTable = wantsTable(req.headers.accept);
  const render = (object: KubeObject) => (asTable ? objectTable(type.kind, object, includeObject) : object);
  const bookmark = (resourceVersion: string, annotations?: Record<string, string>) => ({
    type: 'BOOKMARK',
    object: { kind: type.kind, apiVersion: apiVersionOf(type), metadata: { resourceVersion, ...(annotations ? { annotations } : {}) } },
  });

  res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked', 'cache-control': 'no-cache, private' });
  res.flushHeaders();
  settings.open.add(res);
  const writer = boundedWatchWriter(
    res,
    () => {
      finish();
      // Unsent events would stay in memory until the client reads: drop the connection with them.
      res.destroy();
    },
    settings.bufferLimits,
  );
  const send = (event: unknown) => writer.write(`${JSON.stringify(event)}\n`);

  const timers: NodeJS.Timeout[] = [];
  let unsubscribe = () => {};
  const finish = () => {
    unsubscribe();
    writer.stop();
    timers.forEach(clearTimeout);
    settings.open.delete(res);
    if (!res.writableEnded) res.end();
  };
  req.on('close', finish);
  res.on('close', finish);

  const initialEvents = options.sendInitialEvents === true;
  const watchFrom = initialEvents ? { ...options, resourceVersion: undefined } : options;
  try {
    unsubscribe = store.watch(type.plural, watchFrom, (event) => send({ type: event.type, object: render(event.object) }));
  } catch (error) {
    if (error instanceof ApiError) {
      send({ type: 'ERROR', object: error.toStatus() });
      return finish();
    }
    throw error;
  }
  const bookmarks = options.allowWatchBookmarks;
  if (initialEvents && bookmarks) send(bookmark(store.resourceVersion, { 'k8s.io/initial-events-end': 'true' }));
  if (bookmarks) {
    const tick = () => {
      // Every change up to the current resourceVersion has been sent: the client may resume here.
      send(bookmark(store.resourceVersion));
      timers[0] = setTimeout(tick, settings.bookmarkIntervalMs);
    };
    timers[0] = setTimeout(tick, settings.bookmarkIntervalMs);
  }
  const timeout = options.timeoutSeconds || settings.defaultWatchSeconds();
  timers[1] = setTimeout(finish, timeout * 1000);
}
