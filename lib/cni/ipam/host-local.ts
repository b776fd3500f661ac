import { Cidr, IpAddress, IpFamily } from '../../addressing/ip';
import { CniVersion } from '../cni-version';
import { CniCapability, ROUTES, Route } from '../common';
import { FieldType, arrayOf, field, ip, objectOf, str, cidr } from '../field';
import { AddressPool, AddressingMode, Ipam, IpamAddressing, IpamSpec, addressesPerFamilyProblem } from '../ipam';
import { ProblemSink } from '../problem';
import { PluginProject, PluginsProfile } from '../profile';
import { registerIpam } from '../registry';
import { assertArg, assertOptionsObject, pString } from '../props-check';

/** One range of a host-local range set. */
export interface HostLocalRange {
  /** The subnet, as a network address (host bits clear), e.g. `10.1.0.0/24`. */
  readonly subnet: string;
  /**
   * First address handed out.
   * @default - the address after the network address
   */
  readonly rangeStart?: string;
  /**
   * Last address handed out.
   * @default - the last address before the broadcast (IPv4) or the last address (IPv6)
   */
  readonly rangeEnd?: string;
  /**
   * The gateway returned to the plugin and never handed out.
   * @default - the first address of the subnet
   */
  readonly gateway?: string;
}

/** Properties of a {@link HostLocalIpam}. */
export interface HostLocalIpamProps {
  /**
   * Range sets: each set yields one address (dual stack = one IPv4 set and one IPv6 set); the
   * ranges of a set are tried in order.
   */
  readonly ranges?: readonly (readonly HostLocalRange[])[];
  /**
   * Legacy single-range form: a top-level subnet, which host-local prepends to `ranges` as
   * range set 0. Prefer `ranges`; this exists because many third-party configs use it.
   * @default - none (give `ranges`)
   */
  readonly subnet?: string;
  /** Legacy form: first address of the top-level subnet. @default - the address after the network address */
  readonly rangeStart?: string;
  /** Legacy form: last address of the top-level subnet. @default - the last usable address */
  readonly rangeEnd?: string;
  /** Legacy form: gateway of the top-level subnet. @default - the first address of the subnet */
  readonly gateway?: string;
  /**
   * Routes returned with the addresses.
   * @default - none
   */
  readonly routes?: readonly Route[];
  /**
   * Where allocations are stored on the node.
   * @default /var/lib/cni/networks
   */
  readonly dataDir?: string;
  /**
   * A resolv.conf on the node to return as DNS.
   * @default - none
   */
  readonly resolvConf?: string;
}

const RANGE: FieldType = objectOf({
  subnet: field('subnet', cidr(), { required: 'write the subnet as a network address such as 10.1.0.0/24' }),
  rangeStart: field('rangeStart', ip()),
  rangeEnd: field('rangeEnd', ip()),
  gateway: field('gateway', ip()),
}, { description: 'a range {subnet, rangeStart, rangeEnd, gateway}' });

/**
 * host-local IPAM: allocates from ranges, one file per address under `dataDir` on each node.
 * Allocation is per node: the same pool on two nodes can hand out the same address (use
 * whereabouts for a cluster-wide pool).
 */
export class HostLocalIpam extends Ipam {
  public static readonly SPEC: IpamSpec = {
    type: 'host-local',
    project: PluginProject.CNI_PLUGINS,
    consumes: [CniCapability.IPS, CniCapability.IP_RANGES],
    fields: {
      ranges: field('ranges', arrayOf(arrayOf(RANGE), { minItems: 1 })),
      subnet: field('subnet', cidr()),
      rangeStart: field('rangeStart', ip()),
      rangeEnd: field('rangeEnd', ip()),
      gateway: field('gateway', ip()),
      routes: field('routes', ROUTES),
      dataDir: field('dataDir', str({ pattern: /^\//, patternText: 'an absolute path' })),
      resolvConf: field('resolvConf', str({ pattern: /^\//, patternText: 'an absolute path' })),
    },
    create: (props: HostLocalIpamProps, sink?: ProblemSink) => new HostLocalIpam(props, sink),
  };

  /** host-local over one subnet: the common case. */
  public static subnet(subnet: string, opts: Omit<HostLocalRange, 'subnet'> & Omit<HostLocalIpamProps, 'ranges'> = {}): HostLocalIpam {
    assertArg(pString(), subnet, 'subnet', 'HostLocalIpam.subnet', 'give the subnet, e.g. "10.1.0.0/24"');
    assertOptionsObject(opts, 'opts', 'HostLocalIpam.subnet');
    const { rangeStart, rangeEnd, gateway, ...rest } = opts;
    return new HostLocalIpam({ ...rest, ranges: [[{ subnet, rangeStart, rangeEnd, gateway }]] });
  }

  constructor(props: HostLocalIpamProps);
  /** @internal */
  constructor(props: HostLocalIpamProps, sink: ProblemSink | undefined);
  constructor(props: HostLocalIpamProps, sink?: ProblemSink) {
    super(HostLocalIpam.SPEC, props, sink);
  }

  /** The effective range sets (a copy): the legacy top-level range first, as host-local does. */
  public get ranges(): HostLocalRange[][] {
    return this.rangeSets().map((s) => s.set);
  }

  /** The range sets with the field path of each, for messages. */
  private rangeSets(): { set: HostLocalRange[]; field: string; rangeField: (j: number) => string }[] {
    const out: { set: HostLocalRange[]; field: string; rangeField: (j: number) => string }[] = [];
    const v = this.values;
    if (v.subnet !== undefined) {
      out.push({
        set: [{ subnet: v.subnet as string, rangeStart: v.rangeStart as string | undefined, rangeEnd: v.rangeEnd as string | undefined, gateway: v.gateway as string | undefined }],
        field: 'subnet',
        rangeField: () => '',
      });
    }
    ((v.ranges as HostLocalRange[][]) ?? []).forEach((set, i) => {
      out.push({ set: set.map((r) => ({ ...r })), field: `ranges[${i}]`, rangeField: (j) => `ranges[${i}][${j}]` });
    });
    return out;
  }

  public addressing(): IpamAddressing {
    const pools: AddressPool[] = [];
    this.ranges.forEach((set, i) => {
      for (const r of set) {
        const subnet = Cidr.parse(r.subnet);
        pools.push({
          subnet,
          start: r.rangeStart ? IpAddress.parse(r.rangeStart) : subnet.firstHost,
          end: r.rangeEnd ? IpAddress.parse(r.rangeEnd) : subnet.lastHost,
          gateway: r.gateway ? IpAddress.parse(r.gateway) : subnet.firstHost,
          set: i,
        });
      }
    });
    return { mode: AddressingMode.POOL, pools, staticAddresses: [], routes: (this.values.routes as Route[]) ?? [], clusterWide: false };
  }

  protected checkShape(sink: ProblemSink): void {
    const v = this.values;
    if (v.subnet === undefined && v.ranges === undefined) {
      sink.error('ranges', 'is required', undefined, 'add at least one range set, e.g. [[{ subnet: "10.1.0.0/24" }]]');
      return;
    }
    for (const key of ['rangeStart', 'rangeEnd', 'gateway']) {
      if (v[key] !== undefined && v.subnet === undefined) {
        sink.error(key, "is a legacy top-level key that host-local reads only with a top-level 'subnet'", v[key], 'move it into the range it belongs to, in ranges');
      }
    }
    const rangeSets = this.rangeSets();
    const sets = rangeSets.map((r) => r.set);
    const setSpans: { index: number; spans: { start: IpAddress; end: IpAddress }[] }[] = [];
    sets.forEach((set, i) => {
      const setField = rangeSets[i].field;
      if (set.length === 0) {
        sink.error(setField, 'is an empty range set', set, 'add at least one range, or remove the set');
        return;
      }
      const families = new Set<IpFamily>();
      const spans: { j: number; start: IpAddress; end: IpAddress }[] = [];
      set.forEach((r, j) => {
        const f = rangeSets[i].rangeField(j);
        const at = (key: string) => (f ? `${f}.${key}` : key);
        const subnet = Cidr.parse(r.subnet);
        families.add(subnet.family);
        if (subnet.hasHostBits) {
          sink.error(at('subnet'), 'has host bits set', r.subnet, `use the network address ${subnet.canonical}`);
          return;
        }
        if (subnet.prefix > subnet.address.bits - 2) {
          sink.error(at('subnet'), 'is too small to allocate from', r.subnet, `use a prefix of /${subnet.address.bits - 2} or shorter`);
          return;
        }
        const start = r.rangeStart ? IpAddress.parse(r.rangeStart) : subnet.firstHost;
        const end = r.rangeEnd ? IpAddress.parse(r.rangeEnd) : subnet.lastHost;
        for (const [key, addr] of [['rangeStart', r.rangeStart], ['rangeEnd', r.rangeEnd], ['gateway', r.gateway]] as const) {
          if (addr === undefined) continue;
          const a = IpAddress.parse(addr);
          if (!subnet.contains(a)) {
            sink.error(at(key), `is not in the subnet ${subnet}`, addr, `pick an address inside ${subnet}`);
          } else if (a.equals(subnet.network)) {
            sink.error(at(key), 'is the network address of the subnet', addr, `pick an address from ${subnet.firstHost} on`);
          } else if (subnet.broadcast && a.equals(subnet.broadcast)) {
            sink.error(at(key), 'is the broadcast address of the subnet', addr, `pick an address up to ${subnet.lastHost}`);
          }
        }
        if (start.compare(end) > 0) {
          sink.error(at('rangeStart'), `is after rangeEnd ${end}`, start.toString(), 'swap them, or move rangeStart down');
          return;
        }
        const gw = r.gateway ? IpAddress.parse(r.gateway) : subnet.firstHost;
        const size = end.value - start.value + 1n - (gw.value >= start.value && gw.value <= end.value ? 1n : 0n);
        if (size <= 0n) {
          sink.error(f || 'subnet', 'has no address to hand out (only the gateway)', r, 'widen the range beyond the gateway address');
        }
        for (const other of spans) {
          if (start.value <= other.end.value && other.start.value <= end.value && start.family === other.start.family) {
            sink.error(f || 'subnet', `overlaps range ${other.j} of the same set`, `${start}-${end}`, 'make the ranges of a set disjoint');
          }
        }
        spans.push({ j, start, end });
      });
      if (families.size > 1) {
        sink.error(setField, 'mixes address families', set.map((r) => r.subnet), 'put IPv4 and IPv6 ranges in separate sets');
      }
      setSpans.push({ index: i, spans });
    });
    // Like host-local, sets overlap when their address spans (rangeStart..rangeEnd) share an
    // address; two sets may share a subnet with disjoint spans (two addresses of one subnet).
    const spansOverlap = (x: { start: IpAddress; end: IpAddress }, y: { start: IpAddress; end: IpAddress }) =>
      x.start.family === y.start.family && x.start.value <= y.end.value && y.start.value <= x.end.value;
    for (let a = 0; a < setSpans.length; a++) {
      for (let b = a + 1; b < setSpans.length; b++) {
        if (setSpans[a].spans.some((x) => setSpans[b].spans.some((y) => spansOverlap(x, y)))) {
          sink.error(rangeSets[setSpans[b].index].field, `overlaps range set ${setSpans[a].index}`, sets[setSpans[b].index].map((r) => r.subnet), 'give each range set its own subnet');
        }
      }
    }
    const resolvConf = this.values.resolvConf as string | undefined;
    if (resolvConf !== undefined) {
      sink.warn('resolvConf', 'is read on the node at every ADD, which fails when the file is missing there', resolvConf,
        "make sure the file exists on every node that runs the pods, or write the servers in the plugin's top-level 'dns'");
    }
  }

  protected checkProfile(sink: ProblemSink, _profile: PluginsProfile, cniVersion?: CniVersion): void {
    const families = this.ranges.filter((set) => set.length > 0).map((set) => Cidr.parse(set[0].subnet).family);
    addressesPerFamilyProblem(sink, 'ranges', families, cniVersion, 'one per range set');
  }
}

registerIpam(HostLocalIpam.SPEC);
