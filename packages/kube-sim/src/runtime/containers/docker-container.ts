// One run of a container on the Docker engine, driven as the kubelet drives a CRI runtime:
// create, attach stdout/stderr to the container's log, start, wait for the exit, remove. The
// engine removes nothing by itself; this does, once the exit code is read, so no stopped
// container is left behind.
import { ContainerLog } from '../logs';
import type { ContainerInstance, ExecTarget, ExitInfo } from '../process';
import { demultiplex, type DockerEngine } from './docker-engine';

/** The body of POST /containers/create (only the fields kube-sim sets). */
export interface DockerCreateBody {
  Image: string;
  Entrypoint?: string[] | null;
  Cmd?: string[] | null;
  Env: string[];
  WorkingDir?: string;
  User?: string;
  Labels: Record<string, string>;
  AttachStdout: true;
  AttachStderr: true;
  HostConfig: { NetworkMode: string; Init: boolean; Binds: string[] };
}

const ATTACH_DRAIN_MS = 1000;

export class DockerContainer implements ContainerInstance {
  readonly log = new ContainerLog();
  readonly startedAt = Date.now();
  readonly exited: Promise<ExitInfo>;
  private id = '';
  private hostPid: number | undefined;
  private exit: ExitInfo | undefined;
  private started = false;
  /** A stop asked for before the container started: its grace period. */
  private stopRequested: number | undefined;

  /** `onStarted`: the engine started it (its containerID and pid are known now). */
  constructor(private readonly engine: DockerEngine, readonly name: string, body: DockerCreateBody, private readonly onStarted: () => void) {
    this.exited = this.run(body).then((exit) => {
      this.exit = exit;
      this.log.end();
      return exit;
    });
  }

  get containerID(): string {
    return this.id ? `docker://${this.id}` : '';
  }

  /** The host pid of the container's first process (docker-init), once started. */
  get pid(): number | undefined {
    return this.exit ? undefined : this.hostPid;
  }

  get running(): boolean {
    return !this.exit;
  }

  get execTarget(): ExecTarget | undefined {
    return this.started && !this.exit ? { kind: 'docker', id: this.id } : undefined;
  }

  /** Not attached: `stdin: true` is not passed to the engine. */
  readonly stdin = null;

  async stop(graceSeconds: number): Promise<ExitInfo> {
    if (this.exit) return this.exit;
    this.stopRequested ??= graceSeconds;
    // The engine sends the image's stop signal (SIGTERM), then SIGKILL after `t` seconds.
    if (this.started) await this.engine.call('POST', `/containers/${this.id}/stop?t=${Math.max(0, Math.ceil(graceSeconds))}`, undefined, (graceSeconds + 30) * 1000).catch(() => {});
    return this.exited;
  }

  private finish(exitCode: number, startError?: string): ExitInfo {
    return { exitCode, ...(startError ? { startError } : {}), startedAt: this.startedAt, finishedAt: Date.now() };
  }

  private async run(body: DockerCreateBody): Promise<ExitInfo> {
    try {
      this.id = (await this.engine.call<{ Id: string }>('POST', `/containers/create?name=${encodeURIComponent(this.name)}`, body)).body.Id;
    } catch (error) {
      return this.finish(128, `failed to create container: ${(error as Error).message}`);
    }
    try {
      const stream = await this.engine.upgrade(`/containers/${this.id}/attach?logs=1&stream=1&stdout=1&stderr=1`);
      const drained = new Promise<void>((resolve) => stream.once('close', resolve));
      demultiplex(stream, (which, payload) => this.log.write(which, payload));
      // Asked before the start, so an instant exit is not missed.
      const waited = this.engine.call<{ StatusCode: number }>('POST', `/containers/${this.id}/wait?condition=next-exit`, undefined, 0);
      if (this.stopRequested !== undefined) return this.finish(137);
      try {
        await this.engine.call('POST', `/containers/${this.id}/start`);
      } catch (error) {
        stream.destroy();
        return this.finish(128, (error as Error).message);
      }
      this.started = true;
      const inspected = await this.engine.call<{ State: { Pid: number } }>('GET', `/containers/${this.id}/json`).catch(() => undefined);
      this.hostPid = inspected?.body.State.Pid || undefined;
      this.onStarted();
      if (this.stopRequested !== undefined) void this.stop(this.stopRequested);
      const { StatusCode } = (await waited).body;
      await Promise.race([drained, new Promise((resolve) => setTimeout(resolve, ATTACH_DRAIN_MS))]);
      stream.destroy();
      return this.finish(StatusCode);
    } catch (error) {
      return this.finish(128, (error as Error).message);
    } finally {
      await this.engine.call('DELETE', `/containers/${this.id}?force=1&v=1`).catch(() => {});
    }
  }
}
