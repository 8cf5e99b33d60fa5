import { readFile, readdir } from 'node:fs/promises';

/** `/proc/<pid>/stat`'s state letter and CPU ticks (user + system) of a process or thread. */
async function procStat(path: string): Promise<{ state: string; ticks: number; comm: string } | undefined> {
  try {
    const text = await readFile(path, 'utf8');
    // "pid (comm) state ppid ..." — comm may hold spaces and parentheses: split at the last ')'.
    const close = text.lastIndexOf(')');
    const comm = text.slice(text.indexOf('(') + 1, close);
    const fields = text.slice(close + 2).split(' ');
    return { state: fields[0] ?? '?', ticks: Number(fields[11]) + Number(fields[12]), comm };
  } catch {
    return undefined;
  }
}

/** Each thread of `pid`: name, state, where it sleeps in the kernel, CPU ticks. */
async function threads(pid: number): Promise<string[]> {
  const lines: string[] = [];
  let tids: string[];
  try {
    tids = await readdir(`/proc/${String(pid)}/task`);
  } catch {
    return ['(no /proc entry: exited)'];
  }
  for (const tid of tids) {
    const stat = await procStat(`/proc/${String(pid)}/task/${tid}/stat`);
    const wchan = await readFile(`/proc/${String(pid)}/task/${tid}/wchan`, 'utf8').catch(() => '?');
    if (stat !== undefined) lines.push(`${tid} ${stat.comm} state=${stat.state} wchan=${wchan} ticks=${String(stat.ticks)}`);
  }
  return lines;
}

/**
 * The JavaScript stack of the main thread of a Node process started with `--inspect-port=0`: opens
 * its inspector (SIGUSR1, which a busy event loop still honours: the inspector runs on a thread of
 * its own and interrupts the running script), pauses it and reads the paused frames. `stderr()`
 * returns what the process printed on stderr so far, where the inspector's address appears.
 */
async function jsStack(pid: number, stderr: () => string, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  process.kill(pid, 'SIGUSR1');
  let url: string | undefined;
  while (url === undefined && Date.now() < deadline) {
    url = /Debugger listening on (ws:\/\/\S+)/.exec(stderr())?.[1];
    if (url === undefined) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  if (url === undefined) return '(the inspector did not open)';
  const socket = new WebSocket(url);
  try {
    return await new Promise<string>((resolve) => {
      const timer = setTimeout(() => {
        resolve('(the inspector did not pause the main thread: blocked outside JavaScript?)');
      }, Math.max(0, deadline - Date.now()));
      socket.addEventListener('open', () => {
        socket.send(JSON.stringify({ id: 1, method: 'Debugger.enable' }));
        socket.send(JSON.stringify({ id: 2, method: 'Debugger.pause' }));
      });
      socket.addEventListener('message', (event) => {
        const message = JSON.parse(String(event.data)) as { method?: string; params?: { callFrames?: { functionName: string; url: string; location: { lineNumber: number; columnNumber: number } }[] } };
        if (message.method !== 'Debugger.paused') return;
        clearTimeout(timer);
        const frames = (message.params?.callFrames ?? []).slice(0, 25).map((f) => `  at ${f.functionName || '(anonymous)'} ${f.url}:${String(f.location.lineNumber + 1)}:${String(f.location.columnNumber + 1)}`);
        resolve(frames.length === 0 ? '(paused with no frames)' : frames.join('\n'));
      });
      socket.addEventListener('error', () => {
        clearTimeout(timer);
        resolve('(the inspector connection failed)');
      });
    });
  } finally {
    socket.close();
  }
}

/**
 * What a Node process that does not exit is doing, for a test's failure message: its state and
 * CPU use over one second (spinning or sleeping), each thread's kernel wait channel, and, when
 * it was started with `--inspect-port=0`, the JavaScript stack its main thread is on.
 *
 * @example
 * ```ts
 * await hangReport(child.pid, () => stderrTail); // "cpu 0.98 s of 1 s (state R) … at drain queue.ts:41:7 …"
 * ```
 */
export async function hangReport(pid: number, stderr: () => string): Promise<string> {
  const before = await procStat(`/proc/${String(pid)}/stat`);
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const after = await procStat(`/proc/${String(pid)}/stat`);
  const cpu = before === undefined || after === undefined ? '(no /proc entry)' : `cpu ${((after.ticks - before.ticks) / 100).toFixed(2)} s of 1 s (state ${after.state})`;
  const threadLines = await threads(pid);
  const stack = await jsStack(pid, stderr, 5000).catch((error: unknown) => `(no stack: ${String(error)})`);
  return `${cpu}\nthreads:\n${threadLines.map((l) => `  ${l}`).join('\n')}\nmain thread's JavaScript stack:\n${stack}`;
}
