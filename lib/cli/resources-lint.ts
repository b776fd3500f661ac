import { ProblemSink } from '../cni/problem';
import { HUGEPAGES_NEED_COMPUTE, isHugePages, resourceRequestProblems } from '../topology/extended-resources';
import { DraLintFinding } from './dra-lint';
import { ManifestObject, describeObject } from './manifests';
import { podTemplateOf } from './topology-from-manifests';

/**
 * Lint of the extended resources of the inputs' containers (device-plugin resources, huge pages)
 * with the rule the constructs apply (lib/topology/extended-resources.ts): what
 * `PodNetworks.requestResource` and NetworkFunction's `extendedResources` refuse, lint flags in
 * manifests. Findings are made as objects are added; nothing else is kept.
 */
export class ResourcesLint {
  private readonly out: DraLintFinding[] = [];

  /** Adds one object of the inputs. */
  public add(m: ManifestObject): void {
    const o = m.object;
    // the workload kinds and their pod templates are the ones the topology reader knows
    const spec = podTemplateOf(o)?.spec;
    if (typeof spec !== 'object' || spec === null) return;
    const prefix = o.kind === 'Pod' ? 'spec' : o.kind === 'CronJob' ? 'spec.jobTemplate.spec.template.spec' : 'spec.template.spec';
    for (const list of ['initContainers', 'containers'] as const) {
      const containers = spec[list];
      if (!Array.isArray(containers)) continue;
      containers.forEach((c: any, i: number) => this.container(m, o, `${prefix}.${list}[${i}].resources`, c?.resources));
    }
  }

  /** Every finding, in input order. */
  public findings(): DraLintFinding[] {
    return [...this.out];
  }

  private container(m: ManifestObject, o: any, base: string, resources: any): void {
    if (typeof resources !== 'object' || resources === null) return;
    const sink = new ProblemSink();
    let hugepages: string | undefined;
    const seen = new Set<string>();
    for (const which of ['limits', 'requests'] as const) {
      const map = resources[which];
      if (typeof map !== 'object' || map === null || Array.isArray(map)) continue;
      for (const name of Object.keys(map)) {
        if (NATIVE.has(name) || seen.has(name)) continue;
        seen.add(name);
        const field = `${base}.${which}[${JSON.stringify(name)}]`;
        const raw = map[name];
        // YAML writes a whole number as a number; Kubernetes reads it as that quantity
        const quantity = typeof raw === 'number' && Number.isFinite(raw) ? String(raw) : raw;
        resourceRequestProblems(name, quantity, sink, { resource: field, quantity: field });
        if (isHugePages(name)) hugepages ??= field;
      }
    }
    if (hugepages !== undefined && !COMPUTE.some((r) => has(resources.requests, r) || has(resources.limits, r))) {
      sink.error(hugepages, HUGEPAGES_NEED_COMPUTE.message, undefined, HUGEPAGES_NEED_COMPUTE.fix);
    }
    const object = describeObject(o);
    for (const p of sink.problems) {
      this.out.push({ file: m.file, object, field: p.field, message: p.message, value: p.value, fix: p.fix, severity: p.severity });
    }
  }
}

/** The container resources that are not extended resources. */
const NATIVE: ReadonlySet<string> = new Set(['cpu', 'memory', 'ephemeral-storage', 'storage']);
const COMPUTE = ['cpu', 'memory'];

function has(map: unknown, key: string): boolean {
  return typeof map === 'object' && map !== null && Object.hasOwn(map, key);
}
