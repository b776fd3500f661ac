import { DNS1123_LABEL } from '../multus/selection-element';

/**
 * Reachability expectations as they travel in synthesized manifests: annotations on a workload
 * (the source of the expectation) listing the functions it must reach, or must not reach.
 * Written by {@link ReachabilityExpectation} constructs, read by `cdk8s-nfv verify`.
 */

/** Functions the workload's pods must reach: a JSON array of {@link ExpectationTarget}. */
export const EXPECT_REACH_ANNOTATION = 'nfv.cdk8s.io/expect-reach';
/** Functions the workload's pods must NOT reach: a JSON array of {@link ExpectationTarget}. */
export const EXPECT_ISOLATED_ANNOTATION = 'nfv.cdk8s.io/expect-isolated';

/** The two kinds of expectation. */
export enum Reachability {
  /** Every pod of the source reaches every pod of the target on the network (ping answers). */
  REACH = 'reach',
  /** No pod of the source reaches any address of the target's pods (ping gets no answer). */
  ISOLATED = 'isolated',
}

/** The annotation carrying each kind. */
export const EXPECTATION_ANNOTATIONS: Readonly<Record<Reachability, string>> = {
  [Reachability.REACH]: EXPECT_REACH_ANNOTATION,
  [Reachability.ISOLATED]: EXPECT_ISOLATED_ANNOTATION,
};

/** One target of an expectation. Property names are the wire keys. */
export interface ExpectationTarget {
  /** The target's function name (the `nfv.cdk8s.io/function` label of its pods). */
  readonly function: string;
  /** The target's Kubernetes namespace. */
  readonly namespace: string;
  /**
   * The network (NAD name) the check uses: for REACH the source pings the target's addresses on
   * it through its own interface on it; for ISOLATED only the target's addresses on it are tried.
   * @default - REACH: required; ISOLATED: every address of the target, on any network
   */
  readonly network?: string;
}

/** Renders targets as the annotation value: JSON, keys in a fixed order, duplicates dropped. */
export function renderExpectations(targets: readonly ExpectationTarget[]): string {
  const seen = new Set<string>();
  const out: ExpectationTarget[] = [];
  for (const t of targets) {
    const e: ExpectationTarget = t.network !== undefined
      ? { function: t.function, namespace: t.namespace, network: t.network }
      : { function: t.function, namespace: t.namespace };
    const key = JSON.stringify(e);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(e);
  }
  return JSON.stringify(out);
}

/** What {@link parseExpectations} read. */
export interface ParsedExpectations {
  readonly targets: ExpectationTarget[];
  /** Errors in the library's style (`'<field>' <what>: got <value>; <fix>`). */
  readonly errors: string[];
}

/** Parses an expectation annotation value; `field` names it in errors. */
export function parseExpectations(text: string, kind: Reachability, field: string = EXPECTATION_ANNOTATIONS[kind]): ParsedExpectations {
  const errors: string[] = [];
  const targets: ExpectationTarget[] = [];
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { targets, errors: [`'${field}' is not JSON: got ${JSON.stringify(text)}; write a JSON array of {"function", "namespace", "network"} objects`] };
  }
  if (!Array.isArray(value)) {
    return { targets, errors: [`'${field}' must be a JSON array: got ${JSON.stringify(value)}; write [{"function": "...", "namespace": "...", "network": "..."}]`] };
  }
  value.forEach((v, i) => {
    const at = `${field}[${i}]`;
    if (typeof v !== 'object' || v === null || Array.isArray(v)) {
      errors.push(`'${at}' must be an object: got ${JSON.stringify(v)}; write {"function": "...", "namespace": "...", "network": "..."}`);
      return;
    }
    const o = v as Record<string, unknown>;
    const unknown = Object.keys(o).filter((k) => !['function', 'namespace', 'network'].includes(k));
    if (unknown.length > 0) errors.push(`'${at}' has unknown keys: got ${JSON.stringify(unknown)}; use only function, namespace and network`);
    for (const k of ['function', 'namespace'] as const) {
      if (typeof o[k] !== 'string' || !DNS1123_LABEL.test(o[k] as string)) {
        errors.push(`'${at}.${k}' must be a DNS-1123 label: got ${JSON.stringify(o[k])}; name the target's ${k}`);
      }
    }
    if (o.network !== undefined && (typeof o.network !== 'string' || !DNS1123_LABEL.test(o.network))) {
      errors.push(`'${at}.network' must be a NAD name: got ${JSON.stringify(o.network)}; name the network`);
    }
    if (o.network === undefined && kind === Reachability.REACH) {
      errors.push(`'${at}.network' is required for a reach expectation: got undefined; name the network the target must be reached on`);
    }
    if (errors.length === 0 || errors.every((e) => !e.startsWith(`'${at}`))) {
      targets.push(o.network !== undefined
        ? { function: String(o.function), namespace: String(o.namespace), network: String(o.network) }
        : { function: String(o.function), namespace: String(o.namespace) });
    }
  });
  return { targets, errors };
}

/** The label every pod of a network function carries, with the function's name. */
export const FUNCTION_LABEL = 'nfv.cdk8s.io/function';
