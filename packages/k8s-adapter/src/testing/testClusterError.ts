/** Why the test cluster could not be used. */
export type TestClusterFailure =
  | 'binary-missing'
  | 'build-failed'
  | 'exited-early'
  | 'not-ready'
  | 'port-in-use'
  | 'stopped';

/**
 * Error thrown by the test-cluster harness. It names the component (`etcd`, `kube-apiserver`,
 * `kwok`...), why it failed, the last lines of that component's log, and what to do about it.
 */
export class TestClusterError extends Error {
  readonly _tag = 'TestClusterError' as const;
  readonly component: string;
  readonly failure: TestClusterFailure;
  readonly logTail: string;
  readonly hint: string;

  constructor(args: {
    component: string;
    failure: TestClusterFailure;
    message: string;
    hint?: string;
    logTail?: string;
    cause?: unknown;
  }) {
    const hint = args.hint ?? '';
    const logTail = args.logTail ?? '';
    const text = [`${args.component}: ${args.message}`, hint && `hint: ${hint}`, logTail && `last log lines of ${args.component}:\n${logTail}`]
      .filter(Boolean)
      .join('\n');
    super(text, args.cause === undefined ? undefined : { cause: args.cause });
    this.name = 'TestClusterError';
    this.component = args.component;
    this.failure = args.failure;
    this.logTail = logTail;
    this.hint = hint;
  }
}
