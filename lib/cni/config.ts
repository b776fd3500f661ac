import { CniCapability, ConfigFormat, JsonObject, NETWORK_NAME_RE } from './common';
import { CniVersion, DEFAULT_CNI_VERSION, cniVersionsProblems, compareCniVersions, isCniVersion } from './cni-version';
import { CniPlugin, PluginRole, capabilityFix } from './plugin';
import { Problem, ProblemSink, Severity, notBuiltProblem, reportProblems, reportProblemsTo } from './problem';
import { PluginProject, PluginsProfile } from './profile';
import { PropType, PropsShape, assertArg, assertProps, assertPropsTo, checkProps, omitShape, pAny, pArray, pBool, pEnum, pInstance, propsShape } from './props-check';
import { ParseOptions, readCniConfig } from './read';

export { ConfigFormat };

/** Properties of a {@link CniConfig}. */
export interface CniConfigProps {
  /** The plugins, in chain order: an interface plugin first, then chained plugins. */
  readonly plugins: readonly CniPlugin[];
  /**
   * The network name (the host-local allocation scope, among others).
   * @default - the name of the NetworkAttachmentDefinition that carries the config
   */
  readonly name?: string;
  /**
   * The declared CNI specification version.
   * @default CniVersion.V1_0_0 (accepted by every plugin the library knows)
   */
  readonly cniVersion?: CniVersion;
  /**
   * Versions the runtime may choose from (the highest it supports wins); spec 1.1.0, read by
   * Multus 4.1 and later.
   * @default - none
   */
  readonly cniVersions?: readonly CniVersion[];
  /**
   * What the nodes run: decides which plugins, fields and versions are allowed.
   * @default PluginsProfile.UPSTREAM
   */
  readonly profile?: PluginsProfile;
  /**
   * The shape written out.
   * @default ConfigFormat.LIST
   */
  readonly format?: ConfigFormat;
  /**
   * Skip the CNI CHECK verb. CHECK exists from cniVersion 0.4.0 on: before that, libcni refuses
   * CHECK whatever the list says, so the key has no effect there (written only when given, with
   * a warning).
   * @default - true where CHECK exists and is known to fail on the target (layer-2 bridge,
   * whereabouts IPAM, routes without gateway or IFNAME sysctls on plugins before 1.3.0), else not written
   */
  readonly disableCheck?: boolean;
  /**
   * Skip the CNI GC verb.
   * @default - not written
   */
  readonly disableGC?: boolean;
}

const PLUGIN: PropType = pInstance([CniPlugin], 'a CNI plugin object', 'build it with a plugin class such as new MacvlanPlugin({...}), or parse JSON with CniConfig.fromJson');
const PLUGINS: PropType = pArray(PLUGIN);

/** The shape of {@link CniConfigProps}. */
const CONFIG_SHAPE: PropsShape = propsShape('CniConfigProps', {
  plugins: { type: PLUGINS, required: 'list the plugins, an interface plugin first' },
  // the name and the versions are checked by the config's own check (problems()), with the same words for parsed configs
  name: pAny('a CNI network name'),
  cniVersion: pAny('a CniVersion'),
  cniVersions: pArray(pAny('a CniVersion')),
  profile: pInstance([PluginsProfile], 'a PluginsProfile', 'use a PluginsProfile such as PluginsProfile.UPSTREAM'),
  format: pEnum(ConfigFormat, 'ConfigFormat'),
  disableCheck: pBool(),
  disableGC: pBool(),
});
const LIST_SHAPE = omitShape(CONFIG_SHAPE, 'CniConfig.list options', ['plugins', 'format'], { plugins: 'pass the plugins as the first argument of CniConfig.list(plugins, options)' });
const SINGLE_SHAPE = omitShape(CONFIG_SHAPE, 'CniConfig.single options', ['plugins', 'format', 'cniVersions', 'disableCheck', 'disableGC'],
  { plugins: 'pass the plugin as the first argument of CniConfig.single(plugin, options)' });

/** Options of {@link CniConfig.toJson}. */
export interface CniConfigRenderOptions {
  /** The name to write when the config has none of its own. */
  readonly name?: string;
}

/**
 * A CNI network configuration: what a NetworkAttachmentDefinition carries in `spec.config`.
 * Built from typed plugins and checked against the target {@link PluginsProfile} when built.
 */
export class CniConfig {
  /**
   * Parses an existing configuration (single plugin or list, text or object) into the typed model
   * and checks it; throws one error listing every problem. Same as `parseCniConfig`.
   */
  public static fromJson(json: string | JsonObject, opts: ParseOptions = {}): CniConfig {
    const { config, problems } = lintConfigJson(json, opts);
    reportProblems(problems, 'CNI config');
    if (!config) throw new Error('CNI config: could not be parsed');
    return config;
  }

  /** A plugin list. */
  public static list(plugins: readonly CniPlugin[], props: Omit<CniConfigProps, 'plugins' | 'format'> = {}): CniConfig {
    assertArg(PLUGINS, plugins, 'plugins', 'CniConfig.list', 'list the plugins, an interface plugin first');
    assertProps(LIST_SHAPE, props, 'CniConfig.list');
    return new CniConfig({ ...props, plugins, format: ConfigFormat.LIST });
  }

  /** A single-plugin config. */
  public static single(plugin: CniPlugin, props: Omit<CniConfigProps, 'plugins' | 'format' | 'cniVersions' | 'disableCheck' | 'disableGC'> = {}): CniConfig {
    assertArg(PLUGIN, plugin, 'plugin', 'CniConfig.single', 'give the plugin');
    assertProps(SINGLE_SHAPE, props, 'CniConfig.single');
    return new CniConfig({ ...props, plugins: [plugin], format: ConfigFormat.SINGLE });
  }

  public readonly name?: string;
  public readonly cniVersion: CniVersion;
  public readonly cniVersions?: readonly CniVersion[];
  public readonly profile: PluginsProfile;
  public readonly format: ConfigFormat;
  public readonly disableGC?: boolean;
  private readonly _disableCheck?: boolean;
  /** Set for a parsed config that declares no `cniVersion`: none is written back. */
  private _cniVersionAbsent?: boolean;
  private readonly _plugins: CniPlugin[];

  constructor(props: CniConfigProps);
  /** @internal */
  constructor(props: CniConfigProps, sink: ProblemSink | undefined);
  constructor(props: CniConfigProps, sink?: ProblemSink) {
    const shaped = assertPropsTo(sink, CONFIG_SHAPE, props, 'CNI config');
    this.name = props.name;
    this.cniVersion = props.cniVersion ?? DEFAULT_CNI_VERSION;
    this.cniVersions = props.cniVersions;
    this.profile = props.profile ?? PluginsProfile.UPSTREAM;
    this.format = props.format ?? ConfigFormat.LIST;
    this._disableCheck = props.disableCheck;
    this.disableGC = props.disableGC;
    this._plugins = [...(props.plugins ?? [])];
    if (shaped) reportProblemsTo(sink, this.problems(), 'CNI config');
  }

  /**
   * Builds a parsed config from its parts; problems go to the sink. A config that declares no
   * `cniVersion` keeps none when written back (libcni and the plugins read it as 0.1.0; lint warns).
   * @internal
   */
  public static fromParts(parts: CniConfigProps, sink: ProblemSink): CniConfig {
    const config = new CniConfig(parts, sink);
    if (parts.cniVersion === undefined) config._cniVersionAbsent = true;
    return config;
  }

  /**
   * Whether `cniVersion` is written: false only for a parsed config that declares none, which
   * libcni and the plugins read as 0.1.0 ({@link cniVersion} is then the library's default, which
   * the checks use).
   */
  public get declaresCniVersion(): boolean {
    return !this._cniVersionAbsent;
  }

  /** The plugins, in chain order (a copy). */
  public get plugins(): CniPlugin[] {
    return [...this._plugins];
  }

  /** The interface plugin: the first of the list. */
  public get main(): CniPlugin {
    return this._plugins[0];
  }

  /** The effective `disableCheck`: the given value, or the library's default for this config. */
  public get disableCheck(): boolean | undefined {
    return this._disableCheck ?? (this.checkExists() && this.checkIsKnownToFail() ? true : undefined);
  }

  /** Appends a plugin to the chain (e.g. a tuning or portmap step); checked at once. */
  public addPlugin(plugin: CniPlugin): void {
    assertArg(PLUGIN, plugin, 'plugin', 'CNI config addPlugin', 'give the plugin to append');
    if (this.format === ConfigFormat.SINGLE) {
      reportProblems([{ field: 'plugins', message: 'cannot grow: the config is a single-plugin config', value: plugin.type, fix: 'build the config with CniConfig.list(...) to chain plugins', severity: Severity.ERROR }]);
      return;
    }
    this._plugins.push(plugin);
    reportProblems(this.problems(), 'CNI config');
  }

  /** The plugin that reads a capability, or undefined. Interface plugins are preferred. */
  public consumerOf(cap: CniCapability): CniPlugin | undefined {
    return this._plugins.find((p) => p.consumes(cap));
  }

  /** Whether some plugin declares a capability. */
  public declares(cap: CniCapability): boolean {
    return this._plugins.some((p) => p.declaresCapability(cap));
  }

  /**
   * Makes sure the chain declares a capability: declares it on the first plugin that reads it, or
   * reports when no plugin of the chain does (Multus would drop the per-pod value silently).
   * @param context the field named in the problem
   * @param sink where the problem goes (nothing thrown)
   * @default - thrown
   */
  public ensureCapability(cap: CniCapability, context: string = 'capabilities', sink?: ProblemSink): void {
    if (this.declares(cap)) return;
    const consumer = this.consumerOf(cap);
    if (!consumer) {
      const message = `cannot be honoured: no plugin of the chain (${this._plugins.map((p) => p.type).join(', ')}) reads '${cap}'`;
      if (sink) sink.error(context, message, cap, capabilityFix(cap));
      else reportProblems([{ field: context, message, value: cap, fix: capabilityFix(cap), severity: Severity.ERROR }]);
      return;
    }
    consumer.addCapability(cap, sink);
  }

  /** The wire form. */
  public toJson(opts: CniConfigRenderOptions = {}): JsonObject {
    const name = this.name ?? opts.name;
    if (name === undefined) {
      reportProblems([{ field: 'name', message: 'is required to write the config', value: undefined, fix: 'give the config a name, or attach it to a NetworkAttachmentDefinition, whose name it takes', severity: Severity.ERROR }]);
    } else if (!NETWORK_NAME_RE.test(name)) {
      reportProblems([nameProblem(name)]);
    }
    if (this.format === ConfigFormat.SINGLE) {
      const head: JsonObject = this._cniVersionAbsent ? { name } : { cniVersion: this.cniVersion, name };
      return { ...head, ...this._plugins[0].toJson({ profile: this.profile }) };
    }
    const out: JsonObject = {};
    if (!this._cniVersionAbsent) out.cniVersion = this.cniVersion;
    if (this.cniVersions) out.cniVersions = [...this.cniVersions];
    out.name = name;
    if (this.disableCheck !== undefined) out.disableCheck = this.disableCheck;
    if (this.disableGC !== undefined) out.disableGC = this.disableGC;
    out.plugins = this._plugins.map((p) => p.toJson({ profile: this.profile }));
    return out;
  }

  /** The JSON text, as written into `spec.config`. */
  public toString(opts: CniConfigRenderOptions = {}): string {
    return JSON.stringify(this.toJson(opts));
  }

  /**
   * Problems of the config as a whole: chain order, versions, the profile. (Each plugin's own
   * field problems are reported when the plugin is built.)
   */
  /** The projects of the plugins and IPAMs the library knows (unchecked ones left out), each once. */
  private projects(): PluginProject[] {
    const out = new Set<PluginProject>();
    for (const p of this._plugins) {
      if (!p.unchecked) out.add(p.spec.project);
      if (p.ipam && !(p.ipam as { unchecked?: boolean }).unchecked) out.add(p.ipam.spec.project);
    }
    return [...out];
  }

  public problems(): Problem[] {
    const sink = new ProblemSink();
    const list = this.format === ConfigFormat.LIST;
    if (this.name !== undefined && (typeof this.name !== 'string' || !NETWORK_NAME_RE.test(this.name))) {
      const p = nameProblem(this.name);
      sink.error(p.field, p.message, p.value, p.fix);
    }
    if (!isCniVersion(this.cniVersion)) {
      sink.error('cniVersion', 'is not a CNI specification version', this.cniVersion, 'use one of 0.3.1, 0.4.0, 1.0.0, 1.1.0 (a JSON string, exact)');
      return sink.problems;
    }
    if (this._plugins.length === 0) {
      sink.error('plugins', 'is empty', [], 'add an interface plugin such as bridge or macvlan');
      return sink.problems;
    }
    if (!list && this._plugins.length !== 1) {
      sink.error('plugins', 'holds more than one plugin in a single-plugin config', this._plugins.map((p) => p.type), 'use ConfigFormat.LIST to chain plugins');
    }
    if (list && compareCniVersions(this.cniVersion, CniVersion.V0_3_0) < 0) {
      sink.error('cniVersion', 'is too old for a plugin list (chaining needs 0.3.0)', this.cniVersion, 'declare cniVersion 0.3.1 or newer');
    }
    if (list && this._disableCheck !== undefined && compareCniVersions(this.cniVersion, CniVersion.V0_4_0) < 0) {
      sink.warn('disableCheck', `has no effect with cniVersion ${this.cniVersion}: CHECK exists from 0.4.0 on, and libcni refuses it before whatever the list says`,
        this._disableCheck, 'remove it, or declare cniVersion 0.4.0 or newer');
    }
    if (this.cniVersions) {
      this.cniVersions.forEach((v, i) => {
        if (!isCniVersion(v)) sink.error(`cniVersions[${i}]`, 'is not a CNI specification version', v, 'use versions such as 1.0.0 and 1.1.0');
      });
      if (!list) sink.error('cniVersions', 'is only read in plugin lists', this.cniVersions, 'use ConfigFormat.LIST or remove it');
      else if (this.cniVersions.every(isCniVersion)) {
        // CNI 1.1: libcni runs the list at the highest offered version it supports, without asking
        // the plugins; every project of the list (plugins and IPAMs the library knows) must take it
        const pluginMax = this.profile.maxCniVersionOf(this.projects());
        if (pluginMax !== undefined) sink.addAll(cniVersionsProblems(this.cniVersion, this.cniVersions, pluginMax));
      }
    }
    this._plugins.forEach((plugin, i) => {
      const prefix = list ? `plugins[${i}]` : '';
      const role = plugin.unchecked ? (plugin as unknown as { role: PluginRole }).role : plugin.spec.role;
      if (i === 0 && role === PluginRole.CHAINED) {
        sink.error(prefix ? `${prefix}.type` : 'type', 'must not be first: it acts on the result of an interface plugin', plugin.type,
          'put an interface plugin (bridge, macvlan, ipvlan, host-device, sriov, ...) before it');
      }
      if (i > 0 && role === PluginRole.INTERFACE && !plugin.unchecked && !mayFollowInterface(plugin)) {
        sink.error(`${prefix}.type`, 'creates an interface and must be first in its list', plugin.type,
          'give it a NetworkAttachmentDefinition of its own; only chained plugins (tuning, portmap, ...) follow the first');
      }
      const chain = plugin.chainProblems({ profile: this.profile, cniVersion: this.cniVersion, previous: this._plugins.slice(0, i) });
      for (const p of chain) {
        const f = p.field === 'cniVersion' ? 'cniVersion' : (prefix ? `${prefix}.${p.field}` : p.field);
        if (p.severity === 'error') sink.error(f, p.message, p.value, p.fix);
        else sink.warn(f, p.message, p.value, p.fix);
      }
    });
    return dedupe(sink.problems);
  }

  /** Whether libcni runs CHECK on this config at all (a list of cniVersion 0.4.0 or later; not without cniVersion, read as 0.1.0). */
  private checkExists(): boolean {
    return !this._cniVersionAbsent && this.format === ConfigFormat.LIST && isCniVersion(this.cniVersion) && compareCniVersions(this.cniVersion, CniVersion.V0_4_0) >= 0;
  }

  /** Whether CNI CHECK would fail for reasons known in advance (where it exists). */
  private checkIsKnownToFail(): boolean {
    const first = this._plugins[0];
    if (first && first.type === 'bridge' && !first.ipam) return true;
    if (this._plugins.some((p) => p.ipam?.type === 'whereabouts')) return true;
    // tuning is always a containernetworking/plugins binary, whatever the interface plugin is
    if (!this.profile.supports(PluginProject.CNI_PLUGINS, '1.3.0')
      && /IFNAME/.test(JSON.stringify(this._plugins.filter((p) => p.type === 'tuning').map((p) => p.toJson())))) return true;
    if (!this.profile.supports(this._plugins[0]?.spec.project, '1.3.0')) {
      if (this._plugins.some((p) => routesWithoutGateway(p))) return true;
    }
    return false;
  }
}

/** Whether an interface plugin may stand after the first (ipvlan chained on a single-interface result). */
function mayFollowInterface(plugin: CniPlugin): boolean {
  return plugin.type === 'ipvlan';
}

function routesWithoutGateway(plugin: CniPlugin): boolean {
  const routes = (plugin.ipam?.toJson().routes ?? []) as { gw?: string }[];
  return Array.isArray(routes) && routes.some((r) => r && r.gw === undefined);
}

function nameProblem(name: unknown): Problem {
  return {
    field: 'name',
    message: 'is not a valid CNI network name',
    value: name,
    fix: 'start with a letter or digit and use only letters, digits, "_", "." and "-"',
    severity: Severity.ERROR,
  };
}

function dedupe(problems: Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const k = `${p.field}|${p.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/**
 * Parses and checks a configuration, collecting every problem instead of throwing (what
 * `lintCniConfig` returns).
 * @internal
 */
export function lintConfigJson(json: string | JsonObject, opts: ParseOptions = {}): { config?: CniConfig; problems: Problem[] } {
  const sink = new ProblemSink();
  let obj: unknown = json;
  if (typeof json === 'string') {
    try {
      obj = JSON.parse(json);
    } catch (e) {
      sink.error('config', 'is not valid JSON', json.length > 80 ? `${json.slice(0, 77)}...` : json, `fix the JSON syntax (${(e as Error).message})`);
      return { problems: sink.problems };
    }
  }
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) {
    sink.error('config', 'must be a JSON object', obj, 'write a plugin object with "type" or a list with "plugins"');
    return { problems: sink.problems };
  }
  const parts = readCniConfig(obj as JsonObject, sink, opts);
  if (!parts || sink.hasErrors) return { problems: sink.problems };
  // the parts the reader could not check (e.g. cniVersions) against the props shape, as the constructor does
  const shape = new ProblemSink();
  checkProps(CONFIG_SHAPE, parts, '', shape);
  sink.addAll(shape.problems);
  if (shape.hasErrors) return { problems: sink.problems };
  try {
    // built even when the whole-config check finds errors: lint reports them with the config
    const config = CniConfig.fromParts(parts, sink);
    return { config, problems: sink.problems };
  } catch (e) {
    sink.addAll([notBuiltProblem(e)]);
    return { problems: sink.problems };
  }
}
