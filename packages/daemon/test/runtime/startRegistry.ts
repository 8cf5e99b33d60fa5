import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, onAbnormalExit, pollUntil, startProcess } from '@kruise-ts/k8s-adapter/testing';
import { runCommand } from './runCommand.js';
import { RUNTIME_TOOLS } from './runtimeTools.js';
import { teardownRuntimeDir } from './teardownRuntimeDir.js';

/** User name and password of a registry's basic auth. */
export interface RegistryAuth {
  readonly user: string;
  readonly password: string;
}

/** A running image registry on loopback (plain http). */
export interface TestRegistry {
  /** `127.0.0.1:<port>`: the registry part of image references, e.g. `127.0.0.1:40123/busybox:v1`. */
  readonly host: string;
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** The basic-auth credentials the registry requires, when it was started with some. */
  readonly auth: RegistryAuth | undefined;
  /** The temp directory (config, htpasswd, storage, log). */
  readonly dir: string;
  /** The last lines of the registry's log. */
  logTail(lines?: number): Promise<string>;
  /** Stops the registry and deletes its storage. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Starts Debian's `docker-registry` (distribution 2.8) on 127.0.0.1 on a free port with its
 * storage in a temp directory; with `auth`, every request needs those basic-auth credentials
 * (htpasswd, bcrypt), so `GET /v2/` answers 401 without them. Resolves when `/v2/` answers. The
 * registry is killed and its directory removed by `stop()`, or when the test process exits.
 */
export async function startRegistry(options: { auth?: RegistryAuth; startTimeoutMs?: number } = {}): Promise<TestRegistry> {
  const dir = mkdtempSync(join(tmpdir(), 'kruise-ts-registry-'));
  const cancelExitHook = onAbnormalExit(() => {
    teardownRuntimeDir({ dir, processNeedle: dir });
  });
  try {
    const port = await freePort();
    const host = `127.0.0.1:${String(port)}`;
    const lines = [
      'version: 0.1',
      'log:',
      '  level: warn',
      '  accesslog:',
      '    disabled: true',
      'storage:',
      '  filesystem:',
      `    rootdirectory: ${join(dir, 'storage')}`,
      '  delete:',
      '    enabled: true',
      'http:',
      `  addr: ${host}`,
      '  secret: kruise-ts-test-registry',
    ];
    if (options.auth) {
      if (options.auth.user === '' || options.auth.user.includes(':')) throw new Error(`startRegistry: auth.user "${options.auth.user}" must be non-empty without ':'`);
      const { stdout } = await runCommand(RUNTIME_TOOLS.htpasswd, ['-Bbn', options.auth.user, options.auth.password]);
      writeFileSync(join(dir, 'htpasswd'), stdout);
      lines.push('auth:', '  htpasswd:', '    realm: kruise-ts', `    path: ${join(dir, 'htpasswd')}`);
    }
    const config = join(dir, 'registry.yml');
    writeFileSync(config, `${lines.join('\n')}\n`);
    const proc = startProcess({ name: 'docker-registry', command: RUNTIME_TOOLS.registry, args: ['serve', config], logFile: join(dir, 'registry.log') });
    const url = `http://${host}`;
    await pollUntil(
      async () => {
        const response = await fetch(`${url}/v2/`);
        await response.body?.cancel();
        return response.status === 200 || response.status === 401 ? true : undefined;
      },
      {
        timeoutMs: options.startTimeoutMs ?? 20_000,
        intervalMs: 50,
        what: `docker-registry on ${host}`,
        abort: proc.exited.then(async (exit) => `docker-registry exited (${String(exit.code ?? exit.signal)}): ${await proc.logTail()}`),
      },
    );
    let stopped = false;
    return {
      host,
      url,
      auth: options.auth,
      dir,
      logTail: (n) => proc.logTail(n),
      stop: async () => {
        if (stopped) return;
        stopped = true;
        await proc.stop(2_000);
        teardownRuntimeDir({ dir, processNeedle: dir });
        cancelExitHook();
      },
    };
  } catch (error) {
    teardownRuntimeDir({ dir, processNeedle: dir });
    cancelExitHook();
    throw error;
  }
}
