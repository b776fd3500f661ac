import { KubeObject, apiGroup } from './deployment-plan';

/**
 * Custom resources whose CustomResourceDefinition the deployment does not create: the cluster must
 * already serve their kinds, or the provider fails on them ("the apiVersion for this resource does
 * not exist"). The component warns about them at preview, naming each kind and where its CRD comes
 * from, before the engine reaches the cluster.
 */

/** Where the CRDs of the kinds cdk8s-nfv writes come from. */
const CRD_SOURCES: Readonly<Record<string, string>> = {
  'k8s.cni.cncf.io/NetworkAttachmentDefinition': 'Multus installs it (or crds/network-attachment-definition.yaml of cdk8s-nfv)',
  'k8s.cni.cncf.io/MultiNetworkPolicy': 'the multi-networkpolicy daemon installs it (or crds/multi-networkpolicy.yaml of cdk8s-nfv)',
  'whereabouts.cni.cncf.io/IPPool': 'the whereabouts installer installs it',
};

/** Whether an API group is served by Kubernetes itself (no CRD): core, `apps`, `*.k8s.io` (but not `*.x-k8s.io`). */
export function isBuiltInGroup(group: string): boolean {
  return !group.includes('.') || (group.endsWith('.k8s.io') && !group.endsWith('.x-k8s.io'));
}

/** `<apiVersion> <Kind>` of each custom resource kind without a CRD among `objects`, with its count. */
export function kindsWithoutCrd(objects: readonly KubeObject[]): Array<{ readonly apiVersion: string; readonly kind: string; readonly count: number }> {
  const defined = new Set<string>();
  for (const o of objects) {
    if (o.kind === 'CustomResourceDefinition' && apiGroup(o.apiVersion) === 'apiextensions.k8s.io') {
      const spec = (o as { spec?: { group?: unknown; names?: { kind?: unknown } } }).spec;
      if (typeof spec?.group === 'string' && typeof spec.names?.kind === 'string') defined.add(`${spec.group}/${spec.names.kind}`);
    }
  }
  const missing = new Map<string, { apiVersion: string; kind: string; count: number }>();
  for (const o of objects) {
    const group = apiGroup(o.apiVersion);
    if (isBuiltInGroup(group) || defined.has(`${group}/${o.kind}`)) continue;
    const key = `${o.apiVersion} ${o.kind}`;
    const entry = missing.get(key) ?? { apiVersion: o.apiVersion, kind: o.kind, count: 0 };
    entry.count++;
    missing.set(key, entry);
  }
  return [...missing.values()];
}

/** The warning for kinds without a CRD, or undefined when every custom kind has its CRD here. */
export function missingCrdWarning(objects: readonly KubeObject[]): string | undefined {
  const missing = kindsWithoutCrd(objects);
  if (missing.length === 0) return undefined;
  const kinds = missing.map((m) => `${m.apiVersion} ${m.kind} (${m.count} object${m.count === 1 ? '' : 's'})`);
  const sources = missing.map((m) => CRD_SOURCES[`${apiGroup(m.apiVersion)}/${m.kind}`]).filter((s): s is string => s !== undefined);
  return `'charts' use kinds whose CustomResourceDefinitions this deployment does not create: got ${JSON.stringify(kinds)}; `
    + 'the cluster must serve them before `pulumi up`, or add the CRDs to the charts'
    + (sources.length > 0 ? ` (${[...new Set(sources)].join('; ')})` : '');
}
