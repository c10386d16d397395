// Labels on every container kube-sim creates: which simulator made it (the reaper removes by it)
// and that simulator's pid (a later simulator sweeps containers whose owner is gone).
export const SIM_LABEL = 'io.ffk.kube-sim.sim';
export const OWNER_PID_LABEL = 'io.ffk.kube-sim.owner-pid';
