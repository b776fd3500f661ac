import { Construct, IConstruct } from 'constructs';
import { formatProblem, Severity } from './cni/problem';
import { modelRevision } from './cni/revision';
import { constructsOfApp, hookValidationPasses } from './validation-pass';
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

  /**
   * The errors of the last check, with what they were computed from: the model revision and the
   * networks and functions of the tree.
   */
  private last?: { readonly revision: number; readonly members: readonly IConstruct[]; readonly errors: string[] };

  private constructor(scope: Construct, id: string) {
    super(scope, id);
    hookValidationPasses(this);
    this.node.addValidation({ validate: () => this.validate() });
  }

  /** The App's topology as plain data. */
  public topology(): Topology {
    return this.topologyOf(this.members(this.node.root.node.findAll()));
  }

  /** The NADs, external networks and network functions among the constructs, in tree order. */
  private members(all: readonly IConstruct[]): IConstruct[] {
    const out: IConstruct[] = [];
    for (const c of all) {
      if (c instanceof NetworkAttachmentDefinition || c instanceof ExternalNetwork || c instanceof NetworkFunction) out.push(c);
    }
    return out;
  }

  private topologyOf(members: readonly IConstruct[]): Topology {
    const networks: TopologyNetwork[] = [];
    const pods: TopologyPod[] = [];
    for (const c of members) {
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
        const resources = c._deviceRequests();
        const perReplica = c.replicaAddressing === ReplicaAddressing.PER_REPLICA;
        const replicas = c.kind === WorkloadKind.DAEMON_SET ? undefined : perReplica ? 1 : c.replicas;
        const defaultNet = c.defaultNetwork;
        const defaultNetwork = defaultNet && !(defaultNet instanceof Network)
          ? { name: defaultNet.name, namespace: defaultNet.namespace ?? 'default' } : undefined;
        const workloads = c.workloads;
        for (let i = 0; i < workloads.length; i++) {
          const w = workloads[i];
          pods.push({
            name: w.name,
            namespace: c.namespace,
            path: w.node.path,
            replicas,
            attachments: c._readOnlySelectionElements(i),
            // NetworkFunction.attach checked each element when it was attached
            attachmentsChecked: true,
            defaultNetwork,
            resourceRequests: resources,
          });
        }
      }
    }
    return { networks, pods };
  }

  /**
   * cdk8s validates the whole App once per synth and again for every chart it renders, so the
   * check runs several times over the same tree in one synth: the errors are reused while the
   * model revision (advanced by every change the check can see) and the members of the tree are
   * the same, and only until the current synchronous run ends (a list given to an attachment and
   * changed in place afterwards is seen by the next synth).
   */
  private validate(): string[] {
    // the walk of the current validation pass, shared with the other App-wide checks
    const members = this.members(constructsOfApp(this));
    const revision = modelRevision();
    const last = this.last;
    if (last && last.revision === revision && sameMembers(last.members, members)) return last.errors;
    const errors = checkTopology(this.topologyOf(members))
      .filter((p) => p.severity === Severity.ERROR)
      .map(formatProblem);
    if (!this.last) queueMicrotask(() => { this.last = undefined; });
    this.last = { revision, members, errors };
    return errors;
  }
}

function sameMembers(a: readonly IConstruct[], b: readonly IConstruct[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
