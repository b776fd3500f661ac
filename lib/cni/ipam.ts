import { Cidr, IpAddress, IpFamily } from '../addressing/ip';
import { CniVersion, compareCniVersions } from './cni-version';
import { CniCapability, JsonObject, Route } from './common';
import { CheckPhase, FieldDef, SHAPE, checkFields, fieldsToJson } from './field';
import { Problem, ProblemSink, reportProblemsTo } from './problem';
import { PluginProject, PluginsProfile } from './profile';
import { PropType, PropsShape, checkProps, isPlainObject, pAny, propsShape } from './props-check';

/** How an IPAM hands out addresses. */
export enum AddressingMode {
  /** From a pool (host-local, whereabouts). */
  POOL = 'pool',
  /** Fixed addresses in the config, or requested per pod (static). */
  STATIC = 'static',
  /** From a DHCP server on the segment. */
  DHCP = 'dhcp',
  /** Unknown to the library (unchecked IPAM). */
  UNKNOWN = 'unknown',
}

/** A contiguous pool of addresses an IPAM allocates from. */
export interface AddressPool {
  readonly subnet: Cidr;
  /** First address handed out. */
  readonly start: IpAddress;
  /** Last address handed out. */
  readonly end: IpAddress;
  /** The gateway, never handed out. */
  readonly gateway?: IpAddress;
  /** Prefixes inside the pool that are never handed out. */
  readonly exclude?: readonly Cidr[];
  /**
   * The group of alternatives the pool belongs to: a pod takes one address from each set
   * (host-local range set, whereabouts range entry), drawn from any pool of that set.
   * @default 0
   */
  readonly set?: number;
}

/** What an IPAM configuration says about addresses, for whole-topology checks. */
export interface IpamAddressing {
  readonly mode: AddressingMode;
  /** Pools, one per range (several per host-local range set). */
  readonly pools: readonly AddressPool[];
  /** Addresses fixed in the config. */
  readonly staticAddresses: readonly { readonly address: Cidr; readonly gateway?: IpAddress }[];
  readonly routes: readonly Route[];
  /** Whether allocation is coordinated across nodes (whereabouts) rather than per node (host-local). */
  readonly clusterWide: boolean;
}

/** The static description of an IPAM type. */
export interface IpamSpec {
  readonly type: string;
  readonly project: PluginProject;
  /** First release of the project that ships it. */
  readonly since?: string;
  readonly fields: Record<string, FieldDef>;
  /** Capabilities this IPAM reads from `runtimeConfig` (declared on the plugin that carries it). */
  readonly consumes: readonly CniCapability[];
  /**
   * Builds an instance from props (used by parsing). Parsing passes a sink: the IPAM's problems go
   * there instead of being thrown, so pass it on to the constructor of {@link Ipam}.
   */
  readonly create: (props: any, sink?: ProblemSink) => Ipam;
  /**
   * Advice for props that are not the IPAM's, by prop name.
   * @default - the list of the IPAM's props
   */
  readonly hints?: Readonly<Record<string, string>>;
}

/** The props shape of each IPAM type, built on first use from its field table. */
const IPAM_SHAPES = new WeakMap<IpamSpec, PropsShape>();

/**
 * The props an IPAM type accepts: its fields (their types are checked by the field table); any other key is refused.
 * @internal
 */
export function ipamShape(spec: IpamSpec): PropsShape {
  let shape = IPAM_SHAPES.get(spec);
  if (shape) return shape;
  const props: Record<string, PropType> = {};
  for (const key of Object.keys(spec.fields)) props[key] = pAny(spec.fields[key].type.description);
  shape = propsShape(`the ${spec.type} IPAM`, props, spec.hints);
  IPAM_SHAPES.set(spec, shape);
  return shape;
}

/** An IPAM configuration: the `ipam` object of a plugin. */
export abstract class Ipam {
  public readonly type: string;
  /** The props as given, keyed by prop name. */
  protected readonly values: Record<string, unknown>;

  /**
   * @param spec the IPAM type's description
   * @param props the props as given by the user or the parser
   * @param sink where the IPAM's problems go (nothing thrown), as parsing does
   * @default - problems are thrown as one error
   */
  protected constructor(public readonly spec: IpamSpec, props: object, sink?: ProblemSink) {
    this.type = spec.type;
    const shape = ipamShape(spec);
    const own = new ProblemSink();
    checkProps(shape, props, '', own);
    if (own.hasErrors) reportProblemsTo(sink, own.problems, `${spec.type} IPAM`);
    // only own, known keys are read, into an object without prototype
    const values: Record<string, unknown> = Object.create(null);
    if (isPlainObject(props)) for (const key of Object.keys(props)) if (shape._props.has(key)) values[key] = props[key];
    this.values = values;
    const problems = this.shapeProblems();
    if (problems.length > 0) reportProblemsTo(sink, problems, `${spec.type} IPAM`);
  }

  /** Whether this IPAM reads a capability. */
  public consumes(cap: CniCapability): boolean {
    return this.spec.consumes.includes(cap);
  }

  /** The wire form: `{type, ...fields}`. */
  public toJson(): JsonObject {
    return { type: this.type, ...fieldsToJson(this.spec.fields, this.values) };
  }

  /** What this IPAM says about addresses. */
  public abstract addressing(): IpamAddressing;

  /** Problems that need no profile: types, ranges, consistency. */
  public shapeProblems(): Problem[] {
    const sink = new ProblemSink();
    checkFields(this.spec.fields, this.values, sink, SHAPE);
    if (!sink.hasErrors) this.checkShape(sink);
    return sink.problems;
  }

  /**
   * The capability that must bring the addresses because the config holds none (static IPAM with
   * no `addresses` needs `ips`), or undefined when the config itself yields addresses.
   */
  public needsAddressesFrom(): CniCapability | undefined {
    return undefined;
  }

  /** Whether the IPAM needs a daemon on every node (dhcp); the App then adds its DaemonSet. */
  public get requiresDaemon(): boolean {
    return false;
  }

  /**
   * Problems against a target profile: binary present, fields known to the installed version.
   * @param cniVersion the `cniVersion` of the config that carries the IPAM, for version-dependent checks
   */
  public profileProblems(profile: PluginsProfile, cniVersion?: CniVersion): Problem[] {
    const sink = new ProblemSink();
    if (!profile.supports(this.spec.project, this.spec.since)) {
      sink.error('type', `is not installed on the nodes (${profile.describe(this.spec.project)})`, this.type,
        this.spec.since ? `install ${this.spec.project} ${this.spec.since} or later, or pick another IPAM` : `install ${this.spec.project}, or pick another IPAM`);
      return sink.problems;
    }
    const phase: CheckPhase = { kind: 'profile', profile, project: this.spec.project };
    checkFields(this.spec.fields, this.values, sink, phase);
    this.checkProfile(sink, profile, cniVersion);
    return sink.problems;
  }

  /** IPAM-specific checks that span fields. */
  protected checkShape(_sink: ProblemSink): void {}

  /** IPAM-specific checks against a profile (and the config's `cniVersion`, when known). */
  protected checkProfile(_sink: ProblemSink, _profile: PluginsProfile, _cniVersion?: CniVersion): void {}
}

/**
 * Reports the addresses of one family beyond the first when the `cniVersion` is older than 0.3.0,
 * whose result holds one address per family (`CNI version 0.2.0 does not support more than 1
 * address per family`).
 * @param families the family of each address one ADD yields, in order
 */
export function addressesPerFamilyProblem(sink: ProblemSink, field: string, families: readonly IpFamily[], cniVersion: CniVersion | undefined, what: string): void {
  if (cniVersion === undefined || compareCniVersions(cniVersion, CniVersion.V0_3_0) >= 0) return;
  for (const family of [IpFamily.IPV4, IpFamily.IPV6]) {
    const n = families.filter((f) => f === family).length;
    if (n > 1) {
      sink.error(field, `yields ${n} IPv${family} addresses per pod (${what}), but cniVersion ${cniVersion} allows one per family`, cniVersion,
        'declare cniVersion 0.3.1 or newer, or keep one address per family');
    }
  }
}

/**
 * How many addresses a pool IPAM can hand out, i.e. how many pods it serves: for each set, the
 * addresses of its pools from start to end without the gateway, the excluded prefixes and the
 * network and IPv4 broadcast addresses; the smallest set decides (a pod takes one address from
 * every set). Undefined for static, dhcp and unknown IPAMs. For a node-local IPAM (host-local,
 * `clusterWide: false`) the count is per node.
 */
export function poolCapacity(addressing: IpamAddressing): bigint | undefined {
  if (addressing.mode !== AddressingMode.POOL) return undefined;
  if (addressing.pools.length === 0) return 0n;
  const bySet = new Map<number, bigint>();
  for (const pool of addressing.pools) {
    const set = pool.set ?? 0;
    bySet.set(set, (bySet.get(set) ?? 0n) + poolSize(pool));
  }
  let min: bigint | undefined;
  for (const n of bySet.values()) if (min === undefined || n < min) min = n;
  return min;
}

/** Addresses one pool hands out. */
function poolSize(pool: AddressPool): bigint {
  const { subnet } = pool;
  const hostBits = subnet.address.bits - subnet.prefix;
  let lo = pool.start.value;
  let hi = pool.end.value;
  const net = subnet.network.value;
  const last = subnet.last.value;
  if (lo < net) lo = net;
  if (hi > last) hi = last;
  if (hostBits >= 2 && lo === net) lo += 1n;
  if (hostBits >= 2 && subnet.family === IpFamily.IPV4 && hi === last) hi -= 1n;
  if (hi < lo) return 0n;
  const holes: [bigint, bigint][] = [];
  if (pool.gateway && pool.gateway.family === subnet.family) holes.push([pool.gateway.value, pool.gateway.value]);
  for (const ex of pool.exclude ?? []) {
    if (ex.family === subnet.family) holes.push([ex.network.value, ex.last.value]);
  }
  let removed = 0n;
  let reach = lo - 1n;
  for (const [a, b] of holes.sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0))) {
    const from = a > reach + 1n ? a : reach + 1n;
    const to = b < hi ? b : hi;
    if (to >= from) removed += to - from + 1n;
    if (b > reach) reach = b;
  }
  return hi - lo + 1n - removed;
}

/**
 * An IPAM the library does not know: type plus raw object, emitted as given and NOT CHECKED.
 * Use it only for IPAM plugins outside the library's model.
 */
export class UncheckedIpam extends Ipam {
  /** Whether this object escapes the library's checks (always true). */
  public readonly unchecked = true;
  private readonly raw: JsonObject;

  constructor(type: string, raw?: JsonObject);
  /** @internal */
  constructor(type: string, raw: JsonObject | undefined, sink: ProblemSink | undefined);
  constructor(type: string, raw: JsonObject = {}, outer?: ProblemSink) {
    super({ type, project: PluginProject.CNI_PLUGINS, fields: {}, consumes: Object.values(CniCapability), create: () => { throw new Error('unchecked'); } }, {}, outer);
    const sink = new ProblemSink();
    if (typeof type !== 'string' || !/^[^/\\]+$/.test(type) || type.length === 0) {
      sink.error('type', 'is not a plain binary name', type, 'write the IPAM binary name without slashes');
    }
    if (!isPlainObject(raw)) sink.error('raw', 'must be a JSON object', raw, 'pass the rest of the IPAM object as { key: value }');
    reportProblemsTo(outer, sink.problems, 'unchecked IPAM');
    this.raw = isPlainObject(raw) ? { ...raw } : {};
    delete this.raw.type;
  }

  public toJson(): JsonObject {
    return { type: this.type, ...this.raw };
  }

  public addressing(): IpamAddressing {
    return { mode: AddressingMode.UNKNOWN, pools: [], staticAddresses: [], routes: [], clusterWide: false };
  }

  public profileProblems(): Problem[] {
    return [];
  }
}
