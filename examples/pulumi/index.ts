import { App } from 'cdk8s';
import { buildExamples } from '../main';
import { deployExamples, readExamplesConfig } from './program';

/**
 * Deploys the example charts with Pulumi: the same charts as `npx cdk8s synth` (examples/main.ts),
 * each object its own resource under one Cdk8sDeployment, so `pulumi preview` lists every
 * Namespace, CRD, NetworkAttachmentDefinition and workload.
 *
 * Stack configuration (Pulumi.yaml):
 * - `context`: the kubeconfig context to deploy to (default: the current context);
 * - `charts`: comma-separated chart ids to deploy (default: `five-g`, the 5G core; a cluster gets
 *   one primary network, so deploy at most one of the cluster-network example charts);
 * - `installCrds`: also deploy the NetworkAttachmentDefinition and MultiNetworkPolicy CRDs
 *   (default: false, the cluster has them from Multus and the policy daemon);
 * - `awaitReadiness`: wait for each object to be ready (default: true);
 * - `deletionPropagation`: foreground (the provider's default), background or orphan.
 */
const app = new App();
buildExamples(app);
const examples = deployExamples(app, readExamplesConfig());

/** The deployed objects, `<apiVersion>/<kind>/<namespace>/<name>`. */
export const objects = Object.keys(examples.resources);
