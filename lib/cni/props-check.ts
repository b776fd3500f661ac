import { FieldType, SHAPE } from './field';
import { ProblemSink, joinField, reportProblems } from './problem';

/**
 * Runtime checks of props objects, for callers without a type checker (plain JavaScript, JSON
 * read from a file, `as any`). Each public props interface declares its shape once, next to it,
 * as a precomputed {@link PropsShape}; every constructor, static factory, `addX()` and `attach()`
 * checks its props against it first. The check is one loop over the object's own keys:
 *
 * - only own keys are read (`for...in` with `Object.hasOwn`): a key on the prototype never counts
 *   as given, and a declared key found on the prototype (a polluted `Object.prototype`) is refused;
 * - unknown keys are refused, naming the known ones (never silently dropped);
 * - types, finite numbers, integer ranges, lists (a string is not a list), nested objects, enums
 *   and class instances, every error in the house style with the prop path.
 */

/** How one prop is checked. */
export interface PropType {
  /** A noun phrase for messages, e.g. `an integer from 1 to 65535`. */
  readonly description: string;
  /** Reports the problems of a value that is present (not undefined) at `path`. */
  check(value: unknown, path: string, sink: ProblemSink): void;
  /**
   * A fast test: true only when `check` would report nothing (no path is built, nothing is
   * allocated). Checks call `check` only when it is absent or false.
   */
  readonly ok?: (value: unknown) => boolean;
}

/** One declared prop. */
interface PropDecl {
  readonly type: PropType;
  /** When set, the prop must be given; the text says how. */
  readonly required?: string;
}

/** The declared props of one props interface, precomputed for a cheap check. */
export interface PropsShape {
  /** What the props belong to, for messages (e.g. `NetworkFunctionProps`). */
  readonly owner: string;
  /** @internal */
  readonly _props: ReadonlyMap<string, PropDecl>;
  /** @internal the declared keys, in declaration order */
  readonly _keys: readonly string[];
  /** @internal the required keys */
  readonly _required: readonly string[];
  /** @internal the text listing the known keys */
  readonly _known: string;
  /** @internal specific advice for keys that are not props (e.g. a key of another plugin) */
  readonly _hints: ReadonlyMap<string, string>;
}

/** A prop declaration: a type, or a type with the text saying how to give a required prop. */
export type PropSpec = PropType | { readonly type: PropType; readonly required: string };

/**
 * Declares the shape of a props interface.
 * @param owner the interface (or method) the props belong to, for messages
 * @param props the props, by name
 * @param hints advice for keys that are not props, by key (e.g. `master` on sriov)
 */
export function propsShape(owner: string, props: Readonly<Record<string, PropSpec>>, hints: Readonly<Record<string, string>> = {}): PropsShape {
  const map = new Map<string, PropDecl>();
  for (const key of Object.keys(props)) {
    const spec = props[key];
    map.set(key, 'required' in spec && typeof spec.required === 'string' ? { type: spec.type, required: spec.required } : { type: spec as PropType });
  }
  const keys = [...map.keys()];
  return {
    owner,
    _props: map,
    _keys: keys,
    _required: keys.filter((k) => map.get(k)!.required !== undefined),
    _known: keys.length > 0 ? keys.map((k) => `'${k}'`).join(', ') : 'none',
    _hints: new Map(Object.keys(hints).map((k) => [k, hints[k]])),
  };
}

/** A shape that adds props to another (an interface that extends another). */
export function extendShape(base: PropsShape, owner: string, props: Readonly<Record<string, PropSpec>>, hints: Readonly<Record<string, string>> = {}): PropsShape {
  const all: Record<string, PropSpec> = {};
  for (const [k, d] of base._props) all[k] = d.required ? { type: d.type, required: d.required } : d.type;
  for (const k of Object.keys(props)) all[k] = props[k];
  const h: Record<string, string> = {};
  for (const [k, v] of base._hints) h[k] = v;
  return propsShape(owner, all, { ...h, ...hints });
}

/** A shape without some of the props of another (`Omit<...>`). */
export function omitShape(base: PropsShape, owner: string, omit: readonly string[], hints: Readonly<Record<string, string>> = {}): PropsShape {
  const all: Record<string, PropSpec> = {};
  for (const [k, d] of base._props) if (!omit.includes(k)) all[k] = d.required ? { type: d.type, required: d.required } : d.type;
  return propsShape(owner, all, hints);
}

/** Whether a value is an object whose keys are its props: not null, not a list, of a plain prototype. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Checks a props object against its shape, reporting under `path` (empty for the top level).
 * Problems go to the sink; nothing is thrown.
 */
export function checkProps(shape: PropsShape, value: unknown, path: string, sink: ProblemSink): void {
  if (!isPlainObject(value)) {
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      sink.error(path || 'props', `must be a plain object of ${shape.owner} (its prototype is not Object.prototype)`, value,
        'pass an object literal { ... }: keys of a prototype or a class instance are not read');
    } else {
      sink.error(path || 'props', `must be an object of ${shape.owner}`, value, notAnObjectFix(value, shape));
    }
    return;
  }
  const props = shape._props;
  let inherited: Set<string> | undefined;
  // for-in: own keys, then enumerable keys of the prototype chain (a polluted Object.prototype)
  for (const key in value) {
    const v = value[key];
    if (!Object.hasOwn(value, key)) {
      // an inherited key the shape does not declare is never read: only declared ones are refused
      if (!props.has(key)) continue;
      (inherited ??= new Set()).add(key);
      sink.error(joinField(path, key), 'is inherited from the prototype, not an own property', v, `give '${key}' on the props object itself, or remove it from the prototype`);
      continue;
    }
    const decl = props.get(key);
    if (decl === undefined) {
      sink.error(joinField(path, key), `is not a prop of ${shape.owner}`, v, unknownKeyFix(shape, key));
    } else if (v === undefined) {
      if (decl.required) sink.error(joinField(path, key), 'is required', undefined, decl.required);
    } else {
      const type = decl.type;
      if (type.ok === undefined || !type.ok(v)) type.check(v, joinField(path, key), sink);
    }
  }
  const required = shape._required;
  for (let i = 0; i < required.length; i++) {
    const key = required[i];
    if (Object.hasOwn(value, key) || inherited?.has(key)) continue;
    const fromPrototype = (value as Record<string, unknown>)[key];
    if (fromPrototype !== undefined) {
      sink.error(joinField(path, key), 'is inherited from the prototype, not an own property', fromPrototype, `give '${key}' on the props object itself, or remove it from the prototype`);
    } else {
      sink.error(joinField(path, key), 'is required', undefined, props.get(key)!.required!);
    }
  }
}

/** Checks props and throws one error listing every problem, prefixed with `context`. */
export function assertProps(shape: PropsShape, value: unknown, context: string): void {
  const sink = new ProblemSink();
  checkProps(shape, value, '', sink);
  if (sink.hasErrors) reportProblems(sink.problems, context);
}

/**
 * Checks props: problems go to the sink when one is given (nothing thrown), else thrown as
 * {@link assertProps} does. Whether the props have no error.
 */
export function assertPropsTo(sink: ProblemSink | undefined, shape: PropsShape, value: unknown, context: string): boolean {
  if (!sink) {
    assertProps(shape, value, context);
    return true;
  }
  const own = new ProblemSink();
  checkProps(shape, value, '', own);
  if (own.hasErrors) sink.addAll(own.problems);
  return !own.hasErrors;
}

/** Checks one argument of a method or factory that is not a props object. */
export function assertArg(type: PropType, value: unknown, name: string, context: string, required?: string): void {
  const sink = new ProblemSink();
  if (value === undefined) {
    if (required) sink.error(name, 'is required', undefined, required);
  } else {
    type.check(value, name, sink);
  }
  if (sink.hasErrors) reportProblems(sink.problems, context);
}

/** Checks that an options argument is an object literal (for factories that spread it). */
export function assertOptionsObject(value: unknown, name: string, context: string): void {
  if (isPlainObject(value)) return;
  const sink = new ProblemSink();
  sink.error(name, 'must be an object literal { ... }', value, typeof value === 'string' ? 'pass the options as an object, not a string' : 'pass the options as { key: value }');
  reportProblems(sink.problems, context);
}

function notAnObjectFix(value: unknown, shape: PropsShape): string {
  const example = shape._keys.slice(0, 2).map((k) => `${k}: ...`).join(', ');
  if (typeof value === 'string') return `pass an object such as { ${example} }, not a string`;
  if (Array.isArray(value)) return `pass one object such as { ${example} }, not a list`;
  return `pass an object such as { ${example} }`;
}

function unknownKeyFix(shape: PropsShape, key: string): string {
  const hint = shape._hints.get(key);
  if (hint) return hint;
  const lower = key.toLowerCase();
  for (const k of shape._keys) {
    if (k.toLowerCase() === lower) return `write it as '${k}' (props are case-sensitive)`;
  }
  return `remove it; the props of ${shape.owner} are ${shape._known}`;
}

// ---------------------------------------------------------------------------------------------
// Prop types. Each factory is called once, when a shape is declared (module load), never per check.
// ---------------------------------------------------------------------------------------------

/** Renders the type of a wrong value for a fix text. */
function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'undefined') return 'nothing';
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return `a ${typeof value}`;
}

/** A string; optionally non-empty, matching a pattern, or of bounded length. */
export function pString(opts: { allowEmpty?: boolean; pattern?: RegExp; patternText?: string; maxLength?: number; fix?: string } = {}): PropType {
  const description = opts.patternText ? `a string matching ${opts.patternText}` : opts.allowEmpty ? 'a string' : 'a non-empty string';
  const fix = opts.fix ?? `write ${description}`;
  const { allowEmpty, maxLength, pattern } = opts;
  return {
    description,
    ok: (v) => typeof v === 'string' && (allowEmpty === true || v.length > 0) && (maxLength === undefined || v.length <= maxLength) && (pattern === undefined || pattern.test(v)),
    check(value, path, sink) {
      if (typeof value !== 'string') {
        sink.error(path, `must be ${description}`, value, `${fix}, not ${kindOf(value)}`);
      } else if (!opts.allowEmpty && value.length === 0) {
        sink.error(path, 'is empty', value, fix);
      } else if (opts.maxLength !== undefined && value.length > opts.maxLength) {
        sink.error(path, `is longer than ${opts.maxLength} characters (${value.length})`, value, `shorten it to at most ${opts.maxLength} characters`);
      } else if (opts.pattern && !opts.pattern.test(value)) {
        sink.error(path, `must be ${description}`, value, fix);
      }
    },
  };
}

/** A finite number in [min, max]; with `integer`, a whole number. */
export function pNumber(opts: { integer?: boolean; min?: number; max?: number; unit?: string } = {}): PropType {
  const { min, max } = opts;
  const unit = opts.unit ? ` ${opts.unit}` : '';
  const range = min !== undefined && max !== undefined ? ` from ${min} to ${max}${unit}`
    : min !== undefined ? ` of at least ${min}${unit}` : max !== undefined ? ` of at most ${max}${unit}` : '';
  const noun = opts.integer ? 'an integer' : 'a finite number';
  const description = `${noun}${range}`;
  const integer = opts.integer === true;
  return {
    description,
    ok: (v) => typeof v === 'number' && Number.isFinite(v) && (!integer || Number.isInteger(v)) && (min === undefined || v >= min) && (max === undefined || v <= max),
    check(value, path, sink) {
      if (typeof value !== 'number') {
        sink.error(path, `must be ${description}`, value, `write a number, not ${kindOf(value)}`);
      } else if (!Number.isFinite(value)) {
        sink.error(path, `must be ${description}`, value, `write a finite number, not ${String(value)}`);
      } else if (opts.integer && !Number.isInteger(value)) {
        sink.error(path, `must be ${description}`, value, 'write a whole number');
      } else if ((min !== undefined && value < min) || (max !== undefined && value > max)) {
        sink.error(path, `is out of range: must be ${description}`, value, `write a value${range}`);
      }
    },
  };
}

/** An integer in [min, max]. */
export function pInt(opts: { min?: number; max?: number; unit?: string } = {}): PropType {
  return pNumber({ ...opts, integer: true });
}

/** A port number, 1..65535. */
export const P_PORT: PropType = pInt({ min: 1, max: 65535 });

/** true or false. */
export function pBool(): PropType {
  return {
    description: 'true or false',
    ok: (v) => typeof v === 'boolean',
    check(value, path, sink) {
      if (typeof value !== 'boolean') sink.error(path, 'must be true or false', value, `write true or false, not ${kindOf(value)}`);
    },
  };
}

/** One of the values of a string enum (or a list of strings). */
export function pEnum(values: Readonly<Record<string, string>> | readonly string[], name?: string): PropType {
  const allowed = new Set<string>(Array.isArray(values) ? values : Object.values(values));
  // a long enum is named with an example rather than listed
  const long = allowed.size > 8 && name !== undefined;
  const list = [...allowed].map((v) => JSON.stringify(v)).join(', ');
  const description = long ? `a value of ${name}` : `one of ${list}`;
  const fix = long ? `use a value of ${name} such as ${JSON.stringify([...allowed][0])}` : `use ${name ? `a value of ${name}: ` : ''}one of ${list}`;
  return {
    description,
    ok: (v) => typeof v === 'string' && allowed.has(v),
    check(value, path, sink) {
      if (typeof value !== 'string' || !allowed.has(value)) sink.error(path, `must be ${description}`, value, fix);
    },
  };
}

/** A list of items of one type; a string is not a list. */
export function pArray(item: PropType, opts: { minItems?: number; maxItems?: number } = {}): PropType {
  const description = `a list, each item ${item.description}`;
  const itemOk = item.ok;
  const { minItems, maxItems } = opts;
  return {
    description,
    ok: itemOk === undefined ? undefined : (v) => {
      if (!Array.isArray(v) || (minItems !== undefined && v.length < minItems) || (maxItems !== undefined && v.length > maxItems)) return false;
      for (let i = 0; i < v.length; i++) if (v[i] === undefined || !itemOk(v[i])) return false;
      return true;
    },
    check(value, path, sink) {
      if (!Array.isArray(value)) {
        sink.error(path, `must be ${description}`, value, typeof value === 'string'
          ? `write a list such as [${JSON.stringify(value)}], not a string (a string is not a list)`
          : `write a list [...], not ${kindOf(value)}`);
        return;
      }
      if (opts.minItems !== undefined && value.length < opts.minItems) {
        sink.error(path, `needs at least ${opts.minItems} item${opts.minItems === 1 ? '' : 's'}`, value, `add ${opts.minItems === 1 ? 'an item' : 'items'}`);
      }
      if (opts.maxItems !== undefined && value.length > opts.maxItems) {
        sink.error(path, `has more than ${opts.maxItems} items (${value.length})`, value, `keep at most ${opts.maxItems}`);
      }
      for (let i = 0; i < value.length; i++) {
        const v = value[i];
        if (v === undefined) sink.error(`${path}[${i}]`, 'is missing (a hole or undefined in the list)', v, `write ${item.description}, or remove the entry`);
        else if (itemOk === undefined || !itemOk(v)) item.check(v, `${path}[${i}]`, sink);
      }
    },
  };
}

/** An object of free keys with values of one type (labels, env). */
export function pRecord(item: PropType): PropType {
  const description = `an object whose values are each ${item.description}`;
  return {
    description,
    check(value, path, sink) {
      if (!isPlainObject(value)) {
        sink.error(path, `must be ${description}`, value, `write an object { key: value }, not ${kindOf(value)}`);
        return;
      }
      const keys = Object.keys(value);
      for (let i = 0; i < keys.length; i++) {
        const v = value[keys[i]];
        if (v !== undefined) item.check(v, `${path}.${keys[i]}`, sink);
      }
    },
  };
}

/** A nested props object with a shape of its own. */
export function pObject(shape: PropsShape): PropType {
  return {
    description: `an object of ${shape.owner}`,
    check(value, path, sink) {
      checkProps(shape, value, path, sink);
    },
  };
}

/** A JSON object with free content (`args`, `cniArgs`). */
export function pJsonObject(): PropType {
  return {
    description: 'a JSON object',
    ok: isPlainObject,
    check(value, path, sink) {
      if (!isPlainObject(value)) sink.error(path, 'must be a JSON object', value, `write an object { ... }, not ${kindOf(value)}`);
    },
  };
}

/** An instance of one of some classes (a construct, a plugin, a profile). */
export function pInstance(classes: readonly { readonly prototype: unknown }[], what: string, fix: string): PropType {
  const ok = (v: unknown) => {
    for (let i = 0; i < classes.length; i++) if (v instanceof (classes[i] as new () => unknown)) return true;
    return false;
  };
  return {
    description: what,
    ok,
    check(value, path, sink) {
      if (ok(value)) return;
      sink.error(path, `must be ${what}`, value, fix);
    },
  };
}

/** A function (a factory). */
export function pFunction(what: string, fix: string): PropType {
  return {
    description: what,
    check(value, path, sink) {
      if (typeof value !== 'function') sink.error(path, `must be ${what}`, value, fix);
    },
  };
}

/** Any value, checked elsewhere (e.g. by the model's own check, or an L1 type passed through). */
export function pAny(description: string = 'any value'): PropType {
  return { description, ok: () => true, check() {} };
}

/** A value that matches one of several types (e.g. `true` or a list of gateways). */
export function pEither(description: string, fix: string, tests: readonly ((v: unknown) => boolean)[], then?: readonly (PropType | undefined)[]): PropType {
  return {
    description,
    check(value, path, sink) {
      for (let i = 0; i < tests.length; i++) {
        if (tests[i](value)) {
          then?.[i]?.check(value, path, sink);
          return;
        }
      }
      sink.error(path, `must be ${description}`, value, fix);
    },
  };
}

/** A field type of the CNI model used as a prop type (the same check as the plugins'). */
export function pField(type: FieldType): PropType {
  return {
    description: type.description,
    check(value, path, sink) {
      type.check(value, path, sink, SHAPE);
    },
  };
}
