import { Construct, IConstruct } from 'constructs';
import { formatProblem, Severity } from './cni/problem';
import { ExternalNetwork } from './external-network';
import { Network } from './network';
import { NetworkAttachmentDefinition } from './network-attachment-definition';
import { NetworkFunction, ReplicaAddressing, WorkloadKind } from './network-function';
import { Topology, TopologyNetwork, TopologyPod, checkTopology } from './topology/topology';

const ID = 'NfvTopologyValidation';

/**
 * The whole-topology check of an App: one per App, at its root, created by the first network
 * function. At synth (and `Testing.synth`), it gathers every NAD, external network and network
 * function of every chart and reports every problem at once, each with the construct path of the
 * object at fault.
 */
export class TopologyValidation extends Construct {
  /** The App's validation, created on first use. */
  public static of(scope: IConstruct): TopologyValidation {
    const root = scope.node.root;
    return (root.node.tryFindChild(ID) as TopologyValidation | undefined) ?? new TopologyValidation(root as Construct, ID);
  }

  private constructor(scope: Construct, id: string) {
    super(scope, id);
    this.node.addValidation({ validate: () => this.validate() });
  }

  /** The App's topology as plain data. */
  public topology(): Topology {
    const all = this.node.root.node.findAll();
    const networks: TopologyNetwork[] = [];
    const pods: TopologyPod[] = [];
    for (const c of all) {
      if (c instanceof NetworkAttachmentDefinition) {
        const logical = Network.of(c);
        networks.push({
          name: c.name,
          namespace: c.namespace ?? 'default',
          config: c.config,
          resourceName: c.resourceName,
          path: c.node.path,
          addressSpace: logical?.node.path,
          subnets: logical?.subnets,
          gateways: logical?.gateways,
        });
      } else if (c instanceof ExternalNetwork) {
        networks.push({ name: c.name, namespace: c.namespace, resourceName: c.resourceName, path: c.node.path, external: true });
      } else if (c instanceof NetworkFunction) {
        const resources: Record<string, number> = {};
        for (const a of c.attachments) {
          const r = a.target instanceof ExternalNetwork ? a.target.resourceName
            : a.target instanceof NetworkAttachmentDefinition ? a.target.resourceName
              : a.target.nadFor(c.namespace).resourceName;
          if (r) resources[r] = (resources[r] ?? 0) + 1;
        }
        const perReplica = c.replicaAddressing === ReplicaAddressing.PER_REPLICA;
        const defaultNet = c.defaultNetwork;
        const defaultNetwork = defaultNet && !(defaultNet instanceof Network)
          ? { name: defaultNet.name, namespace: defaultNet.namespace ?? 'default' } : undefined;
        c.workloads.forEach((w, i) => {
          pods.push({
            name: w.name,
            namespace: c.namespace,
            path: w.node.path,
            replicas: c.kind === WorkloadKind.DAEMON_SET ? undefined : perReplica ? 1 : c.replicas,
            attachments: c._readOnlySelectionElements(i),
            // NetworkFunction.attach checked each element when it was attached
            attachmentsChecked: true,
            defaultNetwork,
            resourceRequests: resources,
          });
        });
      }
    }
    return { networks, pods };
  }

  private validate(): string[] {
    return checkTopology(this.topology())
      .filter((p) => p.severity === Severity.ERROR)
      .map(formatProblem);
  }
}
