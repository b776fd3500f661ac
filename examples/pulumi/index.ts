import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { App } from 'cdk8s';
// In your own program: import { Cdk8sDeployment } from 'cdk8s-nfv/pulumi';
import { Cdk8sDeployment } from '../../lib/pulumi';
import { buildExamples } from '../main';

/**
 * Deploys the example charts with Pulumi: the same charts as `npx cdk8s synth` (examples/main.ts),
 * each object its own resource under one Cdk8sDeployment, so `pulumi preview` lists every
 * Namespace, CRD, NetworkAttachmentDefinition and workload.
 *
 * Stack configuration:
 * - `context`: the kubeconfig context to deploy to (default: the current context);
 * - `charts`: comma-separated chart ids to deploy (default: `five-g`, the 5G core; a cluster gets
 *   one primary network, so deploy at most one of the cluster-network example charts).
 */
const config = new pulumi.Config();
const context = config.get('context') || undefined;
const wanted = (config.get('charts') ?? 'five-g').split(',').map((s) => s.trim()).filter((s) => s !== '');

const app = new App();
buildExamples(app);
const unknown = wanted.filter((id) => !app.charts.some((c) => c.node.id === id));
if (unknown.length > 0) {
  throw new Error(`'charts' names no example chart: got ${JSON.stringify(unknown)}; use ids among ${app.charts.map((c) => c.node.id).join(', ')}`);
}

/** An explicit provider for the configured context; every object inherits it through the component. */
const cluster = new k8s.Provider('cluster', { context });

const examples = new Cdk8sDeployment('nfv-examples',
  { charts: app.charts.filter((c) => wanted.includes(c.node.id)) },
  { provider: cluster });

/** The deployed objects, `<apiVersion>/<kind>/<namespace>/<name>`. */
export const objects = Object.keys(examples.resources);
