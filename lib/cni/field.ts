import { Cidr, IpAddress } from '../addressing/ip';
import { isMac, isMulticastMac } from '../addressing/mac';
import { ProblemSink, joinField } from './problem';
import { PluginProject, PluginsProfile } from './profile';

/**
 * Declarative field types. A plugin or IPAM describes its keys once, as a table of fields; the
 * same table drives construction-time checks, version gating, serialization and parsing.
 */

/** The two moments a field is checked. */
export type CheckPhase =
  /** At construction: types, ranges, enums; nothing that depends on the nodes. */
  | { readonly kind: 'shape' }
  /** When the config meets its target profile: fields the installed version does not know. */
  | { readonly kind: 'profile'; readonly profile: PluginsProfile; readonly project: PluginProject };

export const SHAPE: CheckPhase = { kind: 'shape' };

/** A field type: how a value is checked, written out and read back. */
export interface FieldType {
  /** A noun phrase for messages, e.g. `an integer from 68 to 65535`. */
  readonly description: string;
  /** Reports problems of a value at `field`. */
  check(value: unknown, field: string, sink: ProblemSink, phase: CheckPhase): void;
  /** The wire form of a (checked) value. */
  toJson(value: unknown): unknown;
  /** The model form of a wire value; reports unknown keys and the like. */
  fromJson(json: unknown, field: string, sink: ProblemSink): unknown;
}

/** One key of a plugin or IPAM configuration. */
export interface FieldDef {
  /** The key on the wire. */
  readonly key: string;
  readonly type: FieldType;
  /** The first release of the plugin's project that reads this key. */
  readonly since?: string;
  /** When set, the field must be present; the text says how to fill it. */
  readonly required?: string;
}

/** Shorthand for a field definition. */
export function field(key: string, type: FieldType, opts: { since?: string; required?: string } = {}): FieldDef {
  return { key, type, ...opts };
}

const identity = (v: unknown) => v;

function simple(description: string, test: (v: unknown) => boolean, fix: string, extra?: (v: any, field: string, sink: ProblemSink) => void): FieldType {
  return {
    description,
    check(value, f, sink, phase) {
      if (phase.kind !== 'shape') return;
      if (!test(value)) {
        sink.error(f, `must be ${description}`, value, fix);
        return;
      }
      extra?.(value, f, sink);
    },
    toJson: identity,
    fromJson: identity,
  };
}

/** A non-empty string, optionally matching a pattern. */
export function str(opts: { pattern?: RegExp; patternText?: string; allowEmpty?: boolean } = {}): FieldType {
  const what = opts.patternText ? `a string matching ${opts.patternText}` : 'a non-empty string';
  return simple(
    what,
    (v) => typeof v === 'string' && (opts.allowEmpty || v.length > 0) && (!opts.pattern || opts.pattern.test(v)),
    opts.patternText ? `write ${what}` : 'write a non-empty string',
  );
}

/** A boolean. */
export function bool(): FieldType {
  return simple('true or false', (v) => typeof v === 'boolean', 'write a JSON boolean, not a string');
}

/** An integer in [min, max]. */
export function int(opts: { min?: number; max?: number; unit?: string; fix?: string } = {}): FieldType {
  const { min, max } = opts;
  const unit = opts.unit ? ` ${opts.unit}` : '';
  const range = min !== undefined && max !== undefined ? ` from ${min} to ${max}${unit}`
    : min !== undefined ? ` of at least ${min}${unit}` : max !== undefined ? ` of at most ${max}${unit}` : '';
  const description = `an integer${range}`;
  return simple(
    description,
    (v) => typeof v === 'number' && Number.isInteger(v) && (min === undefined || v >= min) && (max === undefined || v <= max),
    opts.fix ?? `write ${description} as a JSON number`,
  );
}

/** One of the values of a string enum. */
export function oneOf(values: Record<string, string> | readonly string[], name?: string): FieldType {
  const allowed = Array.isArray(values) ? [...values] : Object.values(values);
  const list = allowed.map((v) => JSON.stringify(v)).join(', ');
  return simple(
    `one of ${list}`,
    (v) => typeof v === 'string' && allowed.includes(v),
    `use ${name ? `a ${name} value: ` : ''}one of ${list} (exact case)`,
  );
}

/** A host or pod interface name: at most 15 characters, no '/', ':' or whitespace, not '.' or '..'. */
export function ifname(): FieldType {
  return simple('an interface name', (v) => typeof v === 'string' && v.length > 0, 'write an interface name such as eth1', (v: string, f, sink) => {
    const problem = interfaceNameProblem(v);
    if (problem) sink.error(f, problem.message, v, problem.fix);
  });
}

/** Why a name cannot be a Linux interface name, or undefined when it can. */
export function interfaceNameProblem(name: string): { message: string; fix: string } | undefined {
  if (name.length === 0) return { message: 'is empty', fix: 'write an interface name such as net1' };
  if (name.length > 15) return { message: `is longer than 15 characters (${name.length})`, fix: 'shorten it: Linux interface names hold at most 15 characters' };
  if (name === '.' || name === '..') return { message: 'is not a valid interface name', fix: 'use a name other than "." or ".."' };
  if (/[/:\s]/.test(name)) return { message: "contains '/', ':' or whitespace", fix: 'remove them: Linux interface names cannot contain these characters' };
  return undefined;
}

/** A unicast MAC address in colon notation. */
export function mac(): FieldType {
  return simple('a MAC address such as 02:00:00:00:00:01', isMac, 'write six colon-separated hex pairs', (v: string, f, sink) => {
    if (isMulticastMac(v)) sink.error(f, 'is a multicast MAC address', v, 'clear bit 0 of the first octet: an interface needs a unicast MAC (e.g. 02:...)');
  });
}

/** An IPv4 or IPv6 address. */
export function ip(): FieldType {
  return simple('an IP address', (v) => typeof v === 'string' && IpAddress.tryParse(v) !== undefined, 'write an address such as 10.1.0.1 or 2001:db8::1');
}

/** A prefix in CIDR notation; with `network`, host bits must be clear. */
export function cidr(opts: { network?: boolean } = {}): FieldType {
  return simple('a prefix in CIDR notation', (v) => typeof v === 'string' && Cidr.tryParse(v) !== undefined, 'write address/length such as 10.1.0.0/24', (v: string, f, sink) => {
    const c = Cidr.parse(v);
    if (opts.network && c.hasHostBits) {
      sink.error(f, 'has host bits set', v, `use the network address ${c.canonical.toString()}`);
    }
  });
}

/** An array of items of one type. */
export function arrayOf(item: FieldType, opts: { minItems?: number; maxItems?: number } = {}): FieldType {
  const min = opts.minItems ?? 0;
  return {
    description: `a list of ${item.description}`,
    check(value, f, sink, phase) {
      if (!Array.isArray(value)) {
        if (phase.kind === 'shape') sink.error(f, `must be a list of ${item.description}`, value, 'write a JSON array');
        return;
      }
      if (phase.kind === 'shape' && value.length < min) {
        sink.error(f, `needs at least ${min} item${min === 1 ? '' : 's'}`, value, `add ${min === 1 ? 'an item' : 'items'} or leave the field out`);
      }
      if (phase.kind === 'shape' && opts.maxItems !== undefined && value.length > opts.maxItems) {
        sink.error(f, `has more than ${opts.maxItems} items`, value, `keep at most ${opts.maxItems}`);
      }
      value.forEach((v, i) => item.check(v, `${f}[${i}]`, sink, phase));
    },
    toJson: (v) => (v as unknown[]).map((x) => item.toJson(x)),
    fromJson: (j, f, sink) => (Array.isArray(j) ? j.map((x, i) => item.fromJson(x, `${f}[${i}]`, sink)) : j),
  };
}

/** A map from string keys to values of one type. */
export function mapOf(item: FieldType): FieldType {
  return {
    description: `an object of ${item.description}`,
    check(value, f, sink, phase) {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        if (phase.kind === 'shape') sink.error(f, `must be an object of ${item.description}`, value, 'write a JSON object');
        return;
      }
      for (const [k, v] of Object.entries(value)) item.check(v, `${f}.${k}`, sink, phase);
    },
    toJson: (v) => Object.fromEntries(Object.entries(v as object).map(([k, x]) => [k, item.toJson(x)])),
    fromJson: (j, f, sink) => (typeof j === 'object' && j !== null && !Array.isArray(j)
      ? Object.fromEntries(Object.entries(j).map(([k, x]) => [k, item.fromJson(x, `${f}.${k}`, sink)])) : j),
  };
}

/** Any JSON value (for pass-through objects such as `args`). */
export function anyJson(): FieldType {
  return { description: 'any JSON value', check: () => undefined, toJson: identity, fromJson: identity };
}

/** A JSON object with free content. */
export function freeObject(): FieldType {
  return simple('a JSON object', (v) => typeof v === 'object' && v !== null && !Array.isArray(v), 'write a JSON object');
}

/**
 * A nested object whose properties map to wire keys; the props are camelCase, the keys whatever
 * the plugin reads. `check` adds the checks that span several properties.
 */
export function objectOf(
  fields: Record<string, FieldDef>,
  opts: { description?: string; check?: (value: any, sink: ProblemSink) => void } = {},
): FieldType {
  const description = opts.description ?? 'an object';
  const known = Object.keys(fields).map((k) => `'${k}'`).join(', ') || 'none';
  return {
    description,
    check(value, f, sink, phase) {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        if (phase.kind === 'shape') sink.error(f, `must be ${description}`, value, 'write a JSON object');
        return;
      }
      if (phase.kind === 'shape') {
        // a key the object does not have would be dropped without a word when written
        for (const key of Object.keys(value)) {
          if (!Object.hasOwn(fields, key)) {
            sink.error(joinField(f, key), `is not a field of ${description}`, (value as Record<string, unknown>)[key], `remove it; the fields are ${known}`);
          }
        }
      }
      checkFields(fields, value as Record<string, unknown>, sink.child(f), phase);
      if (phase.kind === 'shape') opts.check?.(value, sink.child(f));
    },
    toJson: (v) => fieldsToJson(fields, v as Record<string, unknown>),
    fromJson: (j, f, sink) => (typeof j === 'object' && j !== null && !Array.isArray(j)
      ? fieldsFromJson(fields, j as Record<string, unknown>, sink.child(f), description) : j),
  };
}

/** Runs the checks of a field table over a props object. */
export function checkFields(fields: Record<string, FieldDef>, props: Record<string, unknown>, sink: ProblemSink, phase: CheckPhase): void {
  for (const [prop, def] of Object.entries(fields)) {
    const value = props[prop];
    if (value === undefined) {
      if (def.required && phase.kind === 'shape') sink.error(def.key, 'is required', value, def.required);
      continue;
    }
    if (phase.kind === 'profile' && def.since && !phase.profile.supports(phase.project, def.since)) {
      const installed = phase.profile.versionOf(phase.project);
      sink.error(def.key, `is not read by ${phase.project} ${installed ?? '(not installed)'}, which would silently ignore it`, value,
        `remove it, or target ${phase.project} ${def.since} or later in the plugins profile`);
      continue;
    }
    def.type.check(value, def.key, sink, phase);
  }
}

/** Writes the props of a field table as wire keys, in table order, leaving out undefined values. */
export function fieldsToJson(fields: Record<string, FieldDef>, props: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [prop, def] of Object.entries(fields)) {
    const value = props[prop];
    if (value !== undefined) out[def.key] = def.type.toJson(value);
  }
  return out;
}

/**
 * Reads wire keys into props. Unknown keys are reported: the real plugins ignore them silently,
 * so a misspelt key is a feature lost without a word.
 */
export function fieldsFromJson(
  fields: Record<string, FieldDef>,
  json: Record<string, unknown>,
  sink: ProblemSink,
  owner: string,
  skip: readonly string[] = [],
): Record<string, unknown> {
  const byKey = new Map<string, [string, FieldDef]>();
  for (const [prop, def] of Object.entries(fields)) byKey.set(def.key, [prop, def]);
  const props: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(json)) {
    if (skip.includes(key)) continue;
    const hit = byKey.get(key);
    if (hit) {
      props[hit[0]] = hit[1].type.fromJson(value, key, sink);
      continue;
    }
    const near = [...byKey.keys()].find((k) => k.toLowerCase() === key.toLowerCase());
    sink.error(key, `is not a field of ${owner}`, value, near
      ? `write it as '${near}' (the plugins match keys case-insensitively, but the library only accepts the canonical spelling)`
      : `remove it; the known fields are ${[...byKey.keys()].map((k) => `'${k}'`).join(', ') || 'none'}`);
  }
  return props;
}

export { joinField };
