// The one way the kit builds its images: labs 1 and 2, skaffold.yaml (custom build command),
// the image tests and the outer-loop benchmark all call buildImage.
import { isAbsolute, join } from 'node:path';
import { ensureBaseImage, parseBaseTag } from '../base/stand-in-base';
import type { BaseOutcome } from '../base/stand-in-base';
import { findBuilder } from '../docker/engine';
import type { Builder } from '../docker/engine';
import { CommandError, mustRun, runCommand } from '../docker/run';
import { defaultBaseImage } from './dockerfile-base';
import { hostCaBundle } from './host-ca';

/** The npm version the stand-in base carries: the repository's own (package.json packageManager). */
export const BASE_NPM_VERSION = '11.19.1';

export interface BuildRequest {
  repoRoot: string;
  /** Relative to repoRoot. */
  dockerfile: string;
  tag: string;
  target?: string;
  /** Every line of build output, for progress. */
  onLine?: (line: string) => void;
  signal?: AbortSignal;
}

export interface BuildResult {
  tag: string;
  ms: number;
  /** Image ID (sha256:…). */
  id: string;
  /** Build steps that ran, and that came from the layer cache. */
  steps: { ran: number; cached: number };
}

/** A user-facing problem: what is wrong and what to do, no stack trace. */
export class ImageBuildError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImageBuildError';
  }
}

let builderOnce: Promise<Builder> | undefined;

/** The BuildKit-capable client, found once per process; throws ImageBuildError with the fix when there is none. */
export function requireBuilder(): Promise<Builder> {
  builderOnce ??= findBuilder().then((probe) => {
    if (probe.ok) return probe.builder;
    builderOnce = undefined;
    throw new ImageBuildError(`cannot build images: ${probe.problem}. Fix: ${probe.fix}`);
  });
  return builderOnce;
}

const bases = new Map<string, Promise<BaseOutcome>>();

/** The Dockerfile's default base image, pulled or stood in for once per process. */
export function ensureBaseOf(builder: Builder, repoRoot: string, dockerfile: string, log: (line: string) => void): Promise<BaseOutcome> | undefined {
  const tag = defaultBaseImage(join(repoRoot, dockerfile));
  if (!tag) return undefined;
  let outcome = bases.get(tag);
  if (!outcome) {
    outcome = ensureBaseImage(builder, parseBaseTag(tag, BASE_NPM_VERSION), log);
    outcome.catch(() => bases.delete(tag));
    bases.set(tag, outcome);
  }
  return outcome;
}

export function buildArgs(builder: Builder, request: BuildRequest, caBundle: string | undefined): string[] {
  return [
    'build',
    '--progress',
    'plain',
    '--file',
    isAbsolute(request.dockerfile) ? request.dockerfile : join(request.repoRoot, request.dockerfile),
    '--tag',
    request.tag,
    ...(request.target ? ['--target', request.target] : []),
    // Without a default bridge RUN steps have no network unless they share the host's.
    ...(builder.hostNetwork ? ['--network', 'host'] : []),
    ...(caBundle ? ['--secret', `id=ca-certificates,src=${caBundle}`] : []),
    request.repoRoot,
  ];
}

export async function buildImage(request: BuildRequest): Promise<BuildResult> {
  const builder = await requireBuilder();
  const log = request.onLine ?? (() => {});
  await ensureBaseOf(builder, request.repoRoot, request.dockerfile, log);
  const started = performance.now();
  const steps = { ran: 0, cached: 0 };
  const result = await runCommand(builder.client, buildArgs(builder, request, hostCaBundle()), {
    env: builder.env,
    signal: request.signal,
    onLine: (line) => {
      if (/^#\d+ CACHED$/.test(line)) steps.cached++;
      else if (/^#\d+ DONE /.test(line)) steps.ran++;
      log(line);
    },
  });
  if (result.code !== 0) {
    const error = new CommandError(`${builder.client} build -f ${request.dockerfile} -t ${request.tag}`, result);
    throw new ImageBuildError(error.message);
  }
  const id = (await mustRun(builder.client, ['image', 'inspect', request.tag, '--format', '{{.Id}}'])).trim();
  return { tag: request.tag, ms: performance.now() - started, id, steps };
}
