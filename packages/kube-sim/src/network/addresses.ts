// Loopback addresses for pods and Services. Every 127.x.y.z can be bound without setup, so a
// pod gets its own address instead of a network namespace. Each simulator instance claims a
// whole 127.<block>.0.0/16 through a lock file, so simulators running in parallel (tests) never
// hand out the same address.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const LOCK_DIR = join(tmpdir(), 'ffk-kube-sim-addresses');
// 127.0.x.x stays free: 127.0.0.1 is the host's own localhost (NodePorts, the API server).
const FIRST_BLOCK = 1;
const LAST_BLOCK = 254;
const SERVICE_SUBNETS = 16; // 127.b.0-15.x for Services, the rest for pods

export interface AddressBlock {
  readonly block: number;
  allocatePod(): string;
  allocateService(): string;
  release(address: string): void;
  /** Frees the block for other simulators. */
  close(): void;
}

/** Whether a process with this pid exists (it may belong to another user). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function tryClaim(block: number): boolean {
  const file = join(LOCK_DIR, `${block}.pid`);
  try {
    writeFileSync(file, String(process.pid), { flag: 'wx' });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const owner = Number(readFileSync(file, 'utf8'));
  if (owner && alive(owner)) return false;
  // The owner died without cleaning up (SIGKILL): take the block over.
  rmSync(file, { force: true });
  try {
    writeFileSync(file, String(process.pid), { flag: 'wx' });
    return true;
  } catch {
    return false; // someone else took it over in between
  }
}

/** Allocates addresses inside one block: `next` walks forward, released addresses are reused last. */
class Pool {
  private readonly used = new Set<string>();
  private cursor = 0;
  constructor(
    private readonly candidates: (index: number) => string | undefined,
    private readonly size: number,
  ) {}

  allocate(): string {
    for (let tries = 0; tries < this.size; tries++) {
      const address = this.candidates(this.cursor);
      this.cursor = (this.cursor + 1) % this.size;
      if (address && !this.used.has(address)) {
        this.used.add(address);
        return address;
      }
    }
    throw new Error('kube-sim ran out of loopback addresses in its block');
  }

  release(address: string): boolean {
    return this.used.delete(address);
  }
}

export function claimAddressBlock(): AddressBlock {
  mkdirSync(LOCK_DIR, { recursive: true });
  // Start at a pid-dependent block so parallel simulators rarely contend for the same lock.
  const span = LAST_BLOCK - FIRST_BLOCK + 1;
  const start = process.pid % span;
  let block = 0;
  for (let i = 0; i < span && !block; i++) {
    const candidate = FIRST_BLOCK + ((start + i) % span);
    if (tryClaim(candidate)) block = candidate;
  }
  if (!block) throw new Error(`every loopback block 127.1-254.x.x is claimed by a running simulator (see ${LOCK_DIR})`);

  const hostsPerSubnet = 254; // .1 - .254
  const services = new Pool((i) => `127.${block}.${Math.floor(i / hostsPerSubnet)}.${(i % hostsPerSubnet) + 1}`, SERVICE_SUBNETS * hostsPerSubnet);
  const podSubnets = 256 - SERVICE_SUBNETS;
  const pods = new Pool((i) => `127.${block}.${SERVICE_SUBNETS + Math.floor(i / hostsPerSubnet)}.${(i % hostsPerSubnet) + 1}`, podSubnets * hostsPerSubnet);
  let closed = false;
  return {
    block,
    allocatePod: () => pods.allocate(),
    allocateService: () => services.allocate(),
    release: (address) => {
      if (!pods.release(address)) services.release(address);
    },
    close: () => {
      if (closed) return;
      closed = true;
      rmSync(join(LOCK_DIR, `${block}.pid`), { force: true });
    },
  };
}
