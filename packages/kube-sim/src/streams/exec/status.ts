// The Status the kubelet writes on the error stream when a command ends
// (cri/streaming/remotecommand/exec.go): Success, NonZeroExitCode with the code as the ExitCode
// cause (kubectl prints "command terminated with exit code N" and exits with N), or InternalError.
import type { ExitStatus } from './remote-streams';

export const success = (): ExitStatus => ({ metadata: {}, status: 'Success' });

export const nonZeroExit = (command: string[], exitCode: number): ExitStatus => ({
  metadata: {},
  status: 'Failure',
  message: `command terminated with non-zero exit code: error executing command [${command.join(' ')}], exit code ${exitCode}`,
  reason: 'NonZeroExitCode',
  details: { causes: [{ reason: 'ExitCode', message: String(exitCode) }] },
});

export const internalError = (message: string): ExitStatus => ({
  metadata: {},
  status: 'Failure',
  message: `Internal error occurred: ${message}`,
  reason: 'InternalError',
  details: { causes: [{ reason: '', message }] },
  code: 500,
});
