import { Cidr, IpAddress } from '../addressing/ip';
import { Capability, JsonObject, Route } from './common';
import { CheckPhase, FieldDef, SHAPE, checkFields, fieldsToJson } from './field';
import { Problem, ProblemSink, Severity, reportProblems } from './problem';
import { PluginProject, PluginsProfile } from './profile';

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
  readonly consumes: readonly Capability[];
  /** Builds an instance from props (used by parsing). */
  readonly create: (props: any) => Ipam;
}

/** An IPAM configuration: the `ipam` object of a plugin. */
export abstract class Ipam {
  public readonly type: string;
  /** The props as given, keyed by prop name. */
  protected readonly values: Record<string, unknown>;

  protected constructor(public readonly spec: IpamSpec, props: object) {
    this.type = spec.type;
    this.values = { ...(props as Record<string, unknown>) };
    reportProblems(this.shapeProblems(), `${spec.type} IPAM`);
  }

  /** Whether this IPAM reads a capability. */
  public consumes(cap: Capability): boolean {
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

  /** Problems against a target profile: binary present, fields known to the installed version. */
  public profileProblems(profile: PluginsProfile): Problem[] {
    const sink = new ProblemSink();
    if (!profile.supports(this.spec.project, this.spec.since)) {
      sink.error('type', `is not installed on the nodes (${profile.describe(this.spec.project)})`, this.type,
        this.spec.since ? `install ${this.spec.project} ${this.spec.since} or later, or pick another IPAM` : `install ${this.spec.project}, or pick another IPAM`);
      return sink.problems;
    }
    const phase: CheckPhase = { kind: 'profile', profile, project: this.spec.project };
    checkFields(this.spec.fields, this.values, sink, phase);
    this.checkProfile(sink, profile);
    return sink.problems;
  }

  /** IPAM-specific checks that span fields. */
  protected checkShape(_sink: ProblemSink): void {}

  /** IPAM-specific checks against a profile. */
  protected checkProfile(_sink: ProblemSink, _profile: PluginsProfile): void {}
}

/**
 * An IPAM the library does not know: type plus raw object, emitted as given and NOT CHECKED.
 * Use it only for IPAM plugins outside the library's model.
 */
export class UncheckedIpam extends Ipam {
  /** Whether this object escapes the library's checks (always true). */
  public readonly unchecked = true;
  private readonly raw: JsonObject;

  constructor(type: string, raw: JsonObject = {}) {
    super({ type, project: PluginProject.CNI_PLUGINS, fields: {}, consumes: Object.values(Capability), create: () => { throw new Error('unchecked'); } }, {});
    this.raw = { ...raw };
    delete this.raw.type;
    if (typeof type !== 'string' || !/^[^/\\]+$/.test(type) || type.length === 0) {
      reportProblems([{ field: 'type', message: 'is not a plain binary name', value: type, fix: 'write the IPAM binary name without slashes', severity: Severity.ERROR }]);
    }
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
