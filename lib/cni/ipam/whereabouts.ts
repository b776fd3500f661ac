import { Cidr, IpAddress, IpFamily } from '../../addressing/ip';
import { CniVersion } from '../cni-version';
import { DNS, Dns, ROUTES, Route } from '../common';
import { CheckPhase, FieldDef, FieldType, arrayOf, bool, cidr, field, int, ip, objectOf, oneOf, str } from '../field';
import { AddressPool, AddressingMode, Ipam, IpamAddressing, IpamSpec, addressesPerFamilyProblem } from '../ipam';
import { ProblemSink } from '../problem';
import { PluginProject, PluginsProfile } from '../profile';
import { registerIpam } from '../registry';
import { STATIC_ADDRESS, StaticAddress, staticAddressesProblems } from './static';
import { assertArg, assertOptionsObject, pString } from '../props-check';

/** Log levels of the whereabouts binary. */
export enum WhereaboutsLogLevel {
  DEBUG = 'debug',
  VERBOSE = 'verbose',
  ERROR = 'error',
  PANIC = 'panic',
}

/** One entry of `ipRanges`: each entry yields one address per pod (dual stack = two entries). */
export interface WhereaboutsRange {
  /** The pool: a CIDR (host bits allowed, masked), or `first-last/prefix` such as `10.1.0.10-10.1.0.50/24`. */
  readonly range: string;
  /**
   * First address handed out (`range_start`).
   * @default - the address after the network address
   */
  readonly rangeStart?: string;
  /**
   * Last address handed out (`range_end`).
   * @default - the address before the last address of the prefix
   */
  readonly rangeEnd?: string;
  /**
   * Prefixes inside the range that are never handed out (the gateway is NOT excluded by itself).
   * @default - none
   */
  readonly exclude?: readonly string[];
}

/** Where whereabouts finds the cluster (normally from the flat file the whereabouts DaemonSet writes). */
export interface WhereaboutsKubernetes {
  /**
   * Path of a kubeconfig on the node.
   * @default - the one named in the flat file (/etc/cni/net.d/whereabouts.d/whereabouts.kubeconfig)
   */
  readonly kubeconfig?: string;
  /**
   * API server root URL.
   * @default - from the kubeconfig
   */
  readonly k8sApiRoot?: string;
}

/** Properties of a {@link WhereaboutsIpam}. */
export interface WhereaboutsIpamProps {
  /**
   * The pool: a CIDR (host bits allowed, masked), or `first-last/prefix`. Required unless
   * `ipRanges` is given.
   * @default - none
   */
  readonly range?: string;
  /**
   * First address handed out from `range` (`range_start`).
   * @default - the address after the network address
   */
  readonly rangeStart?: string;
  /**
   * Last address handed out from `range` (`range_end`).
   * @default - the address before the last address of the prefix
   */
  readonly rangeEnd?: string;
  /**
   * Prefixes of `range` never handed out. Only read together with `range`; put the exclusions of
   * `ipRanges` entries in the entries.
   * @default - none
   */
  readonly exclude?: readonly string[];
  /**
   * More pools; each entry yields one address per pod.
   * @default - none
   */
  readonly ipRanges?: readonly WhereaboutsRange[];
  /**
   * Gateway returned with EVERY allocated address, whatever its family: leave it out for dual
   * stack and use routes with an explicit `gw`. It is not excluded from the pool by itself.
   * @default - none
   */
  readonly gateway?: string;
  /** Routes returned with the addresses. @default - none */
  readonly routes?: readonly Route[];
  /** DNS returned by the IPAM. @default - none */
  readonly dns?: Dns;
  /** Fixed addresses returned after the pool addresses. @default - none */
  readonly addresses?: readonly StaticAddress[];
  /** @default - from the flat file written by the whereabouts DaemonSet */
  readonly kubernetes?: WhereaboutsKubernetes;
  /**
   * The flat file with the node-side settings (`configuration_path`).
   * @default - searched at /etc/kubernetes/cni/net.d/whereabouts.d/whereabouts.conf, then /etc/cni/net.d/whereabouts.d/whereabouts.conf
   */
  readonly configurationPath?: string;
  /**
   * Keep addresses unique across overlapping ranges cluster-wide (`enable_overlapping_ranges`).
   * @default true
   */
  readonly enableOverlappingRanges?: boolean;
  /**
   * A separate pool namespace for the same CIDR (`network_name`).
   * @default - none: one pool per CIDR
   */
  readonly networkName?: string;
  /**
   * Size of the per-node slices, e.g. `/26` (`node_slice_size`); needs the node-slice controller.
   * @default - no slices
   */
  readonly nodeSliceSize?: string;
  /** Leader lease duration in ms. @default 1500 */
  readonly leaderLeaseDuration?: number;
  /** Leader renew deadline in ms. @default 1000 */
  readonly leaderRenewDeadline?: number;
  /** Leader retry period in ms. @default 500 */
  readonly leaderRetryPeriod?: number;
  /**
   * When the IP reconciler runs (cron expression).
   * @default - from the flat file ("30 4 * * *" as installed)
   */
  readonly reconcilerCronExpression?: string;
  /** Log file on the node. @default - standard error */
  readonly logFile?: string;
  /** @default - the binary's default */
  readonly logLevel?: WhereaboutsLogLevel;
  /** Testing knob: sleep to provoke allocation races (ms). @default 0 */
  readonly sleepForRace?: number;
}

/** A parsed `range`: the prefix (masked) and the bounds written in the dash form, if any. */
interface ParsedRange {
  readonly cidr: Cidr;
  readonly first?: IpAddress;
  readonly last?: IpAddress;
}

/** Parses a whereabouts range, or returns why it is not one. */
export function parseWhereaboutsRange(text: string): ParsedRange | string {
  const dash = text.indexOf('-');
  if (dash < 0) {
    const c = Cidr.tryParse(text);
    return c ? { cidr: c.canonical } : 'is not a CIDR or first-last/prefix range';
  }
  const first = IpAddress.tryParse(text.slice(0, dash));
  if (!first) return 'has an invalid range start address';
  const rest = Cidr.tryParse(text.slice(dash + 1));
  if (!rest) return 'has an invalid CIDR after the dash';
  if (!rest.canonical.contains(first)) return `starts outside its prefix ${rest.canonical}`;
  return { cidr: rest.canonical, first, last: rest.address };
}

function whereaboutsRange(): FieldType {
  const description = 'a CIDR or a first-last/prefix range';
  return {
    description,
    check(value: unknown, f: string, sink: ProblemSink, phase: CheckPhase) {
      if (phase.kind !== 'shape') return;
      if (typeof value !== 'string') {
        sink.error(f, `must be ${description}`, value, 'write a range such as 10.1.0.0/24 or 10.1.0.10-10.1.0.50/24');
        return;
      }
      const r = parseWhereaboutsRange(value);
      if (typeof r === 'string') {
        sink.error(f, r, value, 'write a range such as 10.1.0.0/24 or 10.1.0.10-10.1.0.50/24');
        return;
      }
      if (r.cidr.prefix > r.cidr.address.bits - 2) {
        sink.error(f, 'has no address to hand out (whereabouts skips the first and last address of the prefix)', value,
          `use a prefix of /${r.cidr.address.bits - 2} or shorter`);
      }
    },
    toJson: (v) => v,
    fromJson: (j) => j,
  };
}

/** Keys of the removed etcd backend: read by no current whereabouts. */
function etcdRemoved(): FieldType {
  return {
    description: 'a key of the removed etcd backend',
    check(value: unknown, f: string, sink: ProblemSink, phase: CheckPhase) {
      if (phase.kind === 'shape') {
        sink.error(f, 'belongs to the etcd backend, which whereabouts removed in 2022 (it keeps allocations in Kubernetes IPPool resources)', f.startsWith('etcd_password') ? '(hidden)' : value,
          'remove it; whereabouts finds the cluster through kubernetes.kubeconfig or its flat file');
      }
    },
    toJson: () => undefined,
    fromJson: (j) => j,
  };
}

const RANGE_ENTRY = objectOf({
  range: field('range', whereaboutsRange(), { required: 'write the pool, e.g. 10.1.0.0/24' }),
  rangeStart: field('range_start', ip()),
  rangeEnd: field('range_end', ip()),
  exclude: field('exclude', arrayOf(cidr())),
}, { description: 'a range {range, range_start, range_end, exclude}' });

const PATH = str({ pattern: /^\//, patternText: 'an absolute path' });

const ETCD_KEYS = ['etcd_host', 'etcd_username', 'etcd_password', 'etcd_key_file', 'etcd_cert_file', 'etcd_ca_cert_file', 'datastore'];
const ETCD_FIELDS: Record<string, FieldDef> = Object.fromEntries(ETCD_KEYS.map((k) => [k, field(k, etcdRemoved())]));

const DEFAULT_LEADER = { lease: 1500, renew: 1000, retry: 500 };

/** One pool as the model sees it, with where it came from. */
interface PoolSource {
  readonly field: string;
  readonly cidr: Cidr;
  readonly start: IpAddress;
  readonly end: IpAddress;
  readonly exclude: Cidr[];
}

/**
 * whereabouts IPAM: a cluster-wide pool kept in Kubernetes (IPPool resources), so every node hands
 * out distinct addresses. Needs the whereabouts DaemonSet (binary, flat file, kubeconfig) and CRDs.
 * CNI CHECK is not implemented by whereabouts: the list gets `disableCheck`.
 */
export class WhereaboutsIpam extends Ipam {
  public static readonly SPEC: IpamSpec = {
    type: 'whereabouts',
    project: PluginProject.WHEREABOUTS,
    consumes: [],
    fields: {
      range: field('range', whereaboutsRange()),
      rangeStart: field('range_start', ip()),
      rangeEnd: field('range_end', ip()),
      exclude: field('exclude', arrayOf(cidr())),
      ipRanges: field('ipRanges', arrayOf(RANGE_ENTRY, { minItems: 1 })),
      gateway: field('gateway', ip()),
      routes: field('routes', ROUTES),
      dns: field('dns', DNS),
      addresses: field('addresses', arrayOf(STATIC_ADDRESS)),
      kubernetes: field('kubernetes', objectOf({
        kubeconfig: field('kubeconfig', PATH),
        k8sApiRoot: field('k8s_api_root', str({ pattern: /^https?:\/\//, patternText: 'an http(s) URL' })),
      }, { description: 'an object {kubeconfig, k8s_api_root}' })),
      configurationPath: field('configuration_path', PATH),
      enableOverlappingRanges: field('enable_overlapping_ranges', bool()),
      networkName: field('network_name', str({ pattern: /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, patternText: 'a lowercase DNS-1123 name (it prefixes the IPPool names)' })),
      nodeSliceSize: field('node_slice_size', str({ pattern: /^\/\d{1,3}$/, patternText: 'a prefix length such as "/26"' })),
      leaderLeaseDuration: field('leader_lease_duration', int({ min: 1, unit: 'ms' })),
      leaderRenewDeadline: field('leader_renew_deadline', int({ min: 1, unit: 'ms' })),
      leaderRetryPeriod: field('leader_retry_period', int({ min: 1, unit: 'ms' })),
      reconcilerCronExpression: field('reconciler_cron_expression', str({ pattern: /^(@\w+|\S+(\s+\S+){4,5})$/, patternText: 'a cron expression of 5 or 6 fields (or @daily...)' })),
      logFile: field('log_file', PATH),
      logLevel: field('log_level', oneOf(WhereaboutsLogLevel, 'WhereaboutsLogLevel')),
      sleepForRace: field('sleep_for_race', int({ min: 0 })),
      ...ETCD_FIELDS,
    },
    create: (props: WhereaboutsIpamProps, sink?: ProblemSink) => new WhereaboutsIpam(props, sink),
  };

  /** whereabouts over one range: the common case. */
  public static range(range: string, opts: Omit<WhereaboutsIpamProps, 'range'> = {}): WhereaboutsIpam {
    assertArg(pString(), range, 'range', 'WhereaboutsIpam.range', 'give the range, e.g. "10.1.0.0/24"');
    assertOptionsObject(opts, 'opts', 'WhereaboutsIpam.range');
    return new WhereaboutsIpam({ ...opts, range });
  }

  constructor(props: WhereaboutsIpamProps);
  /** @internal */
  constructor(props: WhereaboutsIpamProps, sink: ProblemSink | undefined);
  constructor(props: WhereaboutsIpamProps, sink?: ProblemSink) {
    super(WhereaboutsIpam.SPEC, props, sink);
  }

  /** The `ipRanges` entries (a copy). */
  public get ipRanges(): WhereaboutsRange[] {
    return ((this.values.ipRanges as WhereaboutsRange[] | undefined) ?? []).map((r) => ({ ...r }));
  }

  /** The fixed addresses (a copy). */
  public get addresses(): StaticAddress[] {
    return ((this.values.addresses as StaticAddress[] | undefined) ?? []).map((a) => ({ ...a }));
  }

  /** Whether the pool is unique across overlapping ranges (the whereabouts default). */
  public get enableOverlappingRanges(): boolean {
    return (this.values.enableOverlappingRanges as boolean | undefined) ?? true;
  }

  public addressing(): IpamAddressing {
    const gateway = this.values.gateway ? IpAddress.parse(this.values.gateway as string) : undefined;
    const pools: AddressPool[] = this.pools().map((p, set) => ({
      subnet: p.cidr,
      start: p.start,
      end: p.end,
      gateway: gateway && p.cidr.contains(gateway) ? gateway : undefined,
      exclude: p.exclude,
      set,
    }));
    return {
      mode: AddressingMode.POOL,
      pools,
      staticAddresses: this.addresses.map((a) => ({ address: Cidr.parse(a.address), gateway: a.gateway ? IpAddress.parse(a.gateway) : undefined })),
      routes: (this.values.routes as Route[] | undefined) ?? [],
      clusterWide: true,
    };
  }

  /** The pools: `range` (with its bounds and excludes) first, then each `ipRanges` entry. */
  private pools(): PoolSource[] {
    const out: PoolSource[] = [];
    const add = (f: string, range: string, rangeStart?: string, rangeEnd?: string, exclude?: readonly string[]) => {
      const r = parseWhereaboutsRange(range);
      if (typeof r === 'string') return;
      const lo = r.cidr.firstHost;
      const hi = r.cidr.last.plus(-1n);
      const start = rangeStart ? IpAddress.parse(rangeStart) : r.first ?? lo;
      const end = rangeEnd ? IpAddress.parse(rangeEnd) : r.last ?? hi;
      out.push({
        field: f,
        cidr: r.cidr,
        start: start.compare(lo) < 0 ? lo : start,
        end: end.compare(hi) > 0 ? hi : end,
        exclude: (exclude ?? []).map((e) => Cidr.parse(e).canonical),
      });
    };
    const v = this.values;
    if (v.range !== undefined) add('range', v.range as string, v.rangeStart as string | undefined, v.rangeEnd as string | undefined, v.exclude as string[] | undefined);
    this.ipRanges.forEach((r, i) => add(`ipRanges[${i}]`, r.range, r.rangeStart, r.rangeEnd, r.exclude));
    return out;
  }

  protected checkShape(sink: ProblemSink): void {
    const v = this.values;
    if (v.range === undefined) {
      if (v.ipRanges === undefined) {
        sink.error('range', "is required unless 'ipRanges' is given", undefined, 'write the pool, e.g. range: "10.1.0.0/24"');
        return;
      }
      for (const key of ['rangeStart', 'rangeEnd', 'exclude'] as const) {
        if (v[key] === undefined) continue;
        const wire = WhereaboutsIpam.SPEC.fields[key].key;
        sink.error(wire, 'is only read together with \'range\'; with \'ipRanges\' alone whereabouts drops it silently', v[key],
          'move it into the \'ipRanges\' entry it belongs to');
      }
    }
    if (v.range !== undefined) this.checkRange(sink, '', v.range as string, v.rangeStart as string | undefined, v.rangeEnd as string | undefined, v.exclude as string[] | undefined);
    this.ipRanges.forEach((r, i) => this.checkRange(sink, `ipRanges[${i}]`, r.range, r.rangeStart, r.rangeEnd, r.exclude));
    if (sink.hasErrors) return;

    const pools = this.pools();
    for (let a = 0; a < pools.length; a++) {
      for (let b = a + 1; b < pools.length; b++) {
        const x = pools[a];
        const y = pools[b];
        if (x.cidr.family === y.cidr.family && x.start.value <= y.end.value && y.start.value <= x.end.value) {
          sink.error(y.field === 'range' ? 'range' : `${y.field}.range`, `overlaps ${x.field}`, `${y.start}-${y.end}`,
            'give each range its own addresses (each one yields a separate address per pod)');
        }
      }
    }

    const gatewayText = v.gateway as string | undefined;
    if (gatewayText !== undefined) {
      const gw = IpAddress.parse(gatewayText);
      const families = new Set(pools.map((p) => p.cidr.family));
      if (families.size > 1) {
        sink.error('gateway', 'is copied onto every allocated address, the IPv4 and the IPv6 one alike', gatewayText,
          "remove it and add routes with an explicit 'gw' per family");
      }
      const home = pools.filter((p) => p.cidr.contains(gw));
      if (home.length === 0) {
        sink.error('gateway', `is not inside any range (${pools.map((p) => p.cidr.toString()).join(', ')}), so the route via it is unreachable`, gatewayText,
          'use a gateway inside the range');
      }
      for (const p of home) {
        const handedOut = gw.value >= p.start.value && gw.value <= p.end.value && !p.exclude.some((e) => e.contains(gw));
        if (handedOut) {
          const where = p.field === 'range' ? 'exclude' : `${p.field}.exclude`;
          sink.error('gateway', `can be handed out to a pod: whereabouts does not skip the gateway of ${p.cidr}`, gatewayText,
            `add "${gw}/${gw.bits}" to '${where}', or start the range after it`);
        }
      }
    }

    const nodeSlice = v.nodeSliceSize as string | undefined;
    if (nodeSlice !== undefined) {
      const len = Number(nodeSlice.slice(1));
      for (const p of pools) {
        if (len <= p.cidr.prefix || len > p.cidr.address.bits - 2) {
          sink.error('node_slice_size', `does not cut ${p.cidr} into slices of usable size`, nodeSlice,
            `use a prefix length from /${p.cidr.prefix + 1} to /${p.cidr.address.bits - 2}`);
        }
      }
    }

    const lease = (v.leaderLeaseDuration as number | undefined) ?? DEFAULT_LEADER.lease;
    const renew = (v.leaderRenewDeadline as number | undefined) ?? DEFAULT_LEADER.renew;
    const retry = (v.leaderRetryPeriod as number | undefined) ?? DEFAULT_LEADER.retry;
    if (renew >= lease) {
      sink.error('leader_renew_deadline', `is not shorter than the lease duration ${lease} ms`, renew, 'keep leader_lease_duration > leader_renew_deadline > leader_retry_period');
    } else if (retry * 1.2 >= renew) {
      sink.error('leader_retry_period', `is too close to the renew deadline ${renew} ms (leader election needs retry * 1.2 < renew)`, retry, 'shorten leader_retry_period or lengthen leader_renew_deadline');
    }

    staticAddressesProblems(this.addresses, sink);
  }

  private checkRange(sink: ProblemSink, prefix: string, range: string, rangeStart?: string, rangeEnd?: string, exclude?: readonly string[]): void {
    const s = prefix ? sink.child(prefix) : sink;
    const r = parseWhereaboutsRange(range);
    if (typeof r === 'string') return;
    const { cidr: c } = r;
    if (r.first && (rangeStart !== undefined || rangeEnd !== undefined)) {
      s.error(rangeStart !== undefined ? 'range_start' : 'range_end', `repeats a bound already written in the range ${range}`, rangeStart ?? rangeEnd,
        `write the bounds once: either ${range} or range ${c} with range_start/range_end`);
      return;
    }
    const lo = c.firstHost;
    const hi = c.last.plus(-1n);
    const bound = (key: string, text: string | undefined, fallback: IpAddress | undefined): IpAddress | undefined => {
      if (text === undefined) return fallback;
      const a = IpAddress.parse(text);
      if (!c.contains(a)) {
        s.error(key, `is not in the range ${c}`, text, `pick an address inside ${c}`);
        return undefined;
      }
      if (a.compare(lo) < 0 || a.compare(hi) > 0) {
        s.error(key, `is the first or last address of ${c}, which whereabouts never hands out`, text, `pick an address from ${lo} to ${hi}`);
        return undefined;
      }
      return a;
    };
    const start = bound('range_start', rangeStart, r.first);
    const end = bound('range_end', rangeEnd, r.last);
    if (start && end && start.compare(end) > 0) {
      s.error(rangeStart !== undefined ? 'range_start' : 'range', `is after the range end ${end}`, rangeStart ?? range, 'swap the bounds');
      return;
    }
    const from = start ?? lo;
    const to = end ?? hi;
    (exclude ?? []).forEach((text, i) => {
      const e = Cidr.parse(text);
      if (!c.containsCidr(e.canonical)) {
        s.error(`exclude[${i}]`, `is not inside the range ${c}`, text, `exclude prefixes of ${c} only`);
      } else if (e.network.value <= from.value && e.last.value >= to.value) {
        s.error(`exclude[${i}]`, `covers every address from ${from} to ${to}`, text, 'exclude less, or widen the range');
      }
    });
  }

  protected checkProfile(sink: ProblemSink, _profile: PluginsProfile, cniVersion?: CniVersion): void {
    const families: IpFamily[] = [
      ...this.pools().map((p) => p.cidr.family),
      ...this.addresses.map((a) => Cidr.parse(a.address).family),
    ];
    addressesPerFamilyProblem(sink, this.values.ipRanges !== undefined ? 'ipRanges' : 'range', families, cniVersion, 'one per range and per fixed address');
  }
}

registerIpam(WhereaboutsIpam.SPEC);
