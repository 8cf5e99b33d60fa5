// Moved to @kruise-ts/k8s-adapter (the daemon serves probes and metrics too).
export { listenHttp, type HttpEndpoint, type HttpHandler } from '@kruise-ts/k8s-adapter';
