// Moved to @kruise-ts/k8s-adapter (the daemon shuts down the same way).
export { onShutdownSignals, type ShutdownSignalOptions, type SignalTarget } from '@kruise-ts/k8s-adapter';
