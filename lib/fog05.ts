import { Chart, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { interfaceNameProblem } from './cni/field';
import { Problem, ProblemSink, reportProblems } from './cni/problem';
import { PluginsProfile } from './cni/profile';
import { DNS1123_LABEL } from './multus/selection-element';
import { IpamMode, Network, NetworkPlugin } from './network';
import { NetworkFunction, WorkloadKind } from './network-function';

/**
 * Migration from Eclipse fog05: an entity descriptor (the format of the talk this project starts
 * from) becomes a network function on Kubernetes. The mapping:
 *
 * | fog05 | Kubernetes |
 * |---|---|
 * | `entity_data.name` | workload and container name (made a DNS-1123 label) |
 * | `entity_data.cpu` (vCPUs) | CPU request and limit, in cores |
 * | `entity_data.memory` (MB) | memory request and limit, in Mi |
 * | `entity_data.disk_size` (GB) | ephemeral-storage request and limit, in Gi |
 * | `entity_data.base_image` | container image, through {@link DEFAULT_FOG05_IMAGES} and `images` |
 * | `networks[].br_name` | a bridge network: one NAD (bridge plugin on that Linux bridge) |
 * | `networks[].intf_name` | the pod's interface on that network (`eth0` must be renamed) |
 * | `uuid`, `entity_data.uuid`, `type` | annotations on the workload, for traceability |
 */

/** One network interface of a fog05 entity. */
export interface Fog05NetworkInterface {
  /** The interface name inside the entity. */
  readonly intf_name: string;
  /** The Linux bridge on the node the interface is plugged into. */
  readonly br_name: string;
}

/** The `entity_data` of a fog05 entity descriptor. */
export interface Fog05EntityData {
  readonly name: string;
  readonly uuid: string;
  /** Virtual CPUs. */
  readonly cpu: number;
  /** Memory in MB. */
  readonly memory: number;
  /** Disk size in GB. */
  readonly disk_size: number;
  /** The image the entity boots (an image name, or a URL for VMs). */
  readonly base_image: string;
  readonly networks: readonly Fog05NetworkInterface[];
}

/** A fog05 entity descriptor (wire keys as fog05 writes them). */
export interface Fog05Descriptor {
  readonly name: string;
  readonly version: number | string;
  /** The fog05 runtime (e.g. `lxd`, `kvm`, `native`). */
  readonly type: string;
  readonly uuid: string;
  readonly entity_data: Fog05EntityData;
}

/**
 * Container images for the fog05 base images that have one. A base image not listed here (a
 * VM disk URL, an LXD alias of your own) needs an entry in `images`, or must itself be a pinned
 * container image reference such as `registry.example.com/team/app:1.2.3`.
 */
export const DEFAULT_FOG05_IMAGES: Readonly<Record<string, string>> = {
  'ubuntu': 'docker.io/library/ubuntu:22.04',
  'ubuntu:20.04': 'docker.io/library/ubuntu:20.04',
  'ubuntu:22.04': 'docker.io/library/ubuntu:22.04',
  'ubuntu:24.04': 'docker.io/library/ubuntu:24.04',
  'debian': 'docker.io/library/debian:12',
  'debian:12': 'docker.io/library/debian:12',
  'alpine': 'docker.io/library/alpine:3.20',
  'alpine:3.20': 'docker.io/library/alpine:3.20',
};

/** Annotations the workload carries, naming the fog05 entity it came from. */
export const FOG05_ANNOTATIONS = {
  /** The descriptor's `uuid`. */
  UUID: 'nfv.cdk8s.io/fog05-uuid',
  /** The `entity_data.uuid`. */
  ENTITY_UUID: 'nfv.cdk8s.io/fog05-entity-uuid',
  /** The descriptor's `type` (the fog05 runtime). */
  TYPE: 'nfv.cdk8s.io/fog05-type',
  /** The `entity_data.base_image` as written. */
  BASE_IMAGE: 'nfv.cdk8s.io/fog05-base-image',
} as const;

/** How one bridge of the descriptor becomes a network. */
export interface Fog05BridgeOptions {
  /**
   * The NAD name.
   * @default - the bridge name made a DNS-1123 label (lowercase; `_` and other characters become `-`)
   */
  readonly name?: string;
  /**
   * Subnets of the bridge's segment, e.g. ['192.168.100.0/24'].
   * @default - none: the network assigns no addresses (IPAM none), as fog05 left addressing to the entity
   */
  readonly subnets?: readonly string[];
  /** @default - the first address of each subnet for pool IPAM */
  readonly gateways?: readonly string[];
  /** @default IpamMode.HOST_LOCAL when subnets are given, IpamMode.NONE otherwise */
  readonly ipam?: IpamMode;
}

/** Options of the conversion, shared by the construct and the command line. */
export interface Fog05ConversionOptions {
  /**
   * The name the entity's `eth0` gets in the pod: Kubernetes gives `eth0` to the cluster network,
   * so an additional network cannot use it.
   * @default - an `eth0` in the descriptor is refused
   */
  readonly renameEth0?: string;
  /**
   * Container images by fog05 base image, consulted before {@link DEFAULT_FOG05_IMAGES}.
   * @default - only the default table
   */
  readonly images?: Readonly<Record<string, string>>;
  /**
   * Per bridge (by `br_name`): NAD name and addressing.
   * @default - every bridge: NAD named after it, no IPAM
   */
  readonly bridges?: Readonly<Record<string, Fog05BridgeOptions>>;
}

/** Properties of a {@link Fog05Entity}. */
export interface Fog05EntityProps extends Fog05ConversionOptions {
  /** The descriptor, as parsed JSON (checked field by field; see {@link parseFog05Descriptor}). */
  readonly descriptor: Fog05Descriptor;
  /**
   * The namespace of the workload and the NADs.
   * @default - the chart's namespace, else "default"
   */
  readonly namespace?: string;
  /** @default WorkloadKind.DEPLOYMENT */
  readonly kind?: WorkloadKind;
  /**
   * The container command. A fog05 entity is a long-running machine, while an OS image's default
   * command (a shell) exits at once without a terminal.
   * @default ['sleep', 'infinity']
   */
  readonly command?: readonly string[];
  /**
   * Container ports the entity serves on the cluster network (a StatefulSet needs one).
   * @default - none
   */
  readonly ports?: readonly number[];
  /**
   * Linux capabilities the entity needs (e.g. NET_ADMIN to configure its interfaces).
   * @default - none (all dropped)
   */
  readonly capabilities?: readonly kplus.Capability[];
  /**
   * Refuse to run as root. The OS base images run as root, so this is off unless asked for; every
   * capability is still dropped and privilege escalation is off.
   * @default false
   */
  readonly runAsNonRoot?: boolean;
  /** The profile the bridge NADs are checked against. @default PluginsProfile.UPSTREAM */
  readonly profile?: PluginsProfile;
}

/**
 * The largest amounts a descriptor may ask for, so that every amount is written as a plain
 * Kubernetes quantity (digits and a suffix, never `1e+308`): 1,024 virtual CPUs, 16 TiB of
 * memory (16,777,216 MB), 1 PiB of disk (1,048,576 GB).
 */
export const FOG05_LIMITS = {
  /** Virtual CPUs (`entity_data.cpu`). */
  maxCpu: 1024,
  /** Memory in MB (`entity_data.memory`): 16 TiB. */
  maxMemoryMb: 16 * 1024 * 1024,
  /** Disk in GB (`entity_data.disk_size`): 1 PiB. */
  maxDiskGb: 1024 * 1024,
} as const;

const UUID_RE = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const ROOT_KEYS = ['name', 'version', 'type', 'uuid', 'entity_data'];
const ENTITY_KEYS = ['name', 'uuid', 'cpu', 'memory', 'disk_size', 'base_image', 'networks'];
const NETWORK_KEYS = ['intf_name', 'br_name'];

/** Makes a name a DNS-1123 label: lowercase, other characters become `-`, at most `max` characters. */
export function toDnsLabel(name: string, max: number = 63): string {
  return name.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+/, '').slice(0, max).replace(/-+$/, '');
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isPinnedImage(ref: string): boolean {
  return !ref.includes('://') && ref.includes('/') && (/@sha256:[0-9a-f]{64}$/.test(ref) || (/:[\w][\w.-]*$/.test(ref.split('/').pop() ?? '') && !/:latest$/.test(ref)));
}

/** The own property `key` of a record, never one inherited (`constructor`, `__proto__` are plain keys). */
function own<T>(record: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return record !== undefined && record !== null && typeof record === 'object' && Object.hasOwn(record, key) ? record[key] : undefined;
}

/** The NAD name of a bridge. */
function nadNameOf(br: string, options: Fog05ConversionOptions): string {
  const name = own(options.bridges, br)?.name;
  return typeof name === 'string' ? name : toDnsLabel(br);
}

/**
 * The container image of a base image: `images`, then {@link DEFAULT_FOG05_IMAGES}, then the base
 * image itself when it is a pinned container image reference.
 */
export function fog05Image(baseImage: string, images: Readonly<Record<string, string>> = {}): string | undefined {
  const mapped = own(images, baseImage) ?? own(DEFAULT_FOG05_IMAGES, baseImage);
  if (typeof mapped === 'string') return mapped;
  return isPinnedImage(baseImage) ? baseImage : undefined;
}

/** The types of the conversion options, for callers without a type checker. */
function conversionOptionProblems(options: Fog05ConversionOptions, sink: ProblemSink): void {
  if (!isObject(options)) {
    sink.error('options', 'must be an object', options, 'pass {renameEth0?, images?, bridges?}');
    return;
  }
  if (options.renameEth0 !== undefined && typeof options.renameEth0 !== 'string') {
    sink.error('renameEth0', 'must be a string', options.renameEth0, 'name the interface, e.g. "net-eth0"');
  }
  if (options.images !== undefined && !isObject(options.images)) {
    sink.error('images', 'must be an object of base image to container image', options.images, 'write images: {"ubuntu": "docker.io/library/ubuntu:22.04"}');
  }
  if (options.bridges === undefined) return;
  if (!isObject(options.bridges)) {
    sink.error('bridges', 'must be an object of bridge name to options', options.bridges, 'write bridges: {"lan01": {subnets: ["192.168.100.0/24"]}}');
    return;
  }
  const ipamModes: string[] = Object.values(IpamMode);
  for (const [br, b] of Object.entries(options.bridges)) {
    const f = `bridges[${JSON.stringify(br)}]`;
    if (!isObject(b)) {
      sink.error(f, 'must be an object', b, 'write {name?, subnets?, gateways?, ipam?}');
      continue;
    }
    if (b.name !== undefined && typeof b.name !== 'string') sink.error(`${f}.name`, 'must be a string', b.name, 'write a DNS-1123 label, e.g. "lan-1"');
    for (const key of ['subnets', 'gateways'] as const) {
      const v = b[key];
      if (v !== undefined && (!Array.isArray(v) || v.some((x) => typeof x !== 'string'))) {
        sink.error(`${f}.${key}`, 'must be a list of strings', v, key === 'subnets' ? 'write e.g. ["192.168.100.0/24"]' : 'write e.g. ["192.168.100.1"]');
      }
    }
    if (b.ipam !== undefined && !ipamModes.includes(b.ipam as string)) {
      sink.error(`${f}.ipam`, `must be one of ${ipamModes.map((m) => JSON.stringify(m)).join(', ')}`, b.ipam, 'use an IpamMode');
    }
  }
}

/**
 * Every problem of a descriptor and of the conversion options, each naming its field
 * (`entity_data.cpu`, `entity_data.networks[0].intf_name`, `images["ubuntu"]`, ...).
 */
export function fog05Problems(descriptor: unknown, options: Fog05ConversionOptions = {}): Problem[] {
  const sink = new ProblemSink();
  conversionOptionProblems(options, sink);
  if (!isObject(descriptor)) {
    sink.error('descriptor', 'must be a JSON object', descriptor, 'write {"name": ..., "version": ..., "type": ..., "uuid": ..., "entity_data": {...}}');
    return sink.problems;
  }
  const unknownKeys = (o: Record<string, unknown>, known: readonly string[], s: ProblemSink) => {
    for (const key of Object.keys(o)) {
      if (!known.includes(key)) s.error(key, 'is not a key of the fog05 entity descriptor this converter reads', o[key], `remove it; the keys are ${known.join(', ')}`);
    }
  };
  const nonEmptyString = (o: Record<string, unknown>, key: string, s: ProblemSink, fix: string) => {
    const v = o[key];
    if (v === undefined) s.error(key, 'is missing', v, fix);
    else if (typeof v !== 'string' || v.trim() === '') s.error(key, 'must be a non-empty string', v, fix);
  };
  const uuid = (o: Record<string, unknown>, key: string, s: ProblemSink) => {
    const v = o[key];
    if (v === undefined) s.error(key, 'is missing', v, 'write the entity\'s UUID, e.g. "6b51b74e-5f2a-4f51-9b3e-1c4f3a2d9e10"');
    else if (typeof v !== 'string' || !UUID_RE.test(v)) s.error(key, 'must be a UUID', v, 'write 8-4-4-4-12 hex digits, e.g. "6b51b74e-5f2a-4f51-9b3e-1c4f3a2d9e10"');
  };
  // an amount becomes a Kubernetes quantity: a whole number within its cap, so it is written as digits
  const positiveInt = (o: Record<string, unknown>, key: string, s: ProblemSink, what: string, max: number) => {
    const v = o[key];
    if (v === undefined) s.error(key, 'is missing', v, `write ${what} as a whole number such as 1`);
    else if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) s.error(key, 'must be a positive integer', v, `write ${what} as a whole number such as 1`);
    else if (v > max) s.error(key, `is more than the limit of ${max}`, v, `write ${what} as a whole number from 1 to ${max}`);
  };

  unknownKeys(descriptor, ROOT_KEYS, sink);
  nonEmptyString(descriptor, 'name', sink, 'write the descriptor name, e.g. "ubuntu-host"');
  const version = descriptor.version;
  if (version === undefined) sink.error('version', 'is missing', version, 'write the descriptor version, e.g. 1');
  else if (!((typeof version === 'number' && Number.isInteger(version) && version > 0) || (typeof version === 'string' && version.trim() !== ''))) {
    sink.error('version', 'must be a positive integer or a non-empty string', version, 'write the descriptor version, e.g. 1');
  }
  nonEmptyString(descriptor, 'type', sink, 'write the fog05 runtime of the entity, e.g. "lxd"');
  uuid(descriptor, 'uuid', sink);

  const data = descriptor.entity_data;
  const ds = sink.child('entity_data');
  if (data === undefined) {
    sink.error('entity_data', 'is missing', data, 'add "entity_data": {"name", "uuid", "cpu", "memory", "disk_size", "base_image", "networks"}');
  } else if (!isObject(data)) {
    sink.error('entity_data', 'must be an object', data, 'write "entity_data": {"name", "uuid", "cpu", "memory", "disk_size", "base_image", "networks"}');
  } else {
    unknownKeys(data, ENTITY_KEYS, ds);
    nonEmptyString(data, 'name', ds, 'write the entity name, e.g. "ubuntu-host"');
    if (typeof data.name === 'string' && data.name.trim() !== '' && toDnsLabel(data.name, 50) === '') {
      ds.error('name', 'has no letter or digit to make a Kubernetes name of', data.name, 'name the entity with letters and digits, e.g. "ubuntu-host"');
    }
    uuid(data, 'uuid', ds);
    positiveInt(data, 'cpu', ds, 'the number of virtual CPUs', FOG05_LIMITS.maxCpu);
    positiveInt(data, 'memory', ds, 'the memory in MB', FOG05_LIMITS.maxMemoryMb);
    positiveInt(data, 'disk_size', ds, 'the disk size in GB', FOG05_LIMITS.maxDiskGb);
    nonEmptyString(data, 'base_image', ds, 'write the base image, e.g. "ubuntu"');
    if (typeof data.base_image === 'string' && data.base_image.trim() !== '' && fog05Image(data.base_image, options.images) === undefined) {
      const example = JSON.stringify({ [data.base_image]: 'registry.example.com/team/image:1.0' });
      ds.error('base_image', 'has no container image mapping', data.base_image,
        `map it to a pinned container image: images: ${example} (command line: --image '${data.base_image}=registry.example.com/team/image:1.0'); known base images are ${Object.keys(DEFAULT_FOG05_IMAGES).join(', ')}`);
    }
    const networks = data.networks;
    if (networks === undefined) {
      ds.error('networks', 'is missing', networks, 'list the interfaces: "networks": [{"intf_name": "net1", "br_name": "lan01"}] (or [] for none)');
    } else if (!Array.isArray(networks)) {
      ds.error('networks', 'must be a list', networks, 'write "networks": [{"intf_name": "net1", "br_name": "lan01"}]');
    } else {
      const interfaces = new Map<string, number>();
      const nadOwners = new Map<string, string>();
      const rename = options.renameEth0;
      networks.forEach((entry, i) => {
        const ns = ds.child(`networks[${i}]`);
        if (!isObject(entry)) {
          ns.error('', 'must be an object', entry, 'write {"intf_name": "net1", "br_name": "lan01"}');
          return;
        }
        unknownKeys(entry, NETWORK_KEYS, ns);
        const intf = entry.intf_name;
        if (intf === undefined) ns.error('intf_name', 'is missing', intf, 'name the interface, e.g. "net1"');
        else if (typeof intf !== 'string') ns.error('intf_name', 'must be a string', intf, 'name the interface, e.g. "net1"');
        else {
          const problem = interfaceNameProblem(intf);
          if (problem) ns.error('intf_name', problem.message, intf, problem.fix);
          else if (intf === 'lo') ns.error('intf_name', 'is the loopback interface', intf, 'name the interface something else, e.g. "net1"');
          else if (intf === 'eth0' && rename === undefined) {
            ns.error('intf_name', 'collides with the pod\'s cluster interface (Kubernetes gives eth0 to the cluster network)', intf,
              'rename it: renameEth0: "net-eth0" (command line: --rename-eth0 net-eth0), and update the software in the image that expects eth0');
          }
          const final = intf === 'eth0' && rename !== undefined ? rename : intf;
          const prev = interfaces.get(final);
          if (prev !== undefined) {
            ns.error('intf_name', `gives the pod interface '${final}' twice (also networks[${prev}])`, intf, 'give every interface its own name');
          } else {
            interfaces.set(final, i);
          }
        }
        const br = entry.br_name;
        if (br === undefined) ns.error('br_name', 'is missing', br, 'name the Linux bridge, e.g. "lan01"');
        else if (typeof br !== 'string') ns.error('br_name', 'must be a string', br, 'name the Linux bridge, e.g. "lan01"');
        else {
          const problem = interfaceNameProblem(br);
          if (problem) ns.error('br_name', problem.message, br, problem.fix);
          const nad = nadNameOf(br, options);
          if (!DNS1123_LABEL.test(nad) || nad.length > 63) {
            ns.error('br_name', `gives the NAD name ${JSON.stringify(nad)}, which is not a DNS-1123 label`, br, `name the NAD: bridges: {${JSON.stringify(br)}: {name: "lan-1"}}`);
          } else {
            const owner = nadOwners.get(nad);
            if (owner !== undefined && owner !== br) {
              ns.error('br_name', `gives the NAD name '${nad}', as does bridge ${JSON.stringify(owner)}`, br, `name one of them: bridges: {${JSON.stringify(br)}: {name: "${nad}-2"}}`);
            }
            nadOwners.set(nad, br);
          }
        }
      });
      if (typeof rename === 'string') {
        const problem = interfaceNameProblem(rename);
        if (problem) sink.error('renameEth0', problem.message, rename, problem.fix);
        else if (rename === 'eth0' || rename === 'lo') sink.error('renameEth0', 'is a name Kubernetes reserves', rename, 'pick another name, e.g. "net-eth0"');
      }
      const used = new Set(networks.filter(isObject).map((e) => e.br_name));
      for (const br of Object.keys(isObject(options.bridges) ? options.bridges : {})) {
        if (!used.has(br)) sink.error(`bridges[${JSON.stringify(br)}]`, 'names a bridge the descriptor does not use', br, `use one of ${[...used].map((b) => JSON.stringify(b)).join(', ') || 'the br_name values'}`);
      }
    }
  }
  for (const [base, image] of Object.entries(isObject(options.images) ? options.images : {})) {
    if (typeof image !== 'string') {
      sink.error(`images[${JSON.stringify(base)}]`, 'must be a string', image, 'write registry/repository:tag (not latest) or registry/repository@sha256:<digest>');
    } else if (!isPinnedImage(image)) {
      sink.error(`images[${JSON.stringify(base)}]`, 'is not a pinned container image reference', image, 'write registry/repository:tag (not latest) or registry/repository@sha256:<digest>');
    }
  }
  return sink.problems;
}

/**
 * Parses descriptor text (JSON) and checks it; throws one error listing every problem, each
 * naming its field.
 */
export function parseFog05Descriptor(text: string, options: Fog05ConversionOptions = {}): Fog05Descriptor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    const shown = text.length > 80 ? `${text.slice(0, 77)}...` : text;
    throw new Error(`fog05 descriptor: 'descriptor' is not valid JSON: got ${JSON.stringify(shown)}; fix the JSON syntax (${(e as Error).message})`);
  }
  reportProblems(fog05Problems(parsed, options), 'fog05 descriptor');
  return parsed as Fog05Descriptor;
}

/** The types of the props a {@link Fog05Entity} adds to the conversion options. */
/** The props of {@link Fog05Entity} (its own and those of {@link Fog05ConversionOptions}). */
const ENTITY_PROPS: readonly string[] = ['descriptor', 'namespace', 'kind', 'command', 'ports', 'capabilities', 'runAsNonRoot', 'profile', 'renameEth0', 'images', 'bridges'];

function entityPropProblems(props: Fog05EntityProps): Problem[] {
  const sink = new ProblemSink();
  if (!isObject(props)) {
    sink.error('props', 'must be an object', props, 'pass {descriptor, ...}');
    return sink.problems;
  }
  for (const key of Object.keys(props)) {
    if (!ENTITY_PROPS.includes(key)) {
      sink.error(key, 'is not a prop of Fog05Entity', (props as unknown as Record<string, unknown>)[key], `remove it; the props of Fog05Entity are ${ENTITY_PROPS.join(', ')}`);
    }
  }
  if (props.namespace !== undefined && (typeof props.namespace !== 'string' || !DNS1123_LABEL.test(props.namespace) || props.namespace.length > 63)) {
    sink.error('namespace', 'must be a DNS-1123 label of at most 63 characters', props.namespace, 'use a namespace name such as "edge"');
  }
  const kinds: string[] = Object.values(WorkloadKind);
  if (props.kind !== undefined && !kinds.includes(props.kind as string)) {
    sink.error('kind', `must be one of ${kinds.map((k) => JSON.stringify(k)).join(', ')}`, props.kind, 'use a WorkloadKind');
  }
  if (props.command !== undefined && (!Array.isArray(props.command) || props.command.length === 0 || props.command.some((x) => typeof x !== 'string'))) {
    sink.error('command', 'must be a non-empty list of strings', props.command, 'write e.g. ["sleep", "infinity"]');
  }
  if (props.ports !== undefined && (!Array.isArray(props.ports) || props.ports.some((x) => typeof x !== 'number' || !Number.isInteger(x) || x < 1 || x > 65535))) {
    sink.error('ports', 'must be a list of port numbers from 1 to 65535', props.ports, 'write e.g. [8080]');
  }
  if (props.capabilities !== undefined && (!Array.isArray(props.capabilities) || props.capabilities.some((x) => typeof x !== 'string'))) {
    sink.error('capabilities', 'must be a list of capabilities', props.capabilities, 'write e.g. [kplus.Capability.NET_ADMIN]');
  }
  if (props.runAsNonRoot !== undefined && typeof props.runAsNonRoot !== 'boolean') {
    sink.error('runAsNonRoot', 'must be true or false', props.runAsNonRoot, 'write true or false');
  }
  return sink.problems;
}

/**
 * A fog05 entity as a network function: a bridge network (one NAD, bridge plugin) per `br_name`,
 * a workload whose pod has one interface per `intf_name` on it, cpu and memory as requests and
 * limits, the disk as ephemeral storage, the base image mapped to a container image. The whole
 * descriptor is checked first and every problem reported at once.
 *
 * ```ts
 * new Fog05Entity(chart, 'UbuntuHost', { descriptor, renameEth0: 'net-eth0' });
 * ```
 */
export class Fog05Entity extends Construct {
  /** The descriptor, as given. */
  public readonly descriptor: Fog05Descriptor;
  /** The container image the base image maps to. */
  public readonly image: string;
  /** The bridge networks, by `br_name`. */
  public readonly networks: Readonly<Record<string, Network>>;
  /** The pod interface names, in descriptor order (eth0 renamed). */
  public readonly interfaces: readonly string[];
  /** The network function running the entity. */
  public readonly networkFunction: NetworkFunction;

  constructor(scope: Construct, id: string, props: Fog05EntityProps) {
    super(scope, id);
    reportProblems([...entityPropProblems(props), ...(isObject(props) ? fog05Problems(props.descriptor, props) : [])], `Fog05Entity ${this.node.path}`);
    const d = props.descriptor;
    const e = d.entity_data;
    this.descriptor = d;
    this.image = fog05Image(e.base_image, props.images)!;
    const namespace = props.namespace ?? Chart.of(this).namespace ?? 'default';

    const networks = new Map<string, Network>();
    for (const n of e.networks) {
      if (networks.has(n.br_name)) continue;
      const opts = own(props.bridges, n.br_name) ?? {};
      const name = nadNameOf(n.br_name, props);
      networks.set(n.br_name, new Network(this, `Bridge-${name}`, {
        name,
        plugin: NetworkPlugin.bridge({ bridge: n.br_name }),
        subnets: opts.subnets,
        gateways: opts.gateways,
        ipam: opts.ipam,
        profile: props.profile,
      }));
    }
    this.networks = Object.fromEntries(networks);

    const name = toDnsLabel(e.name, 50);
    const quantity = { cpu: e.cpu, memory: Size.mebibytes(e.memory), disk: Size.gibibytes(e.disk_size) };
    this.networkFunction = new NetworkFunction(this, 'Resource', {
      name,
      namespace,
      kind: props.kind ?? WorkloadKind.DEPLOYMENT,
      containers: [{
        name,
        image: this.image,
        command: [...(props.command ?? ['sleep', 'infinity'])],
        capabilities: props.capabilities,
        ports: props.ports,
        ensureNonRoot: props.runAsNonRoot ?? false,
        resources: {
          cpu: { request: kplus.Cpu.units(quantity.cpu), limit: kplus.Cpu.units(quantity.cpu) },
          memory: { request: quantity.memory, limit: quantity.memory },
          ephemeralStorage: { request: quantity.disk, limit: quantity.disk },
        },
      }],
    });
    const interfaces: string[] = [];
    for (const n of e.networks) {
      const ifname = n.intf_name === 'eth0' ? props.renameEth0! : n.intf_name;
      interfaces.push(ifname);
      this.networkFunction.attach(networks.get(n.br_name)!, { interface: ifname });
    }
    this.interfaces = interfaces;
    for (const w of this.networkFunction.workloads) {
      w.metadata.addAnnotation(FOG05_ANNOTATIONS.UUID, d.uuid);
      w.metadata.addAnnotation(FOG05_ANNOTATIONS.ENTITY_UUID, e.uuid);
      w.metadata.addAnnotation(FOG05_ANNOTATIONS.TYPE, d.type);
      w.metadata.addAnnotation(FOG05_ANNOTATIONS.BASE_IMAGE, e.base_image);
    }
  }
}
