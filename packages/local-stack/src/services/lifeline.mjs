// Preloaded (NODE_OPTIONS --import) into each service's tsx watch and app processes. They run in
// process groups of their own, so a dev runner that is killed outright (SIGKILL, where no exit
// hook runs) would leave them holding their ports: instead each one ends itself once the runner
// is gone. Plain JavaScript: tsx watch itself runs before any TypeScript loader.
const runner = Number(process.env.FFK_DEV_RUNNER_PID);

if (runner > 0) {
  setInterval(() => {
    try {
      process.kill(runner, 0);
    } catch {
      process.kill(process.pid, 'SIGKILL');
    }
  }, 1_000).unref();
}
