/**
 * Compares by meaning what was written with what the server holds: everything written must be
 * present and equal in the stored object; what the server adds (defaults, status, metadata it
 * sets) is ignored. Lists are compared element by element and must keep their length. Two
 * rewrites keep the meaning and are reported as `normalized`, not as differences: a zero value
 * (false, 0, "", {}, []) the server omits (its Go types drop them), and a resource quantity it
 * writes in canonical form ("2048Mi" → "2Gi", "1000m" → "1").
 */

/** One field the server did not keep as written. */
export interface Difference {
  /** The field, as a dotted path with [index] for list elements (`spec.template.spec.containers[0].image`). */
  readonly path: string;
  /**
   * `dropped`: written but absent; `changed`: present with another value; `normalized`: rewritten
   * with the same meaning (a zero value omitted, a quantity made canonical).
   */
  readonly kind: 'dropped' | 'changed' | 'normalized';
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

function isZero(v: unknown): boolean {
  return v === false || v === 0 || v === '' || (Array.isArray(v) && v.length === 0) || (isObject(v) && Object.keys(v).length === 0);
}

const QUANTITY = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?\d+)?$/;
const SUFFIX: Record<string, number> = {
  n: -1e9, u: -1e6, m: -1e3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
};

/** The value of a Kubernetes resource quantity ("2Gi", "500m", "1e3"), or undefined. */
export function quantityValue(text: string): number | undefined {
  const m = QUANTITY.exec(text);
  if (!m) return undefined;
  const n = Number(m[1]);
  const suffix = m[2];
  if (suffix === undefined) return n;
  if (/^[eE]/.test(suffix)) return n * 10 ** Number(suffix.slice(1));
  const f = SUFFIX[suffix];
  return f < 0 ? n / -f : n * f; // a negative factor divides (exact for n, u, m)
}

function sameQuantity(a: string, b: string): boolean {
  const x = quantityValue(a);
  const y = quantityValue(b);
  return x !== undefined && y !== undefined && Math.abs(x - y) <= Math.abs(x) * 1e-12;
}

/** Every place where `stored` does not hold what `written` holds. A written null means "unset". */
export function subsetDifferences(written: unknown, stored: unknown, at = ''): Difference[] {
  if (written === null || written === undefined) return [];
  if (stored === undefined || stored === null) return [{ path: at, kind: isZero(written) ? 'normalized' : 'dropped', written }];
  if (Array.isArray(written)) {
    if (!Array.isArray(stored) || stored.length !== written.length) return [{ path: at, kind: 'changed', written, stored }];
    return written.flatMap((w, i) => subsetDifferences(w, stored[i], `${at}[${i}]`));
  }
  if (isObject(written)) {
    if (!isObject(stored)) return [{ path: at, kind: 'changed', written, stored }];
    return Object.keys(written).flatMap((k) => subsetDifferences(written[k], stored[k], join(at, k)));
  }
  if (written === stored) return [];
  const same = typeof written === 'string' && typeof stored === 'string' && sameQuantity(written, stored);
  return [{ path: at, kind: same ? 'normalized' : 'changed', written, stored }];
}

/** The differences that change the meaning (dropped or changed). */
export function meaningful(differences: readonly Difference[]): Difference[] {
  return differences.filter((d) => d.kind !== 'normalized');
}

/** One line per difference, for reports and test messages. */
export function formatDifferences(differences: readonly Difference[]): string[] {
  return differences.map((d) => {
    if (d.kind === 'changed') return `${d.path}: changed from ${JSON.stringify(d.written)} to ${JSON.stringify(d.stored)}`;
    if (d.stored === undefined) return `${d.path}: ${d.kind} (written ${JSON.stringify(d.written)}, omitted by the server)`;
    return `${d.path}: normalized from ${JSON.stringify(d.written)} to ${JSON.stringify(d.stored)}`;
  });
}
