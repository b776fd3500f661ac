/**
 * Compares by meaning what was written with what the server holds: everything written must be
 * present and equal in the stored object; what the server adds (defaults, status, metadata it
 * sets) is ignored. Lists are compared element by element and must keep their length.
 */

/** One field the server did not keep as written. */
export interface Difference {
  /** The field, as a dotted path with [index] for list elements (`spec.template.spec.containers[0].image`). */
  readonly path: string;
  /** `dropped`: written but absent; `changed`: present with another value. */
  readonly kind: 'dropped' | 'changed';
  readonly written: unknown;
  /** The stored value (undefined when dropped). */
  readonly stored?: unknown;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function join(base: string, key: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(key) ? (base ? `${base}.${key}` : key) : `${base}[${JSON.stringify(key)}]`;
}

/** Every place where `stored` does not hold what `written` holds. A written null means "unset". */
export function subsetDifferences(written: unknown, stored: unknown, at = ''): Difference[] {
  if (written === null || written === undefined) return [];
  if (stored === undefined || stored === null) return [{ path: at, kind: 'dropped', written }];
  if (Array.isArray(written)) {
    if (!Array.isArray(stored) || stored.length !== written.length) return [{ path: at, kind: 'changed', written, stored }];
    return written.flatMap((w, i) => subsetDifferences(w, stored[i], `${at}[${i}]`));
  }
  if (isObject(written)) {
    if (!isObject(stored)) return [{ path: at, kind: 'changed', written, stored }];
    return Object.keys(written).flatMap((k) => subsetDifferences(written[k], stored[k], join(at, k)));
  }
  return written === stored ? [] : [{ path: at, kind: 'changed', written, stored }];
}

/** One line per difference, for reports and test messages. */
export function formatDifferences(differences: readonly Difference[]): string[] {
  return differences.map((d) => d.kind === 'dropped'
    ? `${d.path}: dropped (written ${JSON.stringify(d.written)})`
    : `${d.path}: changed from ${JSON.stringify(d.written)} to ${JSON.stringify(d.stored)}`);
}
