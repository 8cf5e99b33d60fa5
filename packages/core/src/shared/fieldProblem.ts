/**
 * A problem found in an object, located by its field path, as validation returns it.
 *
 * @example { path: 'spec.updateStrategy.rollingUpdate.partition', message: 'must be >= 0 or a percentage' }
 */
export interface FieldProblem {
  /** Dotted field path with `[i]` indices, e.g. `spec.selector.matchExpressions[0].values`. */
  readonly path: string;
  /** What is wrong, phrased so a person can fix it. */
  readonly message: string;
}

/** Returns a {@link FieldProblem} for `path` and `message` (a shorthand for table-like validators). */
export function fieldProblem(path: string, message: string): FieldProblem {
  return { path, message };
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * Returns a field path in the dotted form {@link FieldProblem} uses: identifiers joined by dots,
 * indices and other keys (label keys with dots or slashes) in brackets, as Kubernetes prints them.
 *
 * @example formatFieldPath(['spec', 'template', 'metadata', 'labels', 'app.kubernetes.io/name'])
 *   → 'spec.template.metadata.labels[app.kubernetes.io/name]'
 * @example formatFieldPath(['spec', 'volumeClaimTemplates', 0, 'metadata']) → 'spec.volumeClaimTemplates[0].metadata'
 */
export function formatFieldPath(segments: readonly PropertyKey[]): string {
  return segments.reduce<string>((path, segment) => {
    const text = typeof segment === 'symbol' ? segment.toString() : String(segment);
    if (typeof segment === 'string' && IDENTIFIER.test(segment)) return path === '' ? text : `${path}.${text}`;
    return `${path}[${text}]`;
  }, '');
}
