// A gRPC test server in its own process (for the benchmarks): NAME says who it is; prints
// {"port": n} once it listens.
import { startGrpcServer } from './grpc-servers';

const server = await startGrpcServer(process.env.NAME ?? 'local');
process.stdout.write(`${JSON.stringify({ port: server.port })}\n`);
process.once('SIGTERM', () => void server.close().then(() => process.exit(0)));
