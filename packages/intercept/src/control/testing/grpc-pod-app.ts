// The gRPC app container of the session tests (image ffk/test-grpc under kube-sim): the Who
// service on PORT, every answer naming the pod.
import { startGrpcServer } from '../../testing/grpc-servers';

const server = await startGrpcServer(process.env.POD_NAME ?? 'pod', Number(process.env.PORT ?? 3000), '0.0.0.0');
process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
