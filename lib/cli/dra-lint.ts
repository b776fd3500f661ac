import { Problem, Severity } from '../cni/problem';
import { PluginsProfile } from '../cni/profile';
import { CNI_DRA_DRIVER } from '../dra/cni-dra-driver';
import { isKnownNetworkDriver, networkClaimProblems, podDeviceProblems } from '../dra/network-claim-checks';
import { podClaimProblems } from '../dra/resource-claim';
import { NETWORKS_ANNOTATION, RESOURCE_NAME_ANNOTATION, parseNetworksAnnotation } from '../multus/selection-element';
import { DRANET_DRIVER, dranetParameterProblems } from '../dra/dranet';
import { cniDraParameterProblems } from '../dra/cni-dra-driver';
import { SRIOV_DRA_DRIVER, vfConfigProblems } from '../dra/sriov-dra-driver';
import { ManifestObject, describeObject } from './manifests';

/**
 * Lint of Dynamic Resource Allocation objects: ResourceClaims, ResourceClaimTemplates and
 * DeviceClasses (`resource.k8s.io`), and the `resourceClaims` of pod templates, with the checks
 * of lib/dra (the same the DRA rendering runs at synth). Objects are added one at a time (the
 * reader streams them); only the small parts the checks need are kept.
 */

/** One finding, in the shape of the lint report's lines. */
export interface DraLintFinding {
  readonly file: string;
  readonly object: string;
  readonly field: string;
  readonly message: string;
  readonly value: unknown;
  readonly fix: string;
  readonly severity: Severity;
}

const RESOURCE_GROUP = 'resource.k8s.io/';
/** The versions whose requests have `exactly` (v1beta2 introduced it; v1 is GA in 1.34). */
const EXACTLY_VERSIONS = ['resource.k8s.io/v1', 'resource.k8s.io/v1beta2'];
/** The pod spec's path in each workload kind. */
const POD_SPEC_PATH: Readonly<Record<string, readonly string[]>> = {
  Pod: ['spec'],
  Deployment: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  ReplicationController: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};

function isObject(v: unknown): v is Record<string, any> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

interface Where {
  readonly file: string;
  readonly object: string;
}

interface ClaimEntry extends Where {
  readonly namespace: string;
  readonly spec: unknown;
  /**
   * The network driver whose config the claim carries when its device becomes one pod's
   * interface (cni-dra-driver, the SR-IOV DRA driver, DRANET): a claim configures one pod.
   */
  readonly onePod?: string;
  /** The NADs the claim's SR-IOV `VfConfig`s name (the driver runs them): one per device. */
  readonly vfNads: readonly string[];
}

/** The drivers whose claim gives one pod a network interface. */
const ONE_POD_DRIVERS = [CNI_DRA_DRIVER, SRIOV_DRA_DRIVER, DRANET_DRIVER];

interface PodEntry extends Where {
  readonly namespace: string;
  readonly kind: string;
  readonly replicas?: number;
  readonly prefix: string;
  readonly spec: Record<string, any>;
  readonly annotations: Record<string, unknown>;
}

/** Collects the DRA objects of the inputs, then checks them together. */
export class DraLint {
  private readonly profile: PluginsProfile;
  private readonly findingsSoFar: DraLintFinding[] = [];
  private readonly claims = new Map<string, ClaimEntry>();
  private readonly templates = new Map<string, ClaimEntry>();
  private readonly pods: PodEntry[] = [];
  private readonly nadResources = new Map<string, string | undefined>();

  constructor(opts: { profile?: PluginsProfile } = {}) {
    this.profile = opts.profile ?? PluginsProfile.UPSTREAM;
  }

  /** Adds one object of the inputs. */
  public add(m: ManifestObject): void {
    const o = m.object;
    if (!isObject(o)) return;
    const where: Where = { file: m.file, object: describeObject(o) };
    const apiVersion = typeof o.apiVersion === 'string' ? o.apiVersion : '';
    const ns = isObject(o.metadata) && typeof o.metadata.namespace === 'string' ? o.metadata.namespace : 'default';
    const name = isObject(o.metadata) && typeof o.metadata.name === 'string' ? o.metadata.name : '';
    if (o.kind === 'NetworkAttachmentDefinition') {
      const annotations = isObject(o.metadata) && isObject(o.metadata.annotations) ? o.metadata.annotations : {};
      const r = annotations[RESOURCE_NAME_ANNOTATION];
      this.nadResources.set(`${ns}/${name}`, typeof r === 'string' ? r : undefined);
      return;
    }
    if (apiVersion.startsWith(RESOURCE_GROUP)) {
      if (o.kind === 'ResourceClaim' || o.kind === 'ResourceClaimTemplate') {
        const isTemplate = o.kind === 'ResourceClaimTemplate';
        const prefix = isTemplate ? 'spec.spec' : 'spec';
        const spec = isTemplate ? (isObject(o.spec) ? o.spec.spec : undefined) : o.spec;
        this.checkClaim(where, apiVersion, prefix, spec);
        const configs: any[] = isObject(spec) && isObject(spec.devices) && Array.isArray(spec.devices.config) ? spec.devices.config.filter((c: any) => isObject(c) && isObject(c.opaque)) : [];
        const onePod = configs.map((c) => c.opaque.driver).find((d) => ONE_POD_DRIVERS.includes(d));
        const vfNads = configs.filter((c) => c.opaque.driver === SRIOV_DRA_DRIVER && isObject(c.opaque.parameters) && typeof c.opaque.parameters.netAttachDefName === 'string')
          .map((c) => c.opaque.parameters.netAttachDefName as string);
        (isTemplate ? this.templates : this.claims).set(`${ns}/${name}`, { ...where, namespace: ns, spec, onePod, vfNads });
      } else if (o.kind === 'DeviceClass') {
        this.checkDeviceClass(where, o.spec);
      }
      return;
    }
    const path = typeof o.kind === 'string' ? POD_SPEC_PATH[o.kind] : undefined;
    if (!path) return;
    let spec: any = o;
    for (const k of path) spec = isObject(spec) ? spec[k] : undefined;
    if (!isObject(spec)) return;
    const templateMeta = path.length > 1 ? (() => {
      let t: any = o;
      for (const k of path.slice(0, -1)) t = isObject(t) ? t[k] : undefined;
      return isObject(t) && isObject(t.metadata) ? t.metadata : undefined;
    })() : o.metadata;
    const annotations = isObject(templateMeta) && isObject(templateMeta.annotations) ? templateMeta.annotations : {};
    const usesClaims = Array.isArray(spec.resourceClaims) || (Array.isArray(spec.containers) && spec.containers.some((c: any) => isObject(c) && isObject(c.resources) && c.resources.claims !== undefined));
    if (!usesClaims) return;
    const replicas = o.kind === 'Pod' ? 1 : isObject(o.spec) && typeof o.spec.replicas === 'number' ? o.spec.replicas : o.kind === 'DaemonSet' || o.kind === 'CronJob' || o.kind === 'Job' ? undefined : 1;
    this.pods.push({ ...where, namespace: ns, kind: o.kind, replicas, prefix: path.join('.'), spec, annotations });
  }

  /** Every finding: those of single objects, then the pods' references and devices. */
  public findings(): DraLintFinding[] {
    const out = [...this.findingsSoFar];
    // a VfConfig's NAD is read by the driver in the claim's namespace: it must exist there
    if (this.nadResources.size > 0) {
      for (const [kind, map] of [['spec.spec', this.templates], ['spec', this.claims]] as const) {
        for (const entry of map.values()) {
          for (const n of entry.vfNads) {
            if (this.nadResources.has(`${entry.namespace}/${n}`)) continue;
            out.push({ file: entry.file, object: entry.object, field: `${kind}.devices.config[].opaque.parameters.netAttachDefName`,
              message: `names no NetworkAttachmentDefinition of the inputs in namespace ${entry.namespace} (the SR-IOV DRA driver reads it there)`, value: n,
              fix: `create the NAD ${n} in ${entry.namespace}, or name one that exists there`, severity: Severity.ERROR });
          }
        }
      }
    }
    const names = (map: Map<string, ClaimEntry>, ns: string) => new Set([...map.keys()].filter((k) => k.startsWith(`${ns}/`)).map((k) => k.slice(ns.length + 1)));
    for (const pod of this.pods) {
      const push = (ps: Problem[], prefix: string) => {
        for (const p of ps) out.push({ file: pod.file, object: pod.object, field: prefix && p.field ? `${prefix}.${p.field}` : prefix || p.field, message: p.message, value: p.value, fix: p.fix, severity: p.severity });
      };
      push(podClaimProblems(pod.spec, { claims: names(this.claims, pod.namespace), templates: names(this.templates, pod.namespace) }), pod.prefix);
      const specs: unknown[] = [];
      const vfNads: string[] = [];
      (Array.isArray(pod.spec.resourceClaims) ? pod.spec.resourceClaims : []).forEach((rc: any, i: number) => {
        if (!isObject(rc)) return;
        const entry = typeof rc.resourceClaimTemplateName === 'string' ? this.templates.get(`${pod.namespace}/${rc.resourceClaimTemplateName}`)
          : typeof rc.resourceClaimName === 'string' ? this.claims.get(`${pod.namespace}/${rc.resourceClaimName}`) : undefined;
        if (!entry) return;
        specs.push(entry.spec);
        vfNads.push(...entry.vfNads);
        if (entry.onePod !== undefined && typeof rc.resourceClaimName === 'string' && pod.replicas !== 1) {
          push([{ field: `resourceClaims[${i}].resourceClaimName`, message: `names one ResourceClaim for every pod of the ${pod.kind}, but a ${entry.onePod} claim configures one pod`,
            value: rc.resourceClaimName, fix: 'use resourceClaimTemplateName: each pod gets its own claim from the template', severity: Severity.ERROR }], pod.prefix);
        }
      });
      const text = pod.annotations[NETWORKS_ANNOTATION];
      const elements = typeof text === 'string' ? parseNetworksAnnotation(text).elements : [];
      // the NADs the SR-IOV driver runs for the pod's VfConfigs are attachments too (standalone mode)
      const attachmentResources = [...elements.map((e) => this.nadResources.get(`${e.namespace ?? pod.namespace}/${e.name}`)),
        ...vfNads.map((n) => this.nadResources.get(`${pod.namespace}/${n}`))];
      const resourceRequests: Record<string, number> = {};
      for (const c of Array.isArray(pod.spec.containers) ? pod.spec.containers : []) {
        const req = isObject(c) && isObject(c.resources) ? { ...(isObject(c.resources.limits) ? c.resources.limits : {}), ...(isObject(c.resources.requests) ? c.resources.requests : {}) } : {};
        for (const [k, v] of Object.entries(req)) resourceRequests[k] = (resourceRequests[k] ?? 0) + (Number(v) || 0);
      }
      const annotationField = pod.kind === 'Pod' ? 'metadata.annotations' : `${pod.prefix.replace(/\.spec$/, '')}.metadata.annotations`;
      for (const p of podDeviceProblems({ attachmentResources, claimSpecs: specs, resourceRequests })) {
        // an attachment past the annotation's is a VfConfig's NAD: the finding is the claims'
        const vf = /^attachments\[(\d+)\]/.exec(p.field);
        if (vf && Number(vf[1]) >= elements.length) {
          out.push({ file: pod.file, object: pod.object, field: `${pod.prefix}.resourceClaims`, message: p.message, value: p.value, fix: p.fix, severity: p.severity });
          continue;
        }
        const field = p.field.startsWith('attachments') ? `${annotationField}["${NETWORKS_ANNOTATION}"]${p.field.slice('attachments'.length)}` : `${pod.prefix}.${p.field}`;
        out.push({ file: pod.file, object: pod.object, field, message: p.message, value: p.value, fix: p.fix, severity: p.severity });
      }
    }
    return out;
  }

  private record(where: Where, prefix: string, problems: readonly Problem[]): void {
    for (const p of problems) {
      this.findingsSoFar.push({ ...where, field: prefix && p.field ? `${prefix}.${p.field}` : prefix || p.field, message: p.message, value: p.value, fix: p.fix, severity: p.severity });
    }
  }

  private checkClaim(where: Where, apiVersion: string, prefix: string, spec: unknown): void {
    if (!EXACTLY_VERSIONS.includes(apiVersion)) {
      this.record(where, '', [{ field: 'apiVersion', message: 'is an older DRA version (requests without exactly); Kubernetes 1.34 serves resource.k8s.io/v1', value: apiVersion,
        fix: 'write apiVersion resource.k8s.io/v1 with each request\'s deviceClassName, selectors, allocationMode and count under exactly', severity: Severity.WARNING }]);
      return;
    }
    this.record(where, prefix, networkClaimProblems(spec, this.profile));
  }

  private checkDeviceClass(where: Where, spec: unknown): void {
    const config = isObject(spec) && Array.isArray(spec.config) ? spec.config : [];
    config.forEach((c: unknown, i: number) => {
      const opaque = isObject(c) && isObject(c.opaque) ? c.opaque : undefined;
      if (!opaque || !isKnownNetworkDriver(opaque.driver)) return;
      const check = opaque.driver === CNI_DRA_DRIVER ? (p: unknown) => cniDraParameterProblems(p, this.profile)
        : opaque.driver === DRANET_DRIVER ? dranetParameterProblems : vfConfigProblems;
      this.record(where, `spec.config[${i}].opaque.parameters`, check(opaque.parameters));
    });
  }
}
