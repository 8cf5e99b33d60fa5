// Moved to core (the UnitedDeployment pass patches pod templates with it); re-exported for the memory cluster.
export { builtinListStrategy, customListStrategy, type ListStrategy, type ListStrategyOf } from '@kruise-ts/core';
