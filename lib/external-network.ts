import { Construct } from 'constructs';
import { ProblemSink, reportProblems } from './cni/problem';
import { assertProps, pString, propsShape } from './cni/props-check';
import { DNS1123_LABEL, EXTENDED_RESOURCE_NAME } from './multus/selection-element';

/** The brand of an {@link ExternalNetwork} (shared by every copy of the library). */
const EXTERNAL_NETWORK_BRAND = Symbol.for('cdk8s-nfv.ExternalNetwork');

/** Properties of an {@link ExternalNetwork}. */
export interface ExternalNetworkProps {
  /** The NAD's name. */
  readonly name: string;
  /** The NAD's namespace. */
  readonly namespace: string;
  /**
   * The device-plugin resource of the NAD, when it has one (drives SR-IOV resource requests).
   * @default - none
   */
  readonly resourceName?: string;
}

/** The shape of {@link ExternalNetworkProps}. */
const EXTERNAL_SHAPE = propsShape('ExternalNetworkProps', {
  name: { type: pString(), required: 'give the NAD name as it exists in the cluster' },
  namespace: { type: pString(), required: 'give the namespace the NAD lives in' },
  resourceName: pString(),
});

/**
 * A NetworkAttachmentDefinition that exists outside the App (created by another team or tool),
 * declared explicitly with its namespace so attachments to it are deliberate, not typos.
 */
export class ExternalNetwork extends Construct {
  public readonly name: string;
  public readonly namespace: string;
  public readonly resourceName?: string;

  constructor(scope: Construct, id: string, props: ExternalNetworkProps) {
    super(scope, id);
    assertProps(EXTERNAL_SHAPE, props, `ExternalNetwork ${this.node.path}`);
    this.name = props.name;
    this.namespace = props.namespace;
    this.resourceName = props.resourceName;
    const sink = new ProblemSink();
    if (!DNS1123_LABEL.test(props.name) || props.name.length > 63) sink.error('name', 'is not a DNS-1123 label of at most 63 characters', props.name, 'use the NAD name as it exists in the cluster');
    if (!DNS1123_LABEL.test(props.namespace) || props.namespace.length > 63) sink.error('namespace', 'is not a DNS-1123 label of at most 63 characters', props.namespace, 'use the namespace the NAD lives in');
    if (props.resourceName !== undefined && !EXTENDED_RESOURCE_NAME.test(props.resourceName)) {
      sink.error('resourceName', 'is not an extended resource name', props.resourceName, 'write vendor-domain/resource, e.g. "intel.com/sriov_netdevice"');
    }
    reportProblems(sink.problems, `ExternalNetwork ${this.node.path}`);
    Object.defineProperty(this, EXTERNAL_NETWORK_BRAND, { value: true, enumerable: false });
  }

  /**
   * Whether a value is an ExternalNetwork of this library (by a `Symbol.for` brand, so that it also
   * holds across copies of the library, unlike instanceof).
   */
  public static isExternalNetwork(x: unknown): x is ExternalNetwork {
    return x !== null && typeof x === 'object' && (x as Record<symbol, unknown>)[EXTERNAL_NETWORK_BRAND] === true;
  }

  /** The NAD that pods reference when they attach to it (an attach target). */
  public networkReference(_podNamespace: string): { readonly name: string; readonly namespace: string; readonly resourceName?: string } {
    return { name: this.name, namespace: this.namespace, resourceName: this.resourceName };
  }

  /** `namespace/name`. */
  public get qualifiedName(): string {
    return `${this.namespace}/${this.name}`;
  }
}
