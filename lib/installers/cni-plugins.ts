/**
 * The reference CNI plugins (containernetworking/plugins) on every node, and the dhcp IPAM daemon.
 *
 * Upstream has no official DaemonSet; this follows the Network Plumbing WG reference deployment
 * (`reference-cni-plugin-install/reference-cni-daemonset.yml`): a ConfigMap with the copy script
 * (`cni-binary-copy-script`, key `cnibincopy.sh`), and a DaemonSet
 * `kube-containernetworking-plugins-ds-<arch>` whose privileged init container copies the binaries
 * into the host's `/opt/cni/bin`, followed by a small pause container. The dhcp daemon follows
 * `multus-dhcp/dhcp-daemonset.yml` (`kube-dhcp-ds-<arch>`).
 *
 * Source of the binaries ({@link CniPluginsSource}):
 * - `CniPluginsSource.release({version})` (default, v1.9.1): the init container (a pinned alpine)
 *   downloads the release tarball `cni-plugins-linux-<arch>-v<version>.tgz` (as the reference
 *   master and the Multus e2e install do), optionally from a mirror and checked against a sha256;
 * - `CniPluginsSource.image(image, dir)`: copies from a directory of an image you build and pin
 *   (air-gapped sites), as the reference branch does with `/usr/src/plugins/bin`.
 * Copies are atomic (copy to a temporary name, then rename) so a running plugin is never
 * overwritten in place ("text file busy").
 *
 * The dhcp daemon is the `dhcp` binary of the plugins run as `dhcp daemon -hostprefix /host`. By
 * default ({@link DhcpDaemonMode.AUTO}) the installer adds it when a NAD of its cluster uses dhcp
 * IPAM, whichever is built first (see lib/installers/inventory.ts `CNI_INVENTORY_CHECK`).
 */
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { ProblemSink, throwIfErrors } from '../cni/problem';
import { ContainerImage } from './container-image';
import { ICniPluginProvider, IDhcpDaemonHost, IDhcpDaemonProvider, containernetworkingPluginTypes, dhcpNadsInClusterOf } from './inventory';
import {
  KUBE_SYSTEM, MountPropagation, NodeAgentDaemonSet, NodeAgentMount, NodeAgentResources, NodeAgentSecurity, PriorityClass,
  TaintEffect, Toleration, UpdateStrategy,
} from './node-agent';
import { assertArg, assertProps, pArray, pEnum, pInstance, propsShape } from '../cni/props-check';
import { BOOL_PROP, IMAGE_PROP, OBJECT_PROP, STRING_LIST_PROP, STRING_PROP, TEXT_PROP, TOLERATIONS_PROP } from './installer-props';
import { PRIORITY_CLASS_PROP } from './node-agent';

/** The containernetworking/plugins release installed by default (as `PluginsProfile.UPSTREAM`). */
export const CNI_PLUGINS_VERSION = '1.9.1';
/** A pinned shell image with `wget`, `tar` and `sha256sum` (the download init container). */
export const CNI_PLUGINS_INSTALLER_IMAGE = ContainerImage.of('docker.io/library/alpine:3.20.3');
/** The pinned pause image of the installer and the dhcp daemon's shell. */
export const CNI_PLUGINS_PAUSE_IMAGE = ContainerImage.of('docker.io/library/busybox:1.36.1');
/** Where containernetworking/plugins publishes its release tarballs. */
export const CNI_PLUGINS_RELEASE_URL = 'https://github.com/containernetworking/plugins/releases/download';

/** The CPU architecture of the nodes (`kubernetes.io/arch`; also the tarball's). */
export enum NodeArch {
  AMD64 = 'amd64',
  ARM64 = 'arm64',
  ARM = 'arm',
  PPC64LE = 'ppc64le',
  S390X = 's390x',
  RISCV64 = 'riscv64',
}

const RELEASE_SHAPE = propsShape('CniPluginsSource.release options', { version: STRING_PROP, baseUrl: STRING_PROP, sha256: STRING_PROP, image: IMAGE_PROP });
const IMAGE_SOURCE_SHAPE = propsShape('CniPluginsSource.image options', { directory: STRING_PROP, version: STRING_PROP });

/** Where the installer takes the plugin binaries from. */
export abstract class CniPluginsSource {
  /** The release tarball of containernetworking/plugins, downloaded by the init container. */
  public static release(options: { version?: string; baseUrl?: string; sha256?: string; image?: ContainerImage } = {}): CniPluginsSource {
    assertProps(RELEASE_SHAPE, options, 'CniPluginsSource.release');
    return new ReleaseSource(options.version ?? CNI_PLUGINS_VERSION, options.baseUrl ?? CNI_PLUGINS_RELEASE_URL, options.sha256, options.image ?? CNI_PLUGINS_INSTALLER_IMAGE);
  }
  /** A directory of a pinned image that holds the binaries of `version`. */
  public static image(image: ContainerImage, options: { directory?: string; version?: string } = {}): CniPluginsSource {
    assertArg(IMAGE_PROP, image, 'image', 'CniPluginsSource.image', 'give the image that holds the plugins');
    assertProps(IMAGE_SOURCE_SHAPE, options, 'CniPluginsSource.image');
    return new ImageSource(image, options.directory ?? '/usr/src/plugins/bin', options.version ?? CNI_PLUGINS_VERSION);
  }
  /** The containernetworking/plugins version the source holds. */
  public abstract readonly version: string;
  /** The init container's image. */
  public abstract readonly image: ContainerImage;
  /** Shell lines that leave the binaries in `$SRC`. */
  public abstract fetchScript(arch: NodeArch): string[];
  /** Problems of the source's options. */
  public abstract check(sink: ProblemSink): void;
}

class ReleaseSource extends CniPluginsSource {
  constructor(public readonly version: string, private readonly baseUrl: string, private readonly sha256: string | undefined, public readonly image: ContainerImage) {
    super();
  }
  public fetchScript(arch: NodeArch): string[] {
    const file = `cni-plugins-linux-${arch}-v${this.version}.tgz`;
    const lines = [
      'SRC=/tmp/cni-plugins',
      'mkdir -p "$SRC"',
      `wget -q -O /tmp/${file} ${this.baseUrl.replace(/\/$/, '')}/v${this.version}/${file}`,
    ];
    if (this.sha256) lines.push(`echo "${this.sha256}  /tmp/${file}" | sha256sum -c -`);
    lines.push(`tar -xzf /tmp/${file} -C "$SRC"`);
    return lines;
  }
  public check(sink: ProblemSink): void {
    if (!/^\d+\.\d+\.\d+$/.test(this.version)) sink.error('source.version', 'is not a release version', this.version, 'write a version such as "1.9.1" (no "v")');
    if (!/^https?:\/\/[^\s"'`$]+$/.test(this.baseUrl)) sink.error('source.baseUrl', 'is not an http(s) URL', this.baseUrl, 'write a URL such as "https://mirror.example/cni-plugins"');
    if (this.sha256 !== undefined && !/^[0-9a-f]{64}$/.test(this.sha256)) sink.error('source.sha256', 'is not a sha256 digest', this.sha256, 'write 64 lowercase hex digits');
  }
}

class ImageSource extends CniPluginsSource {
  constructor(public readonly image: ContainerImage, private readonly directory: string, public readonly version: string) {
    super();
  }
  public fetchScript(): string[] {
    return [`SRC=${this.directory}`];
  }
  public check(sink: ProblemSink): void {
    if (!/^\/[^\s"'`$]*$/.test(this.directory)) sink.error('source.directory', 'is not an absolute path without spaces or quotes', this.directory, 'write the directory of the binaries in the image, e.g. "/usr/src/plugins/bin"');
    if (!/^\d+\.\d+\.\d+$/.test(this.version)) sink.error('source.version', 'is not a release version', this.version, 'write the version of the binaries in the image, e.g. "1.9.1"');
  }
}

/** Whether the installer runs the dhcp daemon. */
export enum DhcpDaemonMode {
  /** When a NAD of the cluster uses dhcp IPAM (default). */
  AUTO = 'auto',
  /** Always. */
  ALWAYS = 'always',
  /** Never (run it yourself, or declare it with PreinstalledCniPlugins `dhcpDaemon: true`). */
  NEVER = 'never',
}

/** Properties of {@link CniPlugins}. */
export interface CniPluginsProps {
  /** @default CniPluginsSource.release() (v1.9.1 from the GitHub release) */
  readonly source?: CniPluginsSource;
  /**
   * The plugins to install.
   * @default - every plugin of the version
   */
  readonly plugins?: string[];
  /** Replace binaries already on the node (upstream `cp -f`). @default true */
  readonly overwrite?: boolean;
  /** @default NodeArch.AMD64 (upstream installs amd64 only) */
  readonly arch?: NodeArch;
  /** @default 'kube-system' */
  readonly namespace?: string;
  /** Host directory of CNI binaries. @default '/opt/cni/bin' */
  readonly cniBinDir?: string;
  /** @default [{operator: Exists, effect: NoSchedule}] (upstream) */
  readonly tolerations?: k8s.Toleration[];
  /** @default PriorityClass.NONE (upstream sets none) */
  readonly priorityClass?: PriorityClass;
  /** @default ContainerImage CNI_PLUGINS_PAUSE_IMAGE */
  readonly pauseImage?: ContainerImage;
  /** @default DhcpDaemonMode.AUTO */
  readonly dhcpDaemon?: DhcpDaemonMode;
  /** Options of the dhcp daemon when it is added. @default - its defaults */
  readonly dhcpDaemonOptions?: Omit<DhcpDaemonProps, 'namespace' | 'arch' | 'cniBinDir'>;
}

/** The shape of {@link CniPluginsProps} (runtime checks for callers without a type checker). */
const CNI_PLUGINS_PROPS_SHAPE = propsShape('CniPluginsProps', {
  source: pInstance([CniPluginsSource], 'a CniPluginsSource', 'use CniPluginsSource.release() or CniPluginsSource.image(...)'),
  plugins: STRING_LIST_PROP,
  overwrite: BOOL_PROP,
  arch: pEnum(NodeArch, 'NodeArch'),
  namespace: STRING_PROP,
  cniBinDir: STRING_PROP,
  tolerations: TOLERATIONS_PROP,
  priorityClass: PRIORITY_CLASS_PROP,
  pauseImage: IMAGE_PROP,
  dhcpDaemon: pEnum(DhcpDaemonMode, 'DhcpDaemonMode'),
  dhcpDaemonOptions: OBJECT_PROP,
});

/** The reference CNI plugins installer: see the module header. */
export class CniPlugins extends Construct implements ICniPluginProvider, IDhcpDaemonHost {
  public readonly source: CniPluginsSource;
  public readonly version: string;
  public readonly arch: NodeArch;
  public readonly namespace: string;
  public readonly plugins: readonly string[];
  public readonly providedCniTypes: readonly string[];
  public readonly dhcpDaemonMode: DhcpDaemonMode;
  public readonly addsDhcpDaemonAutomatically: boolean;
  public readonly configMap: k8s.KubeConfigMap;
  public readonly daemonSet: NodeAgentDaemonSet;
  private readonly cniBinDir?: string;
  private readonly dhcpOptions: Omit<DhcpDaemonProps, 'namespace' | 'arch' | 'cniBinDir'>;
  private dhcp?: DhcpDaemon;

  constructor(scope: Construct, id: string, props: CniPluginsProps = {}) {
    super(scope, id);
    assertProps(CNI_PLUGINS_PROPS_SHAPE, props, `CniPlugins ${this.node.path}`);
    this.source = props.source ?? CniPluginsSource.release();
    this.version = this.source.version;
    this.arch = props.arch ?? NodeArch.AMD64;
    this.namespace = props.namespace ?? KUBE_SYSTEM;
    this.cniBinDir = props.cniBinDir;
    this.dhcpDaemonMode = props.dhcpDaemon ?? DhcpDaemonMode.AUTO;
    this.addsDhcpDaemonAutomatically = this.dhcpDaemonMode === DhcpDaemonMode.AUTO;
    this.dhcpOptions = props.dhcpDaemonOptions ?? {};

    const sink = new ProblemSink();
    this.source.check(sink);
    throwIfErrors(sink.problems, `CniPlugins ${this.node.path}`);
    const all = containernetworkingPluginTypes(this.version);
    (props.plugins ?? []).forEach((p, i) => {
      if (!all.includes(p)) sink.error(`plugins[${i}]`, `is not a plugin of containernetworking/plugins ${this.version}`, p, `use some of ${all.join(', ')}`);
    });
    if (props.plugins !== undefined && props.plugins.length === 0) sink.error('plugins', 'is empty', props.plugins, 'leave it unset to install every plugin, or name some');
    throwIfErrors(sink.problems, `CniPlugins ${this.node.path}`);
    this.plugins = props.plugins ? [...props.plugins] : all;
    this.providedCniTypes = [...this.plugins];

    const overwrite = props.overwrite ?? true;
    const names = props.plugins ? this.plugins.join(' ') : '$(ls "$SRC")';
    const script = [
      'set -eu',
      ...this.source.fetchScript(this.arch),
      `for p in ${names}; do`,
      '  [ -f "$SRC/$p" ] || continue',
      overwrite ? '' : '  [ -e "/host/opt/cni/bin/$p" ] && continue',
      '  cp -f "$SRC/$p" "/host/opt/cni/bin/.$p.new"',
      '  mv -f "/host/opt/cni/bin/.$p.new" "/host/opt/cni/bin/$p"',
      'done',
    ].filter((l) => l !== '').join('\n');

    this.configMap = new k8s.KubeConfigMap(this, 'ConfigMap', {
      metadata: {
        name: 'cni-binary-copy-script',
        namespace: this.namespace,
        annotations: { 'kubernetes.io/description': `Installs containernetworking/plugins ${this.version} (${this.arch}) into the CNI bin directory` },
      },
      data: { 'cnibincopy.sh': `${script}\n` },
    });

    const labels = { tier: 'node', app: 'containernetworking-plugins' };
    this.daemonSet = new NodeAgentDaemonSet(this, 'DaemonSet', {
      name: `kube-containernetworking-plugins-ds-${this.arch}`,
      namespace: this.namespace,
      selectorLabels: { name: 'containernetworking-plugins' },
      labels,
      hostNetwork: true,
      tolerations: props.tolerations ?? [Toleration.exists({ effect: TaintEffect.NO_SCHEDULE })],
      priorityClass: props.priorityClass ?? PriorityClass.NONE,
      nodeSelector: { 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': this.arch },
      updateStrategy: UpdateStrategy.rollingUpdate(),
      cniBinDir: props.cniBinDir,
      cniBinVolumeName: 'cnibin',
    });
    this.daemonSet.addConfigMapVolume('cni-binary-copy', 'cni-binary-copy-script', { defaultMode: 0o744 });
    this.daemonSet.addInitContainer({
      name: 'containernetworking-binary-copy',
      image: this.source.image,
      command: ['/bin/sh', '/entrypoint/cnibincopy.sh'],
      security: NodeAgentSecurity.privileged(),
      mounts: [
        { volume: 'cni-binary-copy', mountPath: '/entrypoint' },
        { volume: this.daemonSet.cniBinVolume, mountPath: '/host/opt/cni/bin' },
      ],
    });
    this.daemonSet.addContainer({
      name: 'kube-containernetworking-plugins',
      image: props.pauseImage ?? CNI_PLUGINS_PAUSE_IMAGE,
      command: ['sleep'],
      args: ['infinity'],
      resources: { requests: { cpu: '100m', memory: '50Mi' }, limits: { cpu: '100m', memory: '50Mi' } },
    });

    if (this.dhcpDaemonMode === DhcpDaemonMode.ALWAYS || (this.addsDhcpDaemonAutomatically && dhcpNadsInClusterOf(this).length > 0)) {
      this.addDhcpDaemon();
    }
  }

  /** The dhcp daemon, if added. */
  public get dhcpDaemon(): DhcpDaemon | undefined {
    return this.dhcp;
  }

  /** Adds the dhcp daemon (once; later calls return the same one). */
  public addDhcpDaemon(): DhcpDaemon {
    if (this.dhcpDaemonMode === DhcpDaemonMode.NEVER) {
      const sink = new ProblemSink();
      sink.error('dhcpDaemon', 'is NEVER, so the installer cannot add the dhcp daemon', this.dhcpDaemonMode, 'set dhcpDaemon to AUTO or ALWAYS, or add new DhcpDaemon(...) yourself');
      throwIfErrors(sink.problems, `CniPlugins ${this.node.path}`);
    }
    if (!this.dhcp) {
      this.dhcp = new DhcpDaemon(this, 'Dhcp', { ...this.dhcpOptions, namespace: this.namespace, arch: this.arch, cniBinDir: this.cniBinDir });
    }
    return this.dhcp;
  }
}

/** Properties of {@link DhcpDaemon}. */
export interface DhcpDaemonProps {
  /** @default 'kube-system' */
  readonly namespace?: string;
  /** @default NodeArch.AMD64 */
  readonly arch?: NodeArch;
  /**
   * The image that runs the daemon. By default a pinned busybox runs the host's own `dhcp`
   * binary (from the CNI bin directory), so the daemon always matches the installed plugins.
   * @default CNI_PLUGINS_PAUSE_IMAGE
   */
  readonly image?: ContainerImage;
  /**
   * The command of the daemon container.
   * @default - wait for `<cniBinDir>/dhcp`, then run it as `dhcp daemon -hostprefix /host`
   */
  readonly command?: string[];
  /** Host directory of CNI binaries. @default '/opt/cni/bin' */
  readonly cniBinDir?: string;
  /** @default [{operator: Exists, effect: NoSchedule}] (upstream) */
  readonly tolerations?: k8s.Toleration[];
  /** @default PriorityClass.NONE (upstream sets none) */
  readonly priorityClass?: PriorityClass;
  /** @default requests = limits = 100m / 50Mi (upstream) */
  readonly resources?: NodeAgentResources;
}

/** The shape of {@link DhcpDaemonProps} (runtime checks for callers without a type checker). */
const DHCP_DAEMON_PROPS_SHAPE = propsShape('DhcpDaemonProps', {
  namespace: STRING_PROP,
  arch: pEnum(NodeArch, 'NodeArch'),
  image: IMAGE_PROP,
  command: pArray(TEXT_PROP),
  cniBinDir: STRING_PROP,
  tolerations: TOLERATIONS_PROP,
  priorityClass: PRIORITY_CLASS_PROP,
  resources: OBJECT_PROP,
});

/** The CNI dhcp IPAM daemon on every node (`kube-dhcp-ds-<arch>`). */
export class DhcpDaemon extends Construct implements IDhcpDaemonProvider {
  public readonly providesDhcpDaemon = true;
  public readonly daemonSet: NodeAgentDaemonSet;

  constructor(scope: Construct, id: string, props: DhcpDaemonProps = {}) {
    super(scope, id);
    assertProps(DHCP_DAEMON_PROPS_SHAPE, props, `DhcpDaemon ${this.node.path}`);
    const arch = props.arch ?? NodeArch.AMD64;
    const shell = CNI_PLUGINS_PAUSE_IMAGE;
    const labels = { tier: 'node', app: 'dhcp' };
    this.daemonSet = new NodeAgentDaemonSet(this, 'DaemonSet', {
      name: `kube-dhcp-ds-${arch}`,
      namespace: props.namespace ?? KUBE_SYSTEM,
      selectorLabels: labels,
      hostNetwork: true,
      tolerations: props.tolerations ?? [Toleration.exists({ effect: TaintEffect.NO_SCHEDULE })],
      priorityClass: props.priorityClass ?? PriorityClass.NONE,
      nodeSelector: { 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': arch },
      updateStrategy: UpdateStrategy.UNSET,
      cniBinDir: props.cniBinDir,
      cniBinVolumeName: 'cnibin',
    });
    const ds = this.daemonSet;
    ds.addHostPathVolume('socketpath', '/run/cni')
      .addHostPathVolume('procpath', '/proc')
      .addHostPathVolume('netnspath', '/run/netns');
    ds.addInitContainer({
      name: 'clean-up',
      image: shell,
      command: ['/bin/sh'],
      args: ['-c', 'rm -f /host/run/cni/dhcp.sock'],
      security: NodeAgentSecurity.privileged(),
      mounts: [{ volume: 'socketpath', mountPath: '/host/run/cni' }],
    });
    const mounts: NodeAgentMount[] = [
      { volume: 'socketpath', mountPath: '/host/run/cni' },
      { volume: 'procpath', mountPath: '/host/proc' },
      { volume: 'netnspath', mountPath: '/host/var/run/netns', propagation: MountPropagation.HOST_TO_CONTAINER },
    ];
    const ownCommand = props.command === undefined;
    if (ownCommand) mounts.push({ volume: ds.cniBinVolume, mountPath: '/host/opt/cni/bin', readOnly: true });
    ds.addContainer({
      name: 'kube-dhcp',
      image: props.image ?? shell,
      command: props.command ?? ['/bin/sh', '-c',
        'until [ -x /host/opt/cni/bin/dhcp ]; do echo waiting for /opt/cni/bin/dhcp; sleep 5; done; exec /host/opt/cni/bin/dhcp daemon -hostprefix /host'],
      resources: props.resources ?? { requests: { cpu: '100m', memory: '50Mi' }, limits: { cpu: '100m', memory: '50Mi' } },
      security: NodeAgentSecurity.privileged(),
      mounts,
    });
  }
}
