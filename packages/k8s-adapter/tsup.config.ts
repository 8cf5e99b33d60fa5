import { dirname, join } from 'node:path';
import { defineConfig, type Options } from 'tsup';
import { envtestPinsDefine } from './envtest/pins.js';

/**
 * client-node's `config.js` (KubeConfig) imports `./gen/index.js` for two names, and that module
 * re-exports every generated API model and client: evaluating it costs ~60 MiB of resident memory.
 * For `config.js` only, this plugin answers that import with a module exporting just those two
 * names from the generated modules that define them (ADR 0024). A client-node upgrade that imports
 * anything else from there fails the build (esbuild: "No matching export").
 */
type EsbuildPlugin = NonNullable<Options['esbuildPlugins']>[number];

const clientNodeConfigOnly: EsbuildPlugin = {
  name: 'client-node-config-only',
  setup(build) {
    build.onResolve({ filter: /^\.\/gen\/index\.js$/ }, (args) =>
      /[\\/]@kubernetes[\\/]client-node[\\/]dist[\\/]config\.js$/.test(args.importer) ? { path: join(dirname(args.importer), 'gen', 'index.js'), namespace: 'client-node-gen' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'client-node-gen' }, (args) => ({
      resolveDir: dirname(args.path),
      loader: 'js',
      contents: "export { createConfiguration } from './configuration.js';\nexport { ServerConfiguration } from './servers.js';\n",
    }));
  },
};

export default defineConfig({
  entry: { index: 'src/index.ts', 'testing/index': 'src/testing/index.ts' },
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node22',
  platform: 'node',
  define: envtestPinsDefine(),
  // client-node's kubeconfig modules and their dependencies (js-yaml, openid-client, socks, ...)
  // are bundled into the chunk `clientNodeConfig.ts` is loaded from; undici stays our dependency.
  noExternal: [/^@kubernetes\/client-node\//],
  esbuildPlugins: [clientNodeConfigOnly],
  // Some of those dependencies are CommonJS and call require() for node built-ins.
  banner: { js: "import { createRequire as __kruiseTsCreateRequire } from 'node:module';\nconst require = __kruiseTsCreateRequire(import.meta.url);" },
});
