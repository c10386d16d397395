// The app container of the control-plane tests (image ffk/test-app under kube-sim): answers
// every path with who served it, like the kit's services do with x-ffk-served-by.
import { createServer } from 'node:http';

const name = process.env.POD_NAME ?? 'pod';
const server = createServer((req, res) => {
  res.setHeader('x-ffk-served-by', name);
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ servedBy: name, path: req.url }));
});
server.listen(Number(process.env.PORT ?? 3000));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
