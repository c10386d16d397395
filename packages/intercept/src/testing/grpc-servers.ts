import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';

export interface Question {
  text?: string;
  n?: number;
  fail?: boolean;
}
export interface Answer {
  who: string;
  text: string;
  index: number;
}

const definition = loadSync(fileURLToPath(new URL('who.proto', import.meta.url)), { defaults: true });
const Who = (grpc.loadPackageDefinition(definition) as unknown as { ffk: { test: { Who: grpc.ServiceClientConstructor } } }).ffk.test.Who;

export interface GrpcServer {
  name: string;
  port: number;
  /** calls this server saw cancelled by their caller */
  cancelled: number;
  close(): Promise<void>;
}

/**
 * A gRPC service standing in for the app and for a developer's local process: every answer,
 * its response metadata (`x-who`) and its trailers (`x-who-trailer`) say who it is.
 */
export async function startGrpcServer(name: string, port = 0, host = '127.0.0.1'): Promise<GrpcServer> {
  const server = new grpc.Server();
  // Closing cuts every connection at once, like a killed process.
  const state: GrpcServer = { name, port, cancelled: 0, close: () => Promise.resolve(server.forceShutdown()) };
  const said = () => {
    const metadata = new grpc.Metadata();
    metadata.set('x-who', name);
    return metadata;
  };
  const trailer = () => {
    const metadata = new grpc.Metadata();
    metadata.set('x-who-trailer', name);
    return metadata;
  };
  server.addService(Who.service, {
    Ask(call: grpc.ServerUnaryCall<Question, Answer>, callback: grpc.sendUnaryData<Answer>) {
      call.sendMetadata(said());
      if (call.request.fail) return callback({ code: grpc.status.NOT_FOUND, details: `${name} has no ${call.request.text}`, metadata: trailer() });
      callback(null, { who: name, text: call.request.text ?? '', index: 0 }, trailer());
    },
    Count(call: grpc.ServerWritableStream<Question, Answer>) {
      call.sendMetadata(said());
      for (let index = 1; index <= (call.request.n ?? 0); index++) call.write({ who: name, text: call.request.text ?? '', index });
      call.end(trailer());
    },
    Gather(call: grpc.ServerReadableStream<Question, Answer>, callback: grpc.sendUnaryData<Answer>) {
      call.sendMetadata(said());
      const texts: string[] = [];
      call.on('data', (question: Question) => texts.push(question.text ?? ''));
      call.on('end', () => callback(null, { who: name, text: texts.join(','), index: texts.length }, trailer()));
    },
    Echo(call: grpc.ServerDuplexStream<Question, Answer>) {
      call.sendMetadata(said());
      let index = 0;
      call.on('data', (question: Question) => call.write({ who: name, text: question.text ?? '', index: ++index }));
      call.on('end', () => call.end(trailer()));
    },
    Hang(call: grpc.ServerWritableStream<Question, Answer>) {
      call.write({ who: name, text: 'waiting', index: 1 });
      call.on('cancelled', () => state.cancelled++);
    },
  });
  state.port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`${host}:${port}`, grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
  );
  return state;
}

export type WhoClient = grpc.Client & {
  Ask(question: Question, metadata: grpc.Metadata, callback: (error: grpc.ServiceError | null, answer: Answer) => void): grpc.ClientUnaryCall;
  Count(question: Question, metadata: grpc.Metadata): grpc.ClientReadableStream<Answer>;
  Gather(metadata: grpc.Metadata, callback: (error: grpc.ServiceError | null, answer: Answer) => void): grpc.ClientWritableStream<Question>;
  Echo(metadata: grpc.Metadata): grpc.ClientDuplexStream<Question, Answer>;
  Hang(question: Question, metadata: grpc.Metadata): grpc.ClientReadableStream<Answer>;
};

/** A gRPC client of the Who service on a loopback port (or at host:port), over cleartext HTTP/2. */
export function whoClient(address: number | string, options: grpc.ChannelOptions = {}): WhoClient {
  const target = typeof address === 'number' ? `127.0.0.1:${address}` : address;
  return new Who(target, grpc.credentials.createInsecure(), options) as unknown as WhoClient;
}
