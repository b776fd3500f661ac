import { Problem } from '../cni/problem';
import { udnObjectProblems } from '../ovnk/user-defined-network';
import { DraLintFinding } from './dra-lint';
import { ManifestObject, describeObject } from './manifests';

/**
 * Lint of OVN-Kubernetes UserDefinedNetworks and ClusterUserDefinedNetworks (`k8s.ovn.org/v1`)
 * with the rules of lib/ovnk, and the namespace label a primary network needs, checked against
 * the Namespaces of the inputs.
 */
export class UdnLint {
  private readonly networks: { file: string; object: string; o: any }[] = [];
  private readonly namespaces = new Map<string, Readonly<Record<string, string>> | undefined>();

  /** Adds one object of the inputs. */
  public add(m: ManifestObject): void {
    const o = m.object;
    if (typeof o !== 'object' || o === null) return;
    if (o.kind === 'Namespace' && o.apiVersion === 'v1' && typeof o.metadata?.name === 'string') {
      this.namespaces.set(o.metadata.name, typeof o.metadata.labels === 'object' && o.metadata.labels !== null ? o.metadata.labels : undefined);
    } else if ((o.kind === 'UserDefinedNetwork' || o.kind === 'ClusterUserDefinedNetwork') && typeof o.apiVersion === 'string' && o.apiVersion.startsWith('k8s.ovn.org/')) {
      this.networks.push({ file: m.file, object: describeObject(o), o });
    }
  }

  /** Every finding. */
  public findings(): DraLintFinding[] {
    const out: DraLintFinding[] = [];
    for (const n of this.networks) {
      const labels = this.namespacesOf(n.o);
      const problems: Problem[] = udnObjectProblems(n.o, labels);
      for (const p of problems) out.push({ file: n.file, object: n.object, field: p.field, message: p.message, value: p.value, fix: p.fix, severity: p.severity });
    }
    return out;
  }

  /**
   * The NADs OVN-Kubernetes renders for the networks of the inputs: one named as the network in
   * each namespace it applies to (a UDN's own; a CUDN's selected by name, or by labels matched
   * against the Namespaces of the inputs). Lint resolves the pods' selections to them as to NADs
   * declared external (`lint --external`), so the topology of annotated pods is checked whatever
   * made their NADs.
   */
  public renderedNads(): { readonly namespace: string; readonly name: string }[] {
    const out: { namespace: string; name: string }[] = [];
    const seen = new Set<string>();
    for (const n of this.networks) {
      const name = n.o.metadata?.name;
      if (typeof name !== 'string') continue;
      for (const namespace of this.selectedNamespaces(n.o)) {
        const key = `${namespace}/${name}`;
        if (seen.has(key)) continue;
        seen.add(key);
        out.push({ namespace, name });
      }
    }
    return out;
  }

  /** Every namespace a network applies to that can be known from the inputs. */
  private selectedNamespaces(o: any): string[] {
    if (o.kind === 'UserDefinedNetwork') return typeof o.metadata?.namespace === 'string' ? [o.metadata.namespace] : [];
    const selector = o.spec?.namespaceSelector;
    if (typeof selector !== 'object' || selector === null) return [];
    const exprs: any[] = Array.isArray(selector.matchExpressions) ? selector.matchExpressions : [];
    const labels: Record<string, unknown> = typeof selector.matchLabels === 'object' && selector.matchLabels !== null ? selector.matchLabels : {};
    const byName = exprs.filter((e) => e?.key === 'kubernetes.io/metadata.name' && e.operator === 'In' && Array.isArray(e.values));
    const others = exprs.filter((e) => !byName.includes(e));
    // a selector by names alone names its namespaces, whether the inputs hold them or not
    if (byName.length > 0 && others.length === 0 && Object.keys(labels).length === 0) {
      return byName.map((e) => (e.values as unknown[]).filter((v): v is string => typeof v === 'string'))
        .reduce((a, b) => a.filter((x) => b.includes(x)));
    }
    // otherwise: the Namespaces of the inputs whose labels match (In and NotIn, Exists and DoesNotExist)
    return [...this.namespaces.entries()].filter(([ns, l]) => {
      const all: Record<string, string> = { ...(l ?? {}), 'kubernetes.io/metadata.name': ns };
      if (!Object.entries(labels).every(([k, v]) => all[k] === v)) return false;
      return exprs.every((e) => {
        const has = typeof e?.key === 'string' && e.key in all;
        const values: unknown[] = Array.isArray(e?.values) ? e.values : [];
        switch (e?.operator) {
          case 'In': return has && values.includes(all[e.key]);
          case 'NotIn': return !has || !values.includes(all[e.key]);
          case 'Exists': return has;
          case 'DoesNotExist': return !has;
          default: return false;
        }
      });
    }).map(([ns]) => ns);
  }

  /** The namespaces of the inputs a network applies to (a UDN its own; a CUDN those its selector names by name). */
  private namespacesOf(o: any): Map<string, Readonly<Record<string, string>> | undefined> | undefined {
    const names: string[] = [];
    if (o.kind === 'UserDefinedNetwork') {
      if (typeof o.metadata?.namespace === 'string') names.push(o.metadata.namespace);
    } else {
      for (const e of o.spec?.namespaceSelector?.matchExpressions ?? []) {
        if (e?.key === 'kubernetes.io/metadata.name' && e.operator === 'In' && Array.isArray(e.values)) names.push(...e.values.filter((v: unknown) => typeof v === 'string'));
      }
    }
    const known = names.filter((ns) => this.namespaces.has(ns));
    if (known.length === 0) return undefined;
    return new Map(known.map((ns) => [ns, this.namespaces.get(ns)]));
  }
}
