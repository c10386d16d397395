// `ffk intercept` and `ffk leave`.
import { DEFAULT_AGENT_IMAGE } from '@ffk/intercept/agent-image';
import { type Command, Option } from 'commander';
import { addClusterFlags, isJson } from '../cli-kit/cluster-flags';
import { action, exitWith, UsageError } from '../cli-kit/errors';
import { createReporter, type Print } from '../cli-kit/output';
import { localIntercepts } from './local-state';
import type { InterceptFlags } from './run-intercept';

export function registerInterceptCommands(program: Command, out: Print, err: Print): void {
  const intercept = program
    .command('intercept')
    .description("route a Deployment's traffic to a process on this machine (installs the ffk-agent sidecar once)")
    .argument('<deployment>', 'the Deployment to intercept')
    .argument('[command...]', 'after --: the local command to run with the imported environment; its exit ends the intercept')
    .requiredOption('-p, --port <local[:port]>', 'local port to deliver to, optionally with the Service (or container) port to take over')
    .option('--user <name>', 'personal intercept: only requests with header x-ffk-user: <name>')
    .option('--header <NAME=VALUE>', 'personal intercept: only requests carrying this header and value')
    .option(
      '--mirror',
      'mirror: the cluster keeps answering; a copy of every request (with --user/--header, of those) goes to the local port, its answer logged and discarded',
    )
    .option('--env-file <path>', "write the workload's environment (cluster hosts pointed at local tunnels) to this file")
    // Node exits with "node: <file>: not found" when --env-file names a missing file anywhere on
    // its command line, ours included (nodejs/node#54232): this spelling avoids that.
    .option('--write-env <path>', 'the same as --env-file, for a file that does not exist yet')
    .option(
      '--agent-image <ref>',
      `Node image the agent sidecar runs on, e.g. your registry's mirror of it (default ${DEFAULT_AGENT_IMAGE}); its code comes from this ffk in a ConfigMap`,
    )
    .option(
      '--lease-seconds <n>',
      'seconds after the last renewal at which `ffk gc` may remove the agent (default 900; renewed every third while running; a longer lease already set is kept)',
    )
    .addOption(new Option('--tunnel-timeout <ms>').hideHelp());
  addClusterFlags(intercept, { changes: true });
  intercept.action(
    action(
      err,
      out,
      (args) => isJson(args[2]),
      async (deployment: string, command: string[], flags: InterceptFlags) => {
        const reporter = createReporter(isJson(flags), out, err);
        // Loaded when it runs: `ffk --help` and `ffk leave` never pay for client-node.
        const { runIntercept } = await import('./run-intercept');
        const code = await runIntercept(deployment, command, { ...flags, envFile: flags.envFile ?? flags.writeEnv }, reporter, out);
        if (code !== 0) exitWith(code);
      },
    ),
  );

  program
    .command('leave')
    .description('end the intercept of a Deployment that runs in another terminal on this machine')
    .argument('<deployment>')
    .option('-n, --namespace <name>', 'when intercepts of the same name run in several namespaces')
    .option('-o, --output <format>', 'human (default) or json')
    .action(
      action(
        err,
        out,
        (args) => (args[1] as { output?: string }).output === 'json',
        async (deployment: string, flags: { namespace?: string; output?: string }) => {
          const reporter = createReporter(isJson(flags), out, err);
          const matches = localIntercepts().filter((i) => i.deployment === deployment && (!flags.namespace || i.namespace === flags.namespace));
          if (matches.length === 0) throw new UsageError(`no intercept of ${deployment} runs on this machine (\`ffk status\` lists the running ones)`, 3);
          if (matches.length > 1)
            throw new UsageError(`${deployment} is intercepted in namespaces ${matches.map((m) => m.namespace).join(', ')}: pick one with --namespace`);
          const [found] = matches;
          process.kill(found.pid, 'SIGTERM');
          const deadline = Date.now() + 15_000;
          while (Date.now() < deadline && localIntercepts().some((i) => i.pid === found.pid)) await new Promise((r) => setTimeout(r, 100));
          if (localIntercepts().some((i) => i.pid === found.pid))
            throw new UsageError(`the intercept of ${deployment} (pid ${found.pid}) did not end within 15 s: stop it with Ctrl-C in its terminal`);
          reporter.done(`left the intercept of ${deployment} in ${found.namespace} (context ${found.context})`);
          reporter.data({ left: deployment, namespace: found.namespace, context: found.context, pid: found.pid });
        },
      ),
    );
}
