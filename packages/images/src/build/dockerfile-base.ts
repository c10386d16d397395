// The base image a Dockerfile builds on by default: its `ARG NODE_IMAGE=…` line.
import { readFileSync } from 'node:fs';

export function defaultBaseImage(dockerfilePath: string): string | undefined {
  return /^ARG NODE_IMAGE=(\S+)$/m.exec(readFileSync(dockerfilePath, 'utf8'))?.[1];
}
