// Names of the feedback loops the labs measure; the charts of labs 2, 3, 5 and 6 compare them.
export const LOOPS = {
  outerKind: 'rebuild + load + roll out (kind)',
  outerDockerSim: 'docker build + rollout, kube-sim',
  outerSim: 'rollout restart (kube-sim, simulated)',
  intercept: 'ffk intercept + npm run dev',
  personal: 'personal intercept',
  skaffold: 'skaffold dev (file sync)',
} as const;

export const ALL_LOOPS = Object.values(LOOPS);
