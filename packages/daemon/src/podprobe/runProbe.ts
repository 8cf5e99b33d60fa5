import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect } from 'node:net';
import type { ContainerProbeSpec } from '@kruise-ts/core';
import type { ContainerRuntime } from '../cri/containerRuntime.js';
import type { ProbeOutcome } from './probeWorkerStep.js';

/** Longest message kept from a probe's output (OpenKruise's maxProbeMessageLength). */
export const MAX_PROBE_MESSAGE_LENGTH = 1024;

/** Where a probe runs: the container (exec) and the pod IP (HTTP and TCP without a host). */
export interface ProbeTarget {
  readonly containerId: string;
  readonly podIP: string;
}

const truncate = (text: string): string => (text.length > MAX_PROBE_MESSAGE_LENGTH ? text.slice(0, MAX_PROBE_MESSAGE_LENGTH) : text);

function httpGet(spec: NonNullable<ContainerProbeSpec['httpGet']>, podIP: string, timeoutMs: number, userAgent: string): Promise<ProbeOutcome> {
  const port = typeof spec.port === 'number' ? spec.port : Number.parseInt(spec.port, 10);
  if (!Number.isInteger(port) || port <= 0 || port >= 65536) return Promise.reject(new Error(`invalid port number: ${String(spec.port)}`));
  const https = (spec.scheme ?? 'HTTP').toUpperCase() === 'HTTPS';
  const headers: Record<string, string> = { 'User-Agent': userAgent, Accept: '*/*' };
  for (const header of spec.httpHeaders ?? []) headers[header.name] = header.value;
  const url = new URL(spec.path ?? '/', `${https ? 'https' : 'http'}://${(spec.host ?? '') === '' ? podIP : (spec.host ?? '')}:${String(port)}`);
  return new Promise((resolve) => {
    const request = (https ? httpsRequest : httpRequest)(url, { method: 'GET', headers, timeout: timeoutMs, rejectUnauthorized: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const code = response.statusCode ?? 0;
        // The kubelet's HTTP prober: 200-399 succeed (redirects are not followed off the host).
        resolve(code >= 200 && code < 400 ? { state: 'Succeeded', message: body } : { state: 'Failed', message: `HTTP probe failed with statuscode: ${String(code)}` });
      });
    });
    request.on('timeout', () => request.destroy(new Error(`Get "${url.href}": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`)));
    request.on('error', (error) => { resolve({ state: 'Failed', message: error.message }); });
    request.end();
  });
}

function tcpConnect(host: string, port: number, timeoutMs: number): Promise<ProbeOutcome> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: timeoutMs });
    socket.on('connect', () => {
      socket.destroy();
      resolve({ state: 'Succeeded', message: '' });
    });
    socket.on('timeout', () => socket.destroy(new Error(`dial tcp ${host}:${String(port)}: i/o timeout`)));
    socket.on('error', (error) => { resolve({ state: 'Failed', message: error.message }); });
  });
}

/**
 * Returns the outcome of one run of `spec` (OpenKruise's prober): exec runs the command in the
 * container through CRI ExecSync with the timeout (exit 0 = Succeeded with stdout, else Failed with
 * stderr); httpGet sends a GET to the host (default the pod IP) with the headers and a kube-probe
 * User-Agent (200-399 = Succeeded); tcpSocket opens a connection (default host the pod IP). The
 * message is cut to 1024 characters. Rejects only when the probe cannot run (no handler, bad port).
 *
 * @example exec ['cat', '/tmp/ready'] in a container without the file → { state: 'Failed', message: 'cat: can\'t open \'/tmp/ready\': No such file or directory\n' }
 */
export async function runProbe(runtime: ContainerRuntime, spec: ContainerProbeSpec, target: ProbeTarget, timeoutSeconds: number, options: { readonly signal?: AbortSignal | undefined; readonly userAgent?: string | undefined } = {}): Promise<ProbeOutcome> {
  const outcome = await (async (): Promise<ProbeOutcome> => {
    if (spec.exec != null) {
      try {
        const result = await runtime.execSync(target.containerId, spec.exec.command ?? [], timeoutSeconds, { signal: options.signal });
        return result.exitCode === 0 ? { state: 'Succeeded', message: result.stdout } : { state: 'Failed', message: result.stderr === '' ? result.stdout : result.stderr };
      } catch (error) {
        return { state: 'Failed', message: error instanceof Error ? error.message : String(error) };
      }
    }
    if (spec.httpGet != null) return httpGet(spec.httpGet, target.podIP, timeoutSeconds * 1000, options.userAgent ?? 'kruise-daemon/dev kube-probe');
    if (spec.tcpSocket != null) {
      const port = typeof spec.tcpSocket.port === 'number' ? spec.tcpSocket.port : Number.parseInt(spec.tcpSocket.port, 10);
      return tcpConnect((spec.tcpSocket.host ?? '') === '' ? target.podIP : (spec.tcpSocket.host ?? ''), port, timeoutSeconds * 1000);
    }
    throw new Error('missing probe handler');
  })();
  return { ...outcome, message: truncate(outcome.message) };
}
