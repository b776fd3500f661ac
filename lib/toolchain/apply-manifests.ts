import { ApiError, KubeClient, KubeObject, describe } from './kube-client';
import { Difference, subsetDifferences } from './subset';

/**
 * Applies a set of manifests to an API server in the order a cluster needs them (CRDs, waited for
 * until Established; Namespaces, including any the objects name but do not define; everything
 * else; webhook configurations and APIServices last, so they cannot intercept the rest), reads
 * every object back, and compares it by meaning with what was written. One bad object fails that
 * object only.
 */

/** What happened to one object. */
export interface ObjectOutcome {
  /** `Kind namespace/name`. */
  readonly object: string;
  readonly written: KubeObject;
  /** What the server holds after the apply; undefined when the apply was rejected. */
  readonly stored?: KubeObject;
  /** Why the server refused it. */
  readonly error?: string;
  /** Fields the server dropped or changed. */
  readonly differences: readonly Difference[];
}

/** What applying a set of manifests did. */
export interface ApplyReport {
  readonly outcomes: readonly ObjectOutcome[];
  /** Namespaces that the objects name but do not define, created so the objects can land. */
  readonly createdNamespaces: readonly string[];
}

/** Fields of what the server holds that it sets itself: never part of a comparison. */
const SERVER_SET_METADATA = ['uid', 'resourceVersion', 'creationTimestamp', 'managedFields', 'generation'];

/** Kinds that change how the server treats later objects; applied last. */
const LAST_KINDS = ['ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding', 'APIService'];

/** Namespaces every API server makes itself. */
const BUILT_IN_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

/** The rank of an object in apply order. */
export function applyRank(obj: KubeObject): number {
  if (obj.kind === 'CustomResourceDefinition') return 0;
  if (obj.kind === 'Namespace') return 1;
  if (LAST_KINDS.includes(obj.kind)) return 3;
  return 2;
}

/** The objects in apply order (stable within a rank). */
export function inApplyOrder(objects: readonly KubeObject[]): KubeObject[] {
  return objects.map((o, i) => ({ o, i })).sort((a, b) => applyRank(a.o) - applyRank(b.o) || a.i - b.i).map((x) => x.o);
}

/** The stored object without the fields the server sets itself. */
export function withoutServerFields(stored: KubeObject): KubeObject {
  const { status: _status, ...rest } = stored as KubeObject & { status?: unknown };
  const metadata: Record<string, unknown> = { ...stored.metadata };
  for (const k of SERVER_SET_METADATA) delete metadata[k];
  return { ...rest, metadata } as KubeObject;
}

/** Compares what was written with what is stored; status and server-set metadata aside. */
export function compareStored(written: KubeObject, stored: KubeObject): Difference[] {
  const { status: _status, ...spec } = written as KubeObject & { status?: unknown };
  return subsetDifferences(spec, withoutServerFields(stored));
}

/** Applies `objects`, reads each back and compares it. */
export async function applyManifests(client: KubeClient, objects: readonly KubeObject[]): Promise<ApplyReport> {
  const ordered = inApplyOrder(objects);
  const outcomes = new Map<KubeObject, ObjectOutcome>();
  const fail = (o: KubeObject, e: unknown): void => {
    outcomes.set(o, { object: describe(o), written: o, error: e instanceof Error ? e.message : String(e), differences: [] });
  };

  const crds = ordered.filter((o) => applyRank(o) === 0);
  for (const o of crds) await client.apply(o).catch((e) => fail(o, e));
  for (const o of crds) {
    if (!outcomes.has(o)) await client.waitEstablished(o.metadata.name).catch((e) => fail(o, e));
  }

  const defined = new Set(ordered.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name));
  const createdNamespaces: string[] = [];
  for (const o of ordered) {
    const ns = o.metadata?.namespace;
    if (typeof ns === 'string' && !defined.has(ns) && !BUILT_IN_NAMESPACES.includes(ns) && !createdNamespaces.includes(ns)) {
      const namespace: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } };
      if ((await client.get(namespace)) === undefined) {
        await client.apply(namespace);
        createdNamespaces.push(ns);
      }
    }
  }

  for (const o of ordered.filter((x) => applyRank(x) > 0)) {
    await client.apply(o).catch((e) => fail(o, e));
  }

  for (const o of ordered) {
    if (outcomes.has(o)) continue;
    try {
      const stored = await client.get(o);
      if (!stored) throw new ApiError(404, 'NotFound', `${describe(o)} was applied but cannot be read back`);
      outcomes.set(o, { object: describe(o), written: o, stored, differences: compareStored(o, stored) });
    } catch (e) {
      fail(o, e);
    }
  }
  return { outcomes: objects.map((o) => outcomes.get(o)!), createdNamespaces };
}
