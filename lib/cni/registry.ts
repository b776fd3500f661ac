import { IpamSpec } from './ipam';
import { PluginSpec } from './plugin';

/** Plugin and IPAM types known to the parser, by `type`. Each plugin module registers itself. */
const plugins = new Map<string, PluginSpec>();
const ipams = new Map<string, IpamSpec>();

export function registerPlugin(spec: PluginSpec): void {
  plugins.set(spec.type, spec);
}

export function registerIpam(spec: IpamSpec): void {
  ipams.set(spec.type, spec);
}

export function pluginSpec(type: string): PluginSpec | undefined {
  return plugins.get(type);
}

export function ipamSpec(type: string): IpamSpec | undefined {
  return ipams.get(type);
}

/** Every registered plugin type, sorted. */
export function knownPluginTypes(): string[] {
  return [...plugins.keys()].sort();
}

/** Every registered IPAM type, sorted. */
export function knownIpamTypes(): string[] {
  return [...ipams.keys()].sort();
}
