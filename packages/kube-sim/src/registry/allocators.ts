// Service ClusterIPs from 10.96.0.0/12 (10.96.0.1 is the `kubernetes` Service, as in kubeadm and
// kind) and NodePorts from 30000-32767.
import { ApiError } from '../api/status';

/** Why an address or port cannot be had, in the allocator's words (the Service strategy names the object). */
export class AllocationError extends Error {}

const BASE = (10 << 24) | (96 << 16); // 10.96.0.0
const SIZE = 1 << 20; // /12

const toIP = (n: number) => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
function fromIP(ip: string): number | undefined {
  const parts = ip.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) return undefined;
  return ((parts[0] << 24) | (parts[1] << 16) | (parts[2] << 8) | parts[3]) >>> 0;
}

export class ClusterIPAllocator {
  private readonly used = new Set<number>();
  private next = 10;

  /** Takes the requested address (AllocationError when taken or outside the range) or the next free one. */
  allocate(requested?: string): string {
    if (requested) {
      const n = fromIP(requested);
      const offset = n === undefined ? -1 : n - BASE;
      if (offset <= 0 || offset >= SIZE - 1) {
        throw new AllocationError(`the provided IP (${requested}) is not in the valid range. The range of valid IPs is 10.96.0.0/12`);
      }
      if (this.used.has(offset)) {
        throw new AllocationError('provided IP is already allocated');
      }
      this.used.add(offset);
      return requested;
    }
    for (let tries = 0; tries < SIZE; tries += 1) {
      const offset = this.next;
      this.next = this.next + 1 >= SIZE - 1 ? 1 : this.next + 1;
      if (!this.used.has(offset)) {
        this.used.add(offset);
        return toIP(BASE + offset);
      }
    }
    throw new ApiError(500, 'InternalError', 'no ClusterIP left in 10.96.0.0/12');
  }

  release(ip: string | undefined): void {
    const n = ip ? fromIP(ip) : undefined;
    if (n !== undefined) this.used.delete(n - BASE);
  }
}

export class NodePortAllocator {
  private readonly used = new Set<number>();
  private next = 30000;

  allocate(requested?: number): number {
    if (requested) {
      if (requested < 30000 || requested > 32767 || this.used.has(requested)) {
        throw new AllocationError(
          `provided port is ${this.used.has(requested) ? 'already allocated' : 'not in the valid range. The range of valid ports is 30000-32767'}`,
        );
      }
      this.used.add(requested);
      return requested;
    }
    for (let tries = 0; tries <= 2767; tries += 1) {
      const port = this.next;
      this.next = this.next >= 32767 ? 30000 : this.next + 1;
      if (!this.used.has(port)) {
        this.used.add(port);
        return port;
      }
    }
    throw new ApiError(500, 'InternalError', 'no NodePort left in 30000-32767');
  }

  release(port: number | undefined): void {
    if (port) this.used.delete(port);
  }
}
