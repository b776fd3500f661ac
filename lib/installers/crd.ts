/**
 * CustomResourceDefinitions written in code (never read from files at run time): the
 * NetworkAttachmentDefinition CRD that Multus installs, and a small helper for the simplified
 * CRDs of other installers (whereabouts).
 */
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';

/** What a namespaced, single-version CRD needs. */
export interface SimpleCrdProps {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly plural: string;
  /** @default - kind in lowercase */
  readonly singular?: string;
  /** @default - none */
  readonly shortNames?: string[];
  /** @default 'Namespaced' */
  readonly scope?: 'Namespaced' | 'Cluster';
  /** The openAPIV3Schema of the version. */
  readonly schema: k8s.JsonSchemaProps;
  /** Whether the version has a `status` subresource. @default false */
  readonly statusSubresource?: boolean;
  /** @default - none */
  readonly labels?: Record<string, string>;
  /** @default - none */
  readonly annotations?: Record<string, string>;
}

/** Creates a single-version CRD named `<plural>.<group>` under `scope` with id `id`. */
export function simpleCrd(scope: Construct, id: string, props: SimpleCrdProps): k8s.KubeCustomResourceDefinition {
  return new k8s.KubeCustomResourceDefinition(scope, id, {
    metadata: { name: `${props.plural}.${props.group}`, labels: props.labels, annotations: props.annotations },
    spec: {
      group: props.group,
      scope: props.scope ?? 'Namespaced',
      names: {
        kind: props.kind,
        listKind: `${props.kind}List`,
        plural: props.plural,
        singular: props.singular ?? props.kind.toLowerCase(),
        shortNames: props.shortNames,
      },
      versions: [{
        name: props.version,
        served: true,
        storage: true,
        schema: { openApiv3Schema: props.schema },
        subresources: props.statusSubresource ? { status: {} } : undefined,
      }],
    },
  });
}

/** The NetworkAttachmentDefinition CRD (`k8s.cni.cncf.io/v1`), as the Multus manifests install it. */
export function networkAttachmentDefinitionCrd(scope: Construct, id: string): k8s.KubeCustomResourceDefinition {
  return simpleCrd(scope, id, {
    group: 'k8s.cni.cncf.io',
    version: 'v1',
    kind: 'NetworkAttachmentDefinition',
    plural: 'network-attachment-definitions',
    singular: 'network-attachment-definition',
    shortNames: ['nad', 'net-attach-def'],
    schema: {
      description: 'A NetworkAttachmentDefinition (Network Plumbing Working Group multi-network specification) attaches pods to an additional network through a CNI delegating plugin such as Multus.',
      type: 'object',
      properties: {
        apiVersion: { type: 'string', description: 'The versioned schema of this representation of an object.' },
        kind: { type: 'string', description: 'The REST resource this object represents.' },
        metadata: { type: 'object' },
        spec: {
          type: 'object',
          description: 'The network attachment; an empty spec means the CNI configuration is a file on each node whose name equals the object name.',
          properties: {
            config: { type: 'string', description: 'A JSON-formatted CNI configuration: a single plugin or a plugin list.' },
          },
        },
      },
    },
  });
}
