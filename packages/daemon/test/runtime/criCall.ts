import { Metadata, credentials, loadPackageDefinition, type Client, type ServiceError } from '@grpc/grpc-js';
import { loadCriProto } from '../../src/cri/loadCriProto.js';

type Unary = (request: unknown, metadata: Metadata, options: { deadline: Date }, callback: (error: ServiceError | null, response: unknown) => void) => unknown;
type ServiceClient = Client & Record<string, Unary | undefined>;
interface CriPackage {
  runtime: { v1: { ImageService: new (...args: unknown[]) => ServiceClient; RuntimeService: new (...args: unknown[]) => ServiceClient } };
}

/** The two CRI v1 services. */
export type CriService = 'RuntimeService' | 'ImageService';

/** A raw CRI v1 connection for tests: any method of either service, by name. */
export interface CriConnection {
  /**
   * Calls `service.method` with `request` (camelCase fields, enums by name, as the daemon's proto
   * loader reads them), e.g. `call('RuntimeService', 'RunPodSandbox', { config })` →
   * `{ podSandboxId: '92488b…' }`. Rejects with `<method>: <gRPC details>`.
   */
  call<T = Record<string, unknown>>(service: CriService, method: string, request: unknown, timeoutMs?: number): Promise<T>;
  close(): void;
}

/**
 * Opens a raw CRI v1 gRPC connection to `socket` with the daemon's vendored proto
 * (`loadCriProto`), for what the daemon's `createCriClient` port does not cover: the calls a
 * kubelet makes to run pods (RunPodSandbox, CreateContainer, StartContainer, …).
 */
export function connectCri(socket: string): CriConnection {
  const pkg = loadPackageDefinition(loadCriProto()) as unknown as CriPackage;
  const target = `unix://${socket}`;
  const clients = {
    RuntimeService: new pkg.runtime.v1.RuntimeService(target, credentials.createInsecure()),
    ImageService: new pkg.runtime.v1.ImageService(target, credentials.createInsecure()),
  };
  return {
    call: <T>(service: CriService, method: string, request: unknown, timeoutMs = 60_000): Promise<T> =>
      new Promise<T>((resolve, reject) => {
        const client = clients[service];
        const fn = client[method];
        if (fn === undefined) {
          reject(new Error(`CRI ${service} has no method ${method}`));
          return;
        }
        fn.call(client, request, new Metadata(), { deadline: new Date(Date.now() + timeoutMs) }, (error, response) => {
          if (error === null) resolve(response as T);
          else reject(new Error(`CRI ${method}: ${error.details || error.message}`, { cause: error }));
        });
      }),
    close: () => {
      clients.RuntimeService.close();
      clients.ImageService.close();
    },
  };
}
