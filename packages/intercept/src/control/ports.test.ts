import type { V1Deployment, V1Service } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { choosePort } from './ports';

function deployment(port: { name: string; containerPort: number }): V1Deployment {
  return {
    metadata: { name: 'orders' },
    spec: {
      selector: { matchLabels: { app: 'orders' } },
      template: { metadata: { labels: { app: 'orders' } }, spec: { containers: [{ name: 'app', ports: [port] }] } },
    },
  };
}

function service(port: { name: string; port: number; targetPort: string; appProtocol?: string }): V1Service {
  return { metadata: { name: 'orders' }, spec: { selector: { app: 'orders' }, ports: [port] } };
}

describe('which kind of port an intercept takes', () => {
  it('routes gRPC and h2c ports per call, like HTTP ones', () => {
    expect(choosePort(deployment({ name: 'grpc', containerPort: 50051 }), []).protocol).toBe('http');
    const h2c = service({ name: 'api', port: 80, targetPort: 'api', appProtocol: 'kubernetes.io/h2c' });
    expect(choosePort(deployment({ name: 'api', containerPort: 8080 }), [h2c]).protocol).toBe('http');
    const grpc = service({ name: 'grpc-api', port: 80, targetPort: 'api', appProtocol: 'grpc' });
    expect(choosePort(deployment({ name: 'api', containerPort: 8080 }), [grpc]).protocol).toBe('http');
  });

  it('takes database and other TCP ports per connection', () => {
    expect(choosePort(deployment({ name: 'postgres', containerPort: 5432 }), []).protocol).toBe('tcp');
    const tcp = service({ name: 'db', port: 5432, targetPort: 'db', appProtocol: 'tcp' });
    expect(choosePort(deployment({ name: 'db', containerPort: 5432 }), [tcp]).protocol).toBe('tcp');
  });
});
