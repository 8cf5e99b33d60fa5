// Moved to core (the workload simulation applies owned-object patches with it); re-exported for the memory cluster.
export { JsonPatchError, applyJsonPatch } from '@kruise-ts/core';
