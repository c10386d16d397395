// Passages more than one lab shows, written once.

export const OFFLINE_MODE = `On a machine without a Docker engine (or with \`--offline\`) the labs run on **kube-sim**, a
Kubernetes API simulator: \`kubectl\`, the \`ffk\` CLI and the rollouts behave as on a cluster, and
each pod runs as a process on your machine, straight from the sources in this repository.
What offline mode does **not** show you:

- **No images.** Nothing is built or loaded: a pod runs \`apps/<service>/src/main.ts\` directly.
  So the slow loop of lab 2 is *simulated* (a rollout restart that picks up the new source),
  and its time leaves out the image build and load that dominate it on a real cluster.
- **No node, no container runtime, no cluster network.** Pods are processes on 127.x.y.z
  addresses; there is no kubelet pulling images, no CNI, no cgroup limits.
- **No Skaffold.** Lab 5 needs a Docker engine and is skipped, with that reason.

Everything you measure in offline mode is labelled as such.`;
