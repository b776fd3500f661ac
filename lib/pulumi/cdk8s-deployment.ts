import * as pulumi from '@pulumi/pulumi';
import { ApiObject, App, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { assertProps, pArray, pBool, pEnum, pInstance, propsShape, pString } from '../cni/props-check';
import { ExtraDependency, KubeObject, PlannedObject, apiGroup, objectKey, planDeployment } from './deployment-plan';
import { missingCrdWarning } from './crd-check';
import { createKubeResource } from './kinds';
import { DeletionPropagation, providerAnnotationOptions, withProviderAnnotations } from './provider-annotations';

/** Arguments of a {@link Cdk8sDeployment}. Plain values: they drive synthesis, not other resources. */
export interface Cdk8sDeploymentArgs {
  /**
   * The charts to deploy; charts nested in them are deployed too, as `cdk8s synth` writes them.
   * @default - none (then `app` must be set)
   */
  readonly charts?: readonly Chart[];
  /**
   * An app whose every chart is deployed, in the order `cdk8s synth` writes them.
   * @default - none (then `charts` must be set)
   */
  readonly app?: App;
  /**
   * Keep CustomResourceDefinitions in the cluster when Pulumi deletes them (`retainOnDelete`):
   * deleting a CRD deletes every object of its kind in the whole cluster, including objects other
   * stacks and teams made (deleting the NAD CRD removes every NetworkAttachmentDefinition).
   * Set to false to delete them with the stack. Other objects follow the component's own
   * `retainOnDelete` option.
   * @default true
   */
  readonly retainCustomResourceDefinitions?: boolean;
  /**
   * Wait for each object to be ready, as the Kubernetes provider does (Deployments rolled out,
   * DaemonSets scheduled, ...). False sets `pulumi.com/skipAwait: "true"` on every object sent:
   * an update then ends once the API server holds the objects, for clusters where nothing would
   * make them ready (no kubelet or controllers) or pipelines that check readiness themselves.
   * Deletes of Namespaces and workloads then do not wait either.
   * @default true
   */
  readonly awaitReadiness?: boolean;
  /**
   * Objects not to wait for, by their keys in `resources`
   * (`<apiVersion>/<kind>/<namespace>/<name>`), when `awaitReadiness` is true. An object carrying
   * its own `pulumi.com/skipAwait` annotation keeps it.
   * @default - none
   */
  readonly skipAwait?: readonly string[];
  /**
   * How the API server deletes each object's dependents when Pulumi deletes the object
   * (`pulumi.com/deletionPropagationPolicy`). The provider's own default, foreground, leaves the object
   * in place until the garbage collector (kube-controller-manager) has removed its dependents:
   * on a control plane without one, deletes never finish. `background` deletes the object at once.
   * @default - the provider's (foreground)
   */
  readonly deletionPropagation?: DeletionPropagation;
}

/**
 * The options of the component that its children inherit explicitly. `provider`/`providers`,
 * `protect`, `transformations` and `transforms` reach the children through their parent.
 */
const INHERITED_OPTIONS = ['ignoreChanges', 'replaceOnChanges', 'customTimeouts', 'retainOnDelete', 'deletedWith'] as const;

/**
 * Deploys cdk8s charts with Pulumi, one Pulumi Kubernetes resource per synthesized object.
 *
 * The charts are synthesized in memory with `chart.toJson()`, which resolves and validates them
 * exactly like `cdk8s synth`, and every object becomes its own resource under this component, so
 * each is visible in `pulumi preview` and diffed on its own: built-in kinds through their typed
 * `@pulumi/kubernetes` classes, everything else (NetworkAttachmentDefinition, MultiNetworkPolicy,
 * whereabouts IPPool, Calico and Cilium resources ...) as `k8s.apiextensions.CustomResource`.
 * The inputs of each resource are the synthesized object, unchanged.
 *
 * Order (`dependsOn`): Namespaces before the objects in them, CustomResourceDefinitions before
 * their custom resources, NetworkAttachmentDefinitions before the workloads whose pods attach to
 * them, ServiceAccounts, ConfigMaps, Secrets and claims before the workloads that use them, and
 * every `addDependency` of the constructs.
 *
 * Resource names are `<name>-<kind>[.<group>]-[<namespace>/]<object name>`, e.g.
 * `nfv-networkattachmentdefinition.k8s.cni.cncf.io-ran/f1`: they depend only on the object, so
 * adding objects never replaces existing ones.
 *
 * @example
 * const app = new cdk8s.App();
 * new MyNetworksChart(app, 'networks');
 * const nfv = new Cdk8sDeployment('nfv', { app }, { provider: clusterProvider });
 * new k8s.core.v1.ConfigMap('after', { ... }, { dependsOn: [nfv] });
 */
export class Cdk8sDeployment extends pulumi.ComponentResource {
  /** The type token: part of every child's URN, never to change. */
  public static readonly TYPE = 'cdk8s-nfv:index:Cdk8sDeployment';

  /** The resources, keyed `<apiVersion>/<kind>/<namespace>/<name>` (`<apiVersion>/<kind>/<name>` without a namespace). */
  public readonly resources: Readonly<Record<string, pulumi.CustomResource>>;
  /** The synthesized objects with their keys and dependencies, in registration order. */
  public readonly plan: readonly PlannedObject[];
  /** Whether CustomResourceDefinitions are retained on delete. */
  public readonly retainCustomResourceDefinitions: boolean;

  constructor(name: string, args: Cdk8sDeploymentArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super(Cdk8sDeployment.TYPE, name, {}, opts);
    assertProps(ARGS_SHAPE, args, `Cdk8sDeployment ${name}`);
    this.retainCustomResourceDefinitions = args.retainCustomResourceDefinitions ?? true;

    const charts = chartsOf(args);
    const { objects, labels, extra } = synthesize(charts);
    this.plan = planDeployment(objects, extra, labels);
    const annotate = providerAnnotationOptions(args, this.plan.map((p) => p.key));
    const crdWarning = missingCrdWarning(objects);
    if (crdWarning) void pulumi.log.warn(crdWarning, this);

    const inherited: pulumi.CustomResourceOptions = {};
    for (const key of INHERITED_OPTIONS) {
      if (opts[key] !== undefined) (inherited as Record<string, unknown>)[key] = opts[key];
    }
    // Children also wait for what the component waits for, so deletes run in the right order too.
    const componentDependsOn = opts.dependsOn === undefined ? [] : [opts.dependsOn as pulumi.Input<pulumi.Resource>];

    const labelOf = new Map(objects.map((o, i) => [o, labels[i]]));
    const resources: Record<string, pulumi.CustomResource> = {};
    for (const planned of this.plan) {
      const obj = planned.object;
      const isCrd = apiGroup(obj.apiVersion) === 'apiextensions.k8s.io' && obj.kind === 'CustomResourceDefinition';
      resources[planned.key] = createKubeResource(`${name}-${planned.suffix}`, withProviderAnnotations(obj, planned.key, annotate), {
        ...inherited,
        ...(isCrd ? { retainOnDelete: this.retainCustomResourceDefinitions } : {}),
        parent: this,
        dependsOn: [...planned.dependencies.map((d) => resources[d.key]), ...componentDependsOn],
      }, labelOf.get(obj)!);
    }
    this.resources = resources;

    this.registerOutputs({ resources: this.resources });
  }

  /**
   * The resource of one object. `kind` is a kind (`Deployment`) or, when two API groups share
   * it, `<apiVersion>/<kind>` (`networking.k8s.io/v1/NetworkPolicy`).
   * @param namespace the object's `metadata.namespace`; leave it out for objects without one
   */
  public getResource(kind: string, name: string, namespace?: string): pulumi.CustomResource {
    const matches = this.plan.filter((p) => {
      const o = p.object;
      const kindMatches = o.kind === kind || `${o.apiVersion}/${o.kind}` === kind;
      return kindMatches && o.metadata?.name === name && (o.metadata?.namespace ?? undefined) === (namespace || undefined);
    });
    const wanted = [kind, namespace, name].filter((x) => x).join('/');
    if (matches.length === 0) {
      const known = this.plan.filter((p) => p.object.kind === kind || `${p.object.apiVersion}/${p.object.kind}` === kind).map((p) => p.key);
      throw new Error(`'kind/namespace/name' matches no object of this deployment: got ${JSON.stringify(wanted)}; `
        + (known.length > 0 ? `objects of that kind: ${known.join(', ')}` : 'check the kind, name and namespace'));
    }
    if (matches.length > 1) {
      throw new Error(`'kind' matches objects of more than one API group: got ${JSON.stringify(kind)}; `
        + `write <apiVersion>/<kind>, one of ${matches.map((m) => `${m.object.apiVersion}/${m.object.kind}`).join(', ')}`);
    }
    return this.resources[matches[0].key];
  }
}

/** The charts to deploy: the app's charts in synth order, then the given charts and their nested charts, each once. */
/** What the args may hold, checked at runtime for callers without a type checker. */
const ARGS_SHAPE = propsShape('Cdk8sDeployment', {
  charts: pArray(pInstance([Chart], 'a cdk8s Chart', 'pass Chart instances, or the App as \'app\'')),
  app: pInstance([App], 'a cdk8s App', 'pass the App whose charts to deploy'),
  retainCustomResourceDefinitions: pBool(),
  awaitReadiness: pBool(),
  skipAwait: pArray(pString()),
  deletionPropagation: pEnum(['foreground', 'background', 'orphan']),
});

function chartsOf(args: Cdk8sDeploymentArgs): Chart[] {
  const charts: Chart[] = [];
  const add = (c: Chart): void => {
    if (!charts.includes(c)) charts.push(c);
  };
  if (args.app) args.app.charts.forEach(add);
  for (const chart of args.charts ?? []) {
    if (!(chart instanceof Chart)) {
      throw new Error(`'charts' must hold cdk8s charts: got ${JSON.stringify(String(chart))}; pass Chart instances, or the App as 'app'`);
    }
    chart.node.findAll().filter((c): c is Chart => c instanceof Chart).forEach(add);
  }
  if (charts.length === 0) {
    throw new Error(`'charts' and 'app' hold no chart: got ${JSON.stringify({ charts: args.charts?.length ?? 0, app: args.app ? 'an app without charts' : undefined })}; `
      + 'pass the charts to deploy or the App that holds them');
  }
  return charts;
}

/** Synthesizes the charts (validation included) and finds the dependencies the constructs declared. */
function synthesize(charts: readonly Chart[]): { objects: KubeObject[]; labels: string[]; extra: ExtraDependency[] } {
  const objects: KubeObject[] = [];
  const labels: string[] = [];
  for (const chart of charts) {
    (chart.toJson() as KubeObject[]).forEach((o, i) => {
      objects.push(o);
      labels.push(`charts[${chart.node.path}][${i}]`);
    });
  }
  // chart.toJson() has resolved the construct dependencies into ApiObject and Chart dependencies.
  const index = new Map<string, number>();
  objects.forEach((o, i) => index.set(objectKey(o.apiVersion, o.kind, o.metadata?.name ?? '', o.metadata?.namespace), i));
  const indexOf = (a: ApiObject): number | undefined => index.get(objectKey(a.apiVersion, a.kind, a.name, a.metadata.namespace));
  const apiObjectsOf = (scope: IConstruct): ApiObject[] => {
    const chart = Chart.of(scope);
    return scope.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject && Chart.of(c) === chart);
  };
  const extra: ExtraDependency[] = [];
  const link = (from: IConstruct[], to: IConstruct[]): void => {
    for (const f of from.flatMap(apiObjectsOf)) {
      for (const t of to.flatMap(apiObjectsOf)) {
        const fi = indexOf(f);
        const ti = indexOf(t);
        if (fi !== undefined && ti !== undefined && fi !== ti) extra.push({ from: fi, to: ti });
      }
    }
  };
  for (const chart of charts) {
    for (const dep of chart.node.dependencies) if (dep instanceof Chart) link([chart], [dep]);
    for (const obj of apiObjectsOf(chart)) {
      for (const dep of obj.node.dependencies) if (!(dep instanceof Chart)) link([obj], [dep]);
    }
  }
  return { objects, labels, extra };
}
