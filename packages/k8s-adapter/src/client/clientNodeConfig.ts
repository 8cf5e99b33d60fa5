/**
 * The two pieces of `@kubernetes/client-node` the adapter runs (ADR 0004, ADR 0024): `KubeConfig`
 * (kubeconfig files, in-cluster config, certificates, tokens, exec and auth-provider plugins) and
 * `RequestContext` (what `KubeConfig.applySecurityAuthentication` writes the headers and the TLS
 * dispatcher of a request into). Imported from their own modules rather than the package's root,
 * which re-exports every generated API model and client.
 *
 * In the built package (tsup) this module's graph is bundled, with client-node's `gen/index.js`
 * replaced for `config.js` by the two generated modules it uses (`createConfiguration`,
 * `ServerConfiguration`; see `tsup.config.ts`): loading it costs about 7 MiB of resident memory
 * instead of about 60 MiB, and no generated model is evaluated. From source (tests), it loads
 * client-node's `config.js` as is.
 */
export { KubeConfig } from '@kubernetes/client-node/dist/config.js';
export { RequestContext } from '@kubernetes/client-node/dist/gen/http/http.js';
