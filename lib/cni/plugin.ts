import { ALL_CAPABILITIES, CniCapability, DNS, Dns, JsonObject } from './common';
import { CniVersion, compareCniVersions } from './cni-version';
import { CheckPhase, FieldDef, SHAPE, checkFields, fieldsToJson } from './field';
import { Ipam } from './ipam';
import { Problem, ProblemSink, Severity, reportProblems, reportProblemsTo } from './problem';
import { PluginProject, PluginsProfile } from './profile';
import { PropType, PropsShape, checkProps, isPlainObject, pAny, pArray, pInstance, pString, propsShape } from './props-check';

/** Where a plugin may stand in a plugin list. */
export enum PluginRole {
  /** Creates the pod interface; must be first in its list. */
  INTERFACE = 'interface',
  /** Acts on the result of the plugins before it; never first. */
  CHAINED = 'chained',
}

/** Whether a plugin takes an `ipam` object. */
export enum IpamUse {
  NONE = 'none',
  OPTIONAL = 'optional',
  REQUIRED = 'required',
}

/** The static description of a plugin type. */
export interface PluginSpec {
  readonly type: string;
  readonly project: PluginProject;
  readonly role: PluginRole;
  /** First release of the project that ships the binary. */
  readonly since?: string;
  /** Oldest `cniVersion` the plugin accepts. */
  readonly minCniVersion?: CniVersion;
  /** The plugin's own keys. */
  readonly fields: Record<string, FieldDef>;
  readonly ipam: IpamUse;
  /** Whether a top-level `dns` is read. */
  readonly dns: boolean;
  /** Capabilities the plugin itself reads (those of its IPAM are added). */
  readonly consumes: readonly CniCapability[];
  /**
   * Builds an instance from props (used by parsing). Parsing passes a sink: the plugin's problems
   * go there instead of being thrown, so pass it on to the constructor of {@link CniPlugin}.
   */
  readonly create: (props: any, sink?: ProblemSink) => CniPlugin;
  /**
   * Props that are checked but never written (e.g. `uplinkMtu`, which only serves to check `mtu`).
   * @default - none
   */
  readonly checkOnly?: Record<string, FieldDef>;
  /**
   * Advice for props that are not the plugin's, by prop name (e.g. `master` on sriov: the VF
   * comes from the device plugin).
   * @default - the list of the plugin's props
   */
  readonly hints?: Readonly<Record<string, string>>;
}

/** Keys every plugin object may carry. */
export interface PluginBaseProps {
  /**
   * Per-pod values this plugin accepts from Multus (`runtimeConfig`). Only capabilities the plugin
   * (or its IPAM) reads may be declared.
   * @default - none
   */
  readonly capabilities?: readonly CniCapability[];
  /**
   * Static `args` object (conventionally `{ cni: {...} }`), passed to the plugin as is.
   * @default - none
   */
  readonly args?: JsonObject;
}

/** Keys of plugins that create the pod interface. */
export interface InterfacePluginProps extends PluginBaseProps {
  /**
   * How addresses are assigned.
   * @default - no IPAM: a layer-2 interface without addresses (where the plugin allows it)
   */
  readonly ipam?: Ipam;
  /**
   * DNS settings for the result.
   * @default - none
   */
  readonly dns?: Dns;
}

/** Options of {@link CniPlugin.toJson}. */
export interface PluginRenderOptions {
  /**
   * The target the plugin object is written for (a plugin may write a version-dependent default
   * explicitly, e.g. bridge `preserveDefaultVlan`).
   * @default PluginsProfile.UPSTREAM
   */
  readonly profile?: PluginsProfile;
}

/** What a plugin sees when checked inside a list. */
export interface ChainContext {
  readonly profile: PluginsProfile;
  readonly cniVersion: CniVersion;
  /** The plugins before this one, in order. */
  readonly previous: readonly CniPlugin[];
}

/**
 * A CNI plugin configuration: one object of a plugin list (or a single-plugin config). Subclasses
 * describe their keys as a field table ({@link PluginSpec}); this class checks, writes and
 * compares them.
 */
export abstract class CniPlugin {
  public readonly type: string;
  public readonly ipam?: Ipam;
  public readonly dns?: Dns;
  public readonly args?: JsonObject;
  /** The plugin's own props as given, keyed by prop name. */
  protected readonly values: Record<string, unknown>;
  private readonly _capabilities: Set<CniCapability>;

  /**
   * @param spec the plugin type's description
   * @param props the props as given by the user or the parser
   * @param sink where the plugin's problems go (nothing thrown), as parsing does
   * @default - problems are thrown as one error
   */
  protected constructor(public readonly spec: PluginSpec, props: object, sink?: ProblemSink) {
    // first the props object itself: an object, own keys the plugin knows, base keys of their type
    const shape = pluginShape(spec);
    const own = new ProblemSink();
    checkProps(shape, props, '', own);
    if (own.hasErrors) reportProblemsTo(sink, own.problems, `${spec.type} plugin`);
    // only own keys are read, into an object without prototype (reached with errors only when a sink takes them)
    const values: Record<string, unknown> = Object.create(null);
    let ipam: Ipam | undefined;
    let capabilities: unknown;
    if (isPlainObject(props)) {
      for (const key of Object.keys(props)) {
        const v = props[key];
        if (key === 'ipam') ipam = v instanceof Ipam ? v : undefined;
        else if (key === 'dns') this.dns = v as Dns;
        else if (key === 'args') this.args = v as JsonObject;
        else if (key === 'capabilities') capabilities = v;
        else if (shape._props.has(key)) values[key] = v;
      }
    }
    this.type = spec.type;
    this.ipam = ipam;
    this._capabilities = new Set(Array.isArray(capabilities) ? capabilities as CniCapability[] : []);
    this.values = values;
    const problems = this.shapeProblems();
    if (problems.length > 0) reportProblemsTo(sink, problems, `${spec.type} plugin`);
  }

  /** The declared capabilities, in a stable order. */
  public get capabilities(): CniCapability[] {
    return ALL_CAPABILITIES.filter((c) => this._capabilities.has(c));
  }

  /** Whether a capability is declared (without building the list). */
  public declaresCapability(cap: CniCapability): boolean {
    return this._capabilities.has(cap);
  }

  /** Whether this plugin (or its IPAM) reads a capability. */
  public consumes(cap: CniCapability): boolean {
    return this.spec.consumes.includes(cap) || (this.ipam?.consumes(cap) ?? false);
  }

  /**
   * Declares a capability; reports when neither the plugin nor its IPAM reads it.
   * @param sink where the problem goes (nothing thrown)
   * @default - thrown
   */
  public addCapability(cap: CniCapability, sink?: ProblemSink): void {
    if (!this.consumes(cap)) {
      const p = capabilityProblem(this, cap);
      if (sink) sink.error(p.field, p.message, p.value, p.fix);
      else reportProblems([p]);
      return;
    }
    this._capabilities.add(cap);
  }

  /** Whether this plugin escapes the library's checks. */
  public get unchecked(): boolean {
    return false;
  }

  /** A field value as given (by prop name). */
  public get(prop: string): unknown {
    return this.values[prop];
  }

  /** The wire form of this plugin object (without `cniVersion` and `name`). */
  public toJson(_opts: PluginRenderOptions = {}): JsonObject {
    const out: JsonObject = { type: this.type, ...fieldsToJson(this.spec.fields, this.values) };
    if (this.ipam) out.ipam = this.ipam.toJson();
    if (this.dns) out.dns = DNS.toJson(this.dns);
    const caps = this.capabilities;
    if (caps.length > 0) out.capabilities = Object.fromEntries(caps.map((c) => [c, true]));
    if (this.args) out.args = this.args;
    return out;
  }

  /** Problems that need no profile and no neighbours. */
  public shapeProblems(): Problem[] {
    const sink = new ProblemSink();
    checkFields(this.spec.fields, this.values, sink, SHAPE);
    if (this.spec.checkOnly) checkFields(this.spec.checkOnly, this.values, sink, SHAPE);
    if (this.spec.ipam === IpamUse.NONE && this.ipam) {
      sink.error('ipam', `is not read by ${this.type}`, this.ipam.type, 'remove it; addresses come from the interface plugin before it');
    }
    if (this.spec.ipam === IpamUse.REQUIRED && !this.ipam && !this.ipamOptionalHere()) {
      sink.error('ipam', `is required by ${this.type}`, undefined, 'add an IPAM such as host-local, static or whereabouts');
    }
    if (this.dns !== undefined) {
      if (!this.spec.dns) sink.error('dns', `is not read by ${this.type}`, this.dns, 'remove it');
      else DNS.check(this.dns, 'dns', sink, SHAPE);
    }
    if (this.args !== undefined && (typeof this.args !== 'object' || this.args === null || Array.isArray(this.args))) {
      sink.error('args', 'must be a JSON object', this.args, 'write args as { "cni": { ... } }');
    }
    for (const cap of this._capabilities) {
      if (!(ALL_CAPABILITIES as readonly string[]).includes(cap)) {
        sink.error(`capabilities.${cap}`, 'is not a capability Multus passes', cap, `use one of ${ALL_CAPABILITIES.join(', ')}`);
      } else if (!this.consumes(cap)) {
        const p = capabilityProblem(this, cap);
        sink.error(p.field, p.message, p.value, p.fix);
      }
    }
    if (!sink.hasErrors) this.checkShape(sink);
    return sink.problems;
  }

  /** Problems against the target profile and the plugins before this one. */
  public chainProblems(ctx: ChainContext): Problem[] {
    const sink = new ProblemSink();
    const { profile } = ctx;
    if (!profile.supports(this.spec.project, this.spec.since)) {
      sink.error('type', `is not installed on the nodes (${profile.describe(this.spec.project)})`, this.type,
        this.spec.since ? `install ${this.spec.project} ${this.spec.since} or later, or target a profile that has it` : `install ${this.spec.project}, or target a profile that has it`);
      return sink.problems;
    }
    const max = profile.maxCniVersion(this.spec.project);
    if (max && compareCniVersions(ctx.cniVersion, max) > 0) {
      sink.error('cniVersion', `is newer than ${this.type} accepts (${profile.describe(this.spec.project)} supports up to ${max})`, ctx.cniVersion,
        `declare cniVersion ${max} or older`);
    }
    if (this.spec.minCniVersion && compareCniVersions(ctx.cniVersion, this.spec.minCniVersion) < 0) {
      sink.error('cniVersion', `is older than ${this.type} accepts (from ${this.spec.minCniVersion})`, ctx.cniVersion,
        `declare cniVersion ${this.spec.minCniVersion} or newer`);
    }
    const phase: CheckPhase = { kind: 'profile', profile, project: this.spec.project };
    checkFields(this.spec.fields, this.values, sink, phase);
    if (this.ipam) {
      sink.addAll(this.ipam.profileProblems(profile, ctx.cniVersion), 'ipam');
      ipamDnsProblems(this, profile, sink);
    }
    this.checkChain(sink, ctx);
    return sink.problems;
  }

  /** Plugin-specific checks that span fields. */
  protected checkShape(_sink: ProblemSink): void {}

  /** Plugin-specific checks against the profile and the plugins before. */
  protected checkChain(_sink: ProblemSink, _ctx: ChainContext): void {}

  /** Whether a REQUIRED ipam may be left out in this configuration (ipvlan chained). */
  protected ipamOptionalHere(): boolean {
    return false;
  }
}

/** The props shape of each plugin type, built on first use from its field table. */
const PLUGIN_SHAPES = new WeakMap<PluginSpec, PropsShape>();

/** The keys of every plugin object, with the checks of their types that the field checks do not make. */
const BASE_PROPS: Readonly<Record<string, PropType>> = {
  ipam: pInstance([Ipam], 'an IPAM object (e.g. new HostLocalIpam({...}))', 'build it with an IPAM class such as HostLocalIpam, StaticIpam or WhereaboutsIpam'),
  dns: pAny('a DNS object'),
  args: pAny('a JSON object'),
  capabilities: pArray(pString({ fix: 'write a CniCapability value such as CniCapability.IPS' })),
};

/**
 * The props a plugin type accepts: its fields (their types are checked by the field table), its
 * check-only props and the base keys. Any other key is refused, never dropped.
 * @internal
 */
export function pluginShape(spec: PluginSpec): PropsShape {
  let shape = PLUGIN_SHAPES.get(spec);
  if (shape) return shape;
  const props: Record<string, PropType> = {};
  for (const key of Object.keys(spec.fields)) props[key] = pAny(spec.fields[key].type.description);
  for (const key of Object.keys(spec.checkOnly ?? {})) props[key] = pAny(spec.checkOnly![key].type.description);
  Object.assign(props, BASE_PROPS);
  shape = propsShape(`the ${spec.type} plugin`, props, spec.hints);
  PLUGIN_SHAPES.set(spec, shape);
  return shape;
}

/**
 * Interface plugins that replace the IPAM's DNS with their own top-level `dns` in the result, with
 * the containernetworking/plugins release from which they keep it (undefined: never).
 */
const IPAM_DNS_DISCARDED: Record<string, string | undefined> = {
  'macvlan': undefined,
  'ipvlan': undefined,
  'vlan': undefined,
  'host-device': undefined,
  'tap': undefined,
  'bridge': '1.2.0',
};

/** DNS from the IPAM (`dns`, host-local `resolvConf`) that the plugin drops from its result. */
function ipamDnsProblems(plugin: CniPlugin, profile: PluginsProfile, sink: ProblemSink): void {
  if (!plugin.ipam || plugin.spec.project !== PluginProject.CNI_PLUGINS || !(plugin.type in IPAM_DNS_DISCARDED)) return;
  const keptFrom = IPAM_DNS_DISCARDED[plugin.type];
  if (keptFrom !== undefined && profile.supports(PluginProject.CNI_PLUGINS, keptFrom)) return;
  const json = plugin.ipam.toJson();
  const where = keptFrom ? `${plugin.type} before ${keptFrom} (${profile.describe(PluginProject.CNI_PLUGINS)})` : plugin.type;
  for (const key of ['dns', 'resolvConf']) {
    if (json[key] === undefined) continue;
    sink.error(`ipam.${key}`, `is dropped from the result by ${where}, which returns only its own top-level 'dns'`, json[key],
      key === 'dns' ? "move it to the plugin's top-level 'dns'" : "remove it and write the servers in the plugin's top-level 'dns'");
  }
}

function capabilityProblem(plugin: CniPlugin, cap: CniCapability): Problem {
  return {
    field: `capabilities.${cap}`,
    message: `is not read by ${plugin.type}${plugin.ipam ? ` with ${plugin.ipam.type} IPAM` : ''}, so Multus would drop the per-pod value`,
    value: true,
    fix: capabilityFix(cap),
    severity: Severity.ERROR,
  };
}

/** Which plugins read a capability, for messages. */
export function capabilityFix(cap: CniCapability): string {
  switch (cap) {
    case CniCapability.IPS: return 'declare it on an interface plugin whose IPAM is static or host-local';
    case CniCapability.MAC: return 'declare it on bridge, macvlan, tap, sriov or a chained tuning plugin';
    case CniCapability.PORT_MAPPINGS: return 'chain a portmap plugin and declare it there';
    case CniCapability.BANDWIDTH: return 'chain a bandwidth plugin (after bridge or ptp) and declare it there';
    case CniCapability.INFINIBAND_GUID: return 'only ib-sriov-cni reads it; use an unchecked plugin for ib-sriov';
    case CniCapability.DEVICE_ID: return 'declare it on host-device';
    case CniCapability.IP_RANGES: return 'declare it on an interface plugin whose IPAM is host-local';
  }
}

/**
 * A plugin the library does not know: type plus raw object, emitted as given and NOT CHECKED.
 * The escape hatch for plugins outside the model (e.g. ib-sriov, a vendor CNI).
 */
export class UncheckedPlugin extends CniPlugin {
  private readonly raw: JsonObject;

  /**
   * @param type the plugin binary name
   * @param raw the rest of the plugin object, written as given
   * @param role where it may stand in a list
   */
  constructor(type: string, raw?: JsonObject, role?: PluginRole);
  /** @internal */
  constructor(type: string, raw: JsonObject | undefined, role: PluginRole | undefined, sink: ProblemSink | undefined);
  constructor(type: string, raw: JsonObject = {}, public readonly role: PluginRole = PluginRole.INTERFACE, outer?: ProblemSink) {
    super({
      type, project: PluginProject.CNI_PLUGINS, role, fields: {}, ipam: IpamUse.NONE, dns: false,
      consumes: ALL_CAPABILITIES, create: () => { throw new Error('unchecked'); },
    }, {}, outer);
    const sink = new ProblemSink();
    if (typeof type !== 'string' || type.length === 0 || /[/\\]/.test(type)) {
      sink.error('type', 'is not a plain binary name', type, 'write the plugin binary name without slashes');
    }
    if (!isPlainObject(raw)) sink.error('raw', 'must be a JSON object', raw, 'pass the rest of the plugin object as { key: value }');
    if (!(Object.values(PluginRole) as unknown[]).includes(role)) sink.error('role', `must be one of ${Object.values(PluginRole).map((r) => JSON.stringify(r)).join(', ')}`, role, 'use a PluginRole value');
    reportProblemsTo(outer, sink.problems, 'unchecked plugin');
    const rest: JsonObject = isPlainObject(raw) ? { ...raw } : {};
    delete rest.type;
    this.raw = rest;
  }

  public get unchecked(): boolean {
    return true;
  }

  /** Declared through {@link CniPlugin.addCapability}, or written `true` in the raw `capabilities`. */
  public declaresCapability(cap: CniCapability): boolean {
    const own = this.raw.capabilities;
    return super.declaresCapability(cap) || (isPlainObject(own) && (own as JsonObject)[cap] === true);
  }

  /**
   * The raw object, with the capabilities declared through {@link CniPlugin.addCapability} (attach
   * declares `ips` and `mac` there) merged over its own `capabilities`, so that Multus passes them.
   */
  public toJson(): JsonObject {
    const out: JsonObject = { type: this.type, ...this.raw };
    const caps = this.capabilities;
    if (caps.length > 0) {
      const own = isPlainObject(this.raw.capabilities) ? this.raw.capabilities as JsonObject : {};
      out.capabilities = { ...own, ...Object.fromEntries(caps.map((c) => [c, true])) };
    }
    return out;
  }

  public shapeProblems(): Problem[] {
    return [];
  }

  public chainProblems(): Problem[] {
    return [];
  }

  /** The raw object given (without `type`). */
  public get rawConfig(): JsonObject {
    return { ...this.raw };
  }
}
