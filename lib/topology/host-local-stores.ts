import { AddressPool } from '../cni/ipam';
import { CniConfig } from '../cni/config';

/**
 * host-local keeps the addresses it handed out on each node in a directory of its own per network:
 * `<dataDir>/<config name>`, `dataDir` defaulting to /var/lib/cni/networks (containernetworking
 * plugins v1.10.0 plugins/ipam/host-local/backend/disk/backend.go `New`, called with the config's
 * `name`). Two configs reach one store only with the same name and the same dataDir. Two NADs of
 * one L2 segment (per-chart copies of one network, two NADs on one bridge) with overlapping
 * host-local ranges and different stores hand out the same address twice on a node.
 */

/** host-local's default `dataDir`. */
export const HOST_LOCAL_DATA_DIR = '/var/lib/cni/networks';

/**
 * The host-local store of a config (`<dataDir>/<name>`), or undefined when its main plugin does
 * not allocate with host-local.
 * @param nadName the name the config is written with when it names none (the NAD's)
 */
export function hostLocalStore(config: CniConfig | undefined, nadName: string): string | undefined {
  const ipam = config?.main?.ipam;
  if (!ipam || ipam.type !== 'host-local') return undefined;
  const dataDir = ipam.toJson().dataDir;
  const dir = typeof dataDir === 'string' && dataDir !== '' ? dataDir.replace(/\/+$/, '') || '/' : HOST_LOCAL_DATA_DIR;
  return `${dir === '/' ? '' : dir}/${config!.name ?? nadName}`;
}

/** A host-local network of a known segment, as the check sees it. */
export interface HostLocalUse {
  /** Its position among the networks (reports name the later of two). */
  readonly index: number;
  /** Its store (hostLocalStore). */
  readonly store: string;
  readonly pools: readonly AddressPool[];
}

/** One pool in the sweep. */
interface Span {
  readonly use: HostLocalUse;
  readonly pool: AddressPool;
}

/**
 * The pairs of networks of one segment whose host-local pools share an address while their
 * stores differ, as [later index, earlier index, the later network's pool], each pair once.
 * Sorted by start address and swept (no pairwise loop: a segment may carry thousands of NADs):
 * the span reaching furthest so far, and the furthest of a store other than its own, are the
 * only candidates a span can overlap with another store.
 */
export function sharedRangeConflicts(uses: readonly HostLocalUse[]): [number, number, AddressPool][] {
  if (uses.length < 2) return [];
  const spans: Span[] = [];
  for (const use of uses) for (const pool of use.pools) spans.push({ use, pool });
  spans.sort((a, b) => a.pool.start.family - b.pool.start.family || compare(a.pool.start.value, b.pool.start.value));
  const out: [number, number, AddressPool][] = [];
  const seen = new Set<string>();
  let best: Span | undefined;
  let other: Span | undefined;
  for (const s of spans) {
    if (best && best.pool.start.family !== s.pool.start.family) best = other = undefined;
    const partner = best && best.use.store !== s.use.store ? best : other;
    if (partner && partner.pool.end.value >= s.pool.start.value) {
      const [later, earlier] = s.use.index > partner.use.index ? [s, partner] : [partner, s];
      const key = `${later.use.index}/${earlier.use.index}`;
      if (!seen.has(key)) {
        seen.add(key);
        out.push([later.use.index, earlier.use.index, later.pool]);
      }
    }
    // keep the furthest-reaching span, and the furthest of another store than its own
    if (!best || s.pool.end.value > best.pool.end.value) {
      // the old best is the furthest of all so far: of another store, it is the new `other`;
      // of the same store, `other` (the furthest of any other store) stays
      if (best && best.use.store !== s.use.store) other = best;
      best = s;
    } else if (s.use.store !== best.use.store && (!other || s.pool.end.value > other.pool.end.value)) {
      other = s;
    }
  }
  return out.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
}

function compare(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
