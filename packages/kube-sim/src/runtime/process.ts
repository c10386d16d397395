// A container as a local process: its own process group (so stop() reaches whatever it forks),
// stdout/stderr into its ContainerLog, and a lifeline (@ffk/process-kit): no container outlives its simulator.
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { constants } from 'node:os';
import type { Writable } from 'node:stream';
import { spawnWithLifeline } from '@ffk/process-kit';
import { ContainerLog } from './logs';

export interface LaunchSpec {
  command: string;
  args: string[];
  cwd?: string;
  env: Record<string, string>;
  /** Give the process a stdin pipe (a container with `stdin: true`, for attach). */
  stdin?: boolean;
}

export interface ExitInfo {
  exitCode: number;
  signal?: NodeJS.Signals;
  /** Set when the process could not start at all (the kubelet's StartError). */
  startError?: string;
  startedAt: number;
  finishedAt: number;
}

/** Where `kubectl exec` runs a command: a process pod's environment and working directory, or inside a Docker container. */
export type ExecTarget = { kind: 'process'; env: Record<string, string>; cwd?: string } | { kind: 'docker'; id: string };

/** One run of a container, as a local process or as a container on the Docker engine. */
export interface ContainerInstance {
  readonly log: ContainerLog;
  readonly startedAt: number;
  readonly exited: Promise<ExitInfo>;
  /** `<runtime>://<id>`, as the kubelet reports it in containerStatuses. */
  readonly containerID: string;
  readonly pid: number | undefined;
  readonly running: boolean;
  /** Undefined until it runs. */
  readonly execTarget: ExecTarget | undefined;
  /** The container's stdin for `kubectl attach -i`, when it has one. */
  readonly stdin: Writable | null;
  /** SIGTERM, then SIGKILL once the grace period is over. */
  stop(graceSeconds: number): Promise<ExitInfo>;
}

export class ContainerProcess implements ContainerInstance {
  readonly log = new ContainerLog();
  readonly startedAt = Date.now();
  readonly exited: Promise<ExitInfo>;
  readonly containerID = `kube-sim://${randomBytes(16).toString('hex')}`;
  private readonly child: ChildProcess;
  private exit: ExitInfo | undefined;

  readonly execTarget: ExecTarget;

  constructor(spec: LaunchSpec) {
    this.execTarget = { kind: 'process', env: spec.env, cwd: spec.cwd };
    this.child = spawnWithLifeline(spec.command, spec.args, {
      cwd: spec.cwd,
      env: spec.env,
      stdio: [spec.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'],
      detached: true, // own process group: signals reach the whole container
      onLost: 'watches', // Node containers preload the watcher; postgres-main.ts watches itself
    });
    this.child.stdout?.on('data', (chunk: Buffer) => this.log.write('stdout', chunk));
    this.child.stderr?.on('data', (chunk: Buffer) => this.log.write('stderr', chunk));
    this.exited = new Promise((resolve) => {
      const finish = (info: Omit<ExitInfo, 'startedAt' | 'finishedAt'>) => {
        if (this.exit) return;
        this.exit = { ...info, startedAt: this.startedAt, finishedAt: Date.now() };
        this.signalGroup('SIGKILL'); // leftovers of the container die with it, as with a cgroup
        this.log.end();
        resolve(this.exit);
      };
      this.child.on('error', (error) => finish({ exitCode: 128, startError: error.message }));
      this.child.on('close', (code, signal) => finish({ exitCode: code ?? 128 + (signal ? constants.signals[signal] : 0), signal: signal ?? undefined }));
    });
  }

  /** The container's stdin when it asked for one (`stdin: true`), else null. */
  get stdin(): Writable | null {
    return this.child.stdin;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return !this.exit;
  }

  signalGroup(signal: NodeJS.Signals): void {
    if (!this.child.pid) return;
    try {
      process.kill(-this.child.pid, signal);
    } catch {
      // already gone
    }
  }

  /** SIGTERM, then SIGKILL once the grace period is over, as the kubelet stops a container. */
  async stop(graceSeconds: number): Promise<ExitInfo> {
    if (this.exit) return this.exit;
    this.signalGroup('SIGTERM');
    const timer = setTimeout(() => this.signalGroup('SIGKILL'), Math.max(0, graceSeconds) * 1000);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }
}
