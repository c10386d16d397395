// First thing every `ffk` entry point imports: a one-line refusal on a Node.js too old to run it.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  process.stderr.write(
    `ffk needs Node >= 22.12 (this is ${process.version}): install a newer Node.js (in the fast-feedback-k8s repository, \`npm run ffk -- <args>\` fetches Node 24 for you).\n`,
  );
  process.exit(1);
}
