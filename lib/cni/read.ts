/**
 * Reading a CNI configuration (JSON text or object) into the parts of the typed model: plugins,
 * IPAM, and the list or single-plugin header, with every problem of the input. The `CniConfig`
 * itself is built from these parts by lib/cni/config.ts, which imports this file (and never the
 * other way round).
 */
import { ALL_CAPABILITIES, CniCapability, ConfigFormat, DNS, JsonObject } from './common';
import { CniVersion, isCniVersion } from './cni-version';
import { fieldsFromJson } from './field';
import { Ipam, UncheckedIpam } from './ipam';
import { CniPlugin, PluginRole, UncheckedPlugin } from './plugin';
import { ProblemSink, notBuiltProblem } from './problem';
import { PluginsProfile } from './profile';
import { ipamSpec, knownPluginTypes, pluginSpec } from './registry';
import './plugins';
import './ipam/index';

/** Options of `parseCniConfig` and `CniConfig.fromJson`. */
export interface ParseOptions {
  /**
   * The target the config is checked against.
   * @default PluginsProfile.UPSTREAM
   */
  readonly profile?: PluginsProfile;
  /**
   * Accept plugin types the library does not know, as unchecked plugins (with a warning).
   * @default true
   */
  readonly allowUnknownPlugins?: boolean;
}

/** The parts of a configuration as read from JSON, before the config is built from them. */
export interface CniConfigParts {
  readonly format: ConfigFormat;
  readonly plugins: readonly CniPlugin[];
  readonly name?: string;
  readonly cniVersion?: CniVersion;
  readonly cniVersions?: readonly CniVersion[];
  readonly disableCheck?: boolean;
  readonly disableGC?: boolean;
  readonly profile?: PluginsProfile;
}

const LIST_KEYS = ['cniVersion', 'cniVersions', 'name', 'disableCheck', 'disableGC', 'loadOnlyInlinedPlugins', 'plugins'];
/** Keys read only in plugin lists. */
const LIST_ONLY_KEYS = ['cniVersions', 'disableCheck', 'disableGC', 'loadOnlyInlinedPlugins'];
const COMMON_KEYS = ['type', 'ipam', 'dns', 'capabilities', 'args'];
const RESERVED_KEYS = ['runtimeConfig', 'prevResult'];

/**
 * Reads a configuration object (single plugin or list) into its parts; problems go to the sink.
 * Undefined when an error leaves nothing to build.
 */
export function readCniConfig(o: JsonObject, sink: ProblemSink, opts: ParseOptions = {}): CniConfigParts | undefined {
  const isList = o.plugins !== undefined || o.type === undefined;
  return isList ? parseList(o, sink, opts) : parseSingle(o, sink, opts);
}

function header(o: JsonObject, sink: ProblemSink) {
  if (o.cniVersion !== undefined && !isCniVersion(o.cniVersion)) {
    sink.error('cniVersion', 'is not a CNI specification version', o.cniVersion,
      typeof o.cniVersion === 'string' ? 'use one of 0.3.1, 0.4.0, 1.0.0, 1.1.0 (exact)' : 'write the version as a JSON string such as "1.0.0"');
  }
  if (o.cniVersion === undefined) {
    sink.warn('cniVersion', 'is missing, which the plugins read as 0.1.0', undefined, 'declare cniVersion "1.0.0"');
  }
  if (o.name !== undefined && typeof o.name !== 'string') {
    sink.error('name', 'must be a string', o.name, 'write the network name as a string');
  }
}

function parseList(o: JsonObject, sink: ProblemSink, opts: ParseOptions): CniConfigParts | undefined {
  header(o, sink);
  for (const key of Object.keys(o)) {
    if (!LIST_KEYS.includes(key)) {
      sink.error(key, 'is not a key of a plugin list', o[key], `remove it; list keys are ${LIST_KEYS.join(', ')}`);
    }
  }
  if (!Array.isArray(o.plugins)) {
    sink.error('plugins', 'must be a list of plugin objects', o.plugins, 'write "plugins": [{"type": ...}, ...]');
    return undefined;
  }
  for (const key of ['disableCheck', 'disableGC'] as const) {
    if (o[key] !== undefined && typeof o[key] !== 'boolean') {
      sink.error(key, 'must be true or false', o[key], 'write a JSON boolean');
    }
  }
  if (o.loadOnlyInlinedPlugins !== undefined) {
    sink.error('loadOnlyInlinedPlugins', 'is not supported by the library', o.loadOnlyInlinedPlugins, 'remove it (Multus inlines plugins from spec.config anyway)');
  }
  const plugins: CniPlugin[] = [];
  o.plugins.forEach((p, i) => {
    const plugin = parsePlugin(p, `plugins[${i}]`, sink, opts, true);
    if (plugin) plugins.push(plugin);
  });
  if (sink.hasErrors) return undefined;
  return {
    format: ConfigFormat.LIST,
    plugins,
    name: o.name as string | undefined,
    cniVersion: o.cniVersion as any,
    cniVersions: o.cniVersions as any,
    disableCheck: o.disableCheck as boolean | undefined,
    disableGC: o.disableGC as boolean | undefined,
    profile: opts.profile,
  };
}

function parseSingle(o: JsonObject, sink: ProblemSink, opts: ParseOptions): CniConfigParts | undefined {
  header(o, sink);
  const { cniVersion, name, ...rest } = o;
  // keys of plugin lists only: libcni reads a single-plugin config as a list without them, and
  // the plugin ignores them, so they have no effect (dropped, with a warning)
  for (const key of LIST_ONLY_KEYS) {
    if (rest[key] === undefined) continue;
    sink.warn(key, 'has no effect in a single-plugin config: libcni reads it only in plugin lists', rest[key], 'remove it, or write the config as a plugin list');
    delete rest[key];
  }
  const plugin = parsePlugin(rest, '', sink, opts, false);
  if (!plugin || sink.hasErrors) return undefined;
  return {
    format: ConfigFormat.SINGLE,
    plugins: [plugin],
    name: name as string | undefined,
    cniVersion: cniVersion as any,
    profile: opts.profile,
  };
}

/** Parses one plugin object; problems go to the sink under `field`. */
export function parsePlugin(json: unknown, field: string, sink: ProblemSink, opts: ParseOptions = {}, inList = false): CniPlugin | undefined {
  const s = field ? sink.child(field) : sink;
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    s.error('', 'must be a plugin object', json, 'write {"type": ..., ...}');
    return undefined;
  }
  const o = json as JsonObject;
  if (typeof o.type !== 'string' || o.type.length === 0) {
    s.error('type', 'is missing', o.type, 'name the plugin binary, e.g. "bridge"');
    return undefined;
  }
  for (const key of Object.keys(o)) {
    if (RESERVED_KEYS.includes(key) || key.startsWith('cni.dev/')) {
      s.error(key, 'is reserved for the runtime', o[key], 'remove it: Multus and libcni inject it');
    }
    if (inList && (key === 'cniVersion' || key === 'name')) {
      s.warn(key, 'is overwritten by the list value', o[key], 'remove it from the plugin; set it on the list');
    }
  }
  const spec = pluginSpec(o.type);
  if (!spec) {
    if (opts.allowUnknownPlugins === false) {
      s.error('type', 'is not a plugin the library knows', o.type, `use one of ${knownPluginTypes().join(', ')}`);
      return undefined;
    }
    s.warn('type', 'is not a plugin the library knows; its fields are NOT CHECKED', o.type, 'check it by hand, or use a known plugin');
    const { type, ...raw } = o;
    return build((own) => new UncheckedPlugin(type as string, stripListKeys(raw, inList), PluginRole.INTERFACE, own), s);
  }
  const props: Record<string, unknown> = fieldsFromJson(spec.fields, o, s, `${spec.type} (${spec.project})`,
    [...COMMON_KEYS, ...RESERVED_KEYS, ...(inList ? ['cniVersion', 'name'] : [])]);
  if (o.ipam !== undefined) {
    const ipam = parseIpam(o.ipam, s.child('ipam'), opts);
    if (ipam) props.ipam = ipam;
  }
  if (o.dns !== undefined) props.dns = DNS.fromJson(o.dns, 'dns', s);
  if (o.args !== undefined) props.args = o.args;
  if (o.capabilities !== undefined) {
    if (typeof o.capabilities !== 'object' || o.capabilities === null || Array.isArray(o.capabilities)) {
      s.error('capabilities', 'must be an object of booleans', o.capabilities, 'write {"ips": true, ...}');
    } else {
      const caps: CniCapability[] = [];
      for (const [k, v] of Object.entries(o.capabilities)) {
        if (!(ALL_CAPABILITIES as readonly string[]).includes(k)) {
          s.error(`capabilities.${k}`, 'is not a capability Multus passes', v, `use one of ${ALL_CAPABILITIES.join(', ')}`);
        } else if (v !== true && v !== false) {
          s.error(`capabilities.${k}`, 'must be true or false', v, 'write a JSON boolean');
        } else if (v) {
          caps.push(k as CniCapability);
        }
      }
      props.capabilities = caps;
    }
  }
  return build((own) => spec.create(props, own), s);
}

/** Parses an `ipam` object. */
export function parseIpam(json: unknown, sink: ProblemSink, _opts: ParseOptions = {}): Ipam | undefined {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    sink.error('', 'must be an IPAM object', json, 'write {"type": "host-local", ...}');
    return undefined;
  }
  const o = json as JsonObject;
  if (Object.keys(o).length === 0) return undefined; // `ipam: {}` is layer 2, as no ipam
  if (typeof o.type !== 'string') {
    sink.error('type', 'is missing', o.type, 'name the IPAM binary, e.g. "host-local"');
    return undefined;
  }
  const spec = ipamSpec(o.type);
  if (!spec) {
    sink.warn('type', 'is not an IPAM the library knows; its fields are NOT CHECKED', o.type, 'check it by hand, or use host-local, static, dhcp or whereabouts');
    const { type, ...raw } = o;
    return build((own) => new UncheckedIpam(type as string, raw, own), sink);
  }
  const props = fieldsFromJson(spec.fields, o, sink, `${spec.type} IPAM (${spec.project})`, ['type']);
  return build((own) => spec.create(props, own), sink);
}

/**
 * Builds a plugin or IPAM with a sink of its own, whose problems then go to `sink`: undefined when
 * it has errors (or threw: one bad object fails that object only).
 */
function build<T>(create: (own: ProblemSink) => T, sink: ProblemSink): T | undefined {
  const own = new ProblemSink();
  let result: T | undefined;
  try {
    result = create(own);
  } catch (e) {
    own.addAll([notBuiltProblem(e)]);
  }
  sink.addAll(own.problems);
  return own.hasErrors ? undefined : result;
}

function stripListKeys(raw: JsonObject, inList: boolean): JsonObject {
  if (!inList) return raw;
  const { cniVersion, name, ...rest } = raw;
  return rest;
}
