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
