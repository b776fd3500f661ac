import * as path from 'path';
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { App, Chart, Include } from 'cdk8s';
// In your own program: import { Cdk8sDeployment, DeletionPropagation } from 'cdk8s-nfv/pulumi';
import { Cdk8sDeployment, DeletionPropagation } from '../../lib/pulumi';

/** The stack configuration of the example program (see Pulumi.yaml). */
export interface ExamplesConfig {
  /** The kubeconfig context; undefined: the current context. */
  readonly context?: string;
  /** Ids of the example charts to deploy. */
  readonly charts: readonly string[];
  /** Also deploy the CRDs the charts use (NetworkAttachmentDefinition, MultiNetworkPolicy). */
  readonly installCrds: boolean;
  /** Wait for each object to be ready (false on clusters without kubelets or controllers). */
  readonly awaitReadiness: boolean;
  /** How deletes propagate; undefined: the provider's (foreground). */
  readonly deletionPropagation?: DeletionPropagation;
}

/** Reads the stack configuration, with the defaults Pulumi.yaml documents. */
export function readExamplesConfig(config: pulumi.Config = new pulumi.Config()): ExamplesConfig {
  const propagation = config.get('deletionPropagation') || undefined;
  return {
    context: config.get('context') || undefined,
    charts: (config.get('charts') || 'five-g').split(',').map((s) => s.trim()).filter((s) => s !== ''),
    installCrds: config.getBoolean('installCrds') ?? false,
    awaitReadiness: config.getBoolean('awaitReadiness') ?? true,
    deletionPropagation: propagation as DeletionPropagation | undefined,
  };
}

/** The CRDs the example charts use, as cdk8s-nfv ships them (crds/). */
export function crdsChart(): Chart {
  const chart = new Chart(new App(), 'crds');
  for (const file of ['network-attachment-definition.yaml', 'multi-networkpolicy.yaml']) {
    new Include(chart, file, { url: path.join(__dirname, '..', '..', 'crds', file) });
  }
  return chart;
}

/**
 * Deploys the chosen charts of `app` (built by `buildExamples`) as one Cdk8sDeployment named
 * `nfv-examples`, through an explicit provider named `cluster`.
 */
export function deployExamples(app: App, config: ExamplesConfig): Cdk8sDeployment {
  const unknown = config.charts.filter((id) => !app.charts.some((c) => c.node.id === id));
  if (unknown.length > 0) {
    throw new Error(`'charts' names no example chart: got ${JSON.stringify(unknown)}; use ids among ${app.charts.map((c) => c.node.id).join(', ')}`);
  }
  /** An explicit provider for the configured context; every object inherits it through the component. */
  const cluster = new k8s.Provider('cluster', { context: config.context });
  return new Cdk8sDeployment('nfv-examples', {
    charts: [...(config.installCrds ? [crdsChart()] : []), ...app.charts.filter((c) => config.charts.includes(c.node.id))],
    awaitReadiness: config.awaitReadiness,
    deletionPropagation: config.deletionPropagation,
  }, { provider: cluster });
}
