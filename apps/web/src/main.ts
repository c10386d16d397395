import { createApp } from './app';

const port = Number(process.env.PORT ?? 8080);
const app = createApp({ catalogUrl: process.env.CATALOG_URL ?? 'http://localhost:3000', upstreamTimeoutMs: Number(process.env.UPSTREAM_TIMEOUT_MS ?? 2000) });
app.listen(port, () => console.log(`web listening on ${port}`));
