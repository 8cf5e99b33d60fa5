// Moved to core (the UnitedDeployment pass patches pod templates with it); re-exported for the memory cluster.
export { applyStrategicMergePatch, mergeSorted } from '@kruise-ts/core';
