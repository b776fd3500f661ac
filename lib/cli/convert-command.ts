import { App, Chart } from 'cdk8s';
import { Option } from 'commander';
import { formatProblem, renderValue } from '../cni/problem';
import { PluginsProfile } from '../cni/profile';
import { Fog05BridgeOptions, Fog05Descriptor, Fog05Entity, fog05Problems } from '../fog05';
import { PreinstalledCniPlugins } from '../installers/inventory';
import { ExitCode, Io, profileByName, registerSubcommand } from './main';
import { MANIFEST_LIMITS, jsonNestingDepth, readInputText } from './manifests';
import { escapeControlCharacters } from './terminal-text';

/** Options of {@link convertFog05}. */
export interface ConvertFog05Options {
  /** @default - eth0 refused */
  readonly renameEth0?: string;
  /** @default "default" */
  readonly namespace?: string;
  /** `<base_image>=<container image>` entries. @default - none */
  readonly image?: readonly string[];
  /** `<br_name>=<cidr>` entries (host-local IPAM on that subnet). @default - none */
  readonly bridgeSubnet?: readonly string[];
  /**
   * The plugins on the nodes, declared as preinstalled (the NADs are checked against it).
   * @default PluginsProfile.UPSTREAM
   */
  readonly profile?: PluginsProfile;
}

function pairs(option: string, entries: readonly string[], sink: string[]): [string, string][] {
  const out: [string, string][] = [];
  for (const entry of entries) {
    const at = entry.indexOf('=');
    if (at <= 0 || at === entry.length - 1) {
      sink.push(`'${option}' must be <key>=<value>: got ${JSON.stringify(entry)}; e.g. ${option === '--image' ? '--image ubuntu=docker.io/library/ubuntu:22.04' : '--bridge-subnet lan01=192.168.100.0/24'}`);
      continue;
    }
    out.push([entry.slice(0, at), entry.slice(at + 1)]);
  }
  return out;
}

/**
 * Converts descriptor text to Kubernetes YAML (the bridge NADs and the workload). Returns the
 * YAML, or the problems (each in the one error style) and the exit code.
 */
export function convertFog05(text: string, opts: ConvertFog05Options = {}): { yaml?: string; problems: string[]; code: ExitCode } {
  if (typeof text !== 'string') throw new Error(`'text' must be the descriptor's JSON text: got ${renderValue(text)}; read the file first`);
  for (const key of ['image', 'bridgeSubnet'] as const) {
    const v = opts[key];
    if (v !== undefined && (!Array.isArray(v) || v.some((x) => typeof x !== 'string'))) {
      throw new Error(`'${key}' must be a list of <key>=<value> strings: got ${renderValue(v)}; pass e.g. ${key === 'image' ? "['ubuntu=docker.io/library/ubuntu:22.04']" : "['lan01=192.168.100.0/24']"}`);
    }
  }
  const usage: string[] = [];
  // Maps, then own properties: a key such as __proto__ or constructor is an ordinary name
  const images = Object.fromEntries(pairs('--image', opts.image ?? [], usage));
  const subnets = new Map<string, string[]>();
  for (const [br, cidr] of pairs('--bridge-subnet', opts.bridgeSubnet ?? [], usage)) {
    subnets.set(br, [...(subnets.get(br) ?? []), cidr]);
  }
  const bridges: Record<string, Fog05BridgeOptions> = Object.fromEntries([...subnets].map(([br, s]) => [br, { subnets: s }]));
  if (usage.length > 0) return { problems: usage, code: ExitCode.CANNOT_RUN };
  if (jsonNestingDepth(text) > MANIFEST_LIMITS.maxNestingDepth) {
    return {
      problems: [`'descriptor' nests JSON deeper than the limit of ${MANIFEST_LIMITS.maxNestingDepth} levels: got more than ${MANIFEST_LIMITS.maxNestingDepth} levels; a fog05 descriptor nests 3 levels deep: fix the file`],
      code: ExitCode.FAILED,
    };
  }
  let descriptor: unknown;
  try {
    descriptor = JSON.parse(text);
  } catch (e) {
    const shown = text.length > 80 ? `${text.slice(0, 77)}...` : text;
    return { problems: [`'descriptor' is not valid JSON: got ${JSON.stringify(shown)}; fix the JSON syntax (${(e as Error).message})`], code: ExitCode.FAILED };
  }
  const options = { renameEth0: opts.renameEth0, images, bridges };
  const problems = fog05Problems(descriptor, options);
  if (problems.length > 0) return { problems: problems.map(formatProblem), code: ExitCode.FAILED };
  try {
    const app = new App();
    const chart = new Chart(app, 'fog05', { namespace: opts.namespace ?? 'default' });
    const profile = opts.profile ?? PluginsProfile.UPSTREAM;
    // the bridge plugin is on the nodes already (a declaration: it writes no object)
    PreinstalledCniPlugins.fromProfile(chart, 'NodePlugins', profile);
    new Fog05Entity(chart, 'Entity', { descriptor: descriptor as Fog05Descriptor, ...options, profile });
    const yaml = app.synthYaml();
    return { yaml: yaml.endsWith('\n') ? yaml : `${yaml}\n`, problems: [], code: ExitCode.OK };
  } catch (e) {
    // checks of the model below the descriptor (a bridge subnet, a namespace name)
    return { problems: [(e as Error).message], code: ExitCode.FAILED };
  }
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

registerSubcommand((program, io: Io, setExit) => {
  const convert = program
    .command('convert')
    .description('convert descriptors of other platforms to Kubernetes YAML');
  convert
    .command('fog05')
    .description('a fog05 entity descriptor to a NAD per bridge and a workload attached to each (YAML on standard output)')
    .argument('<descriptor>', 'the descriptor JSON file, or - for standard input')
    .option('--rename-eth0 <name>', 'the pod interface name for the entity\'s eth0 (Kubernetes keeps eth0 for the cluster network)')
    .option('--namespace <namespace>', 'namespace of the NADs and the workload', 'default')
    .addOption(new Option('--profile <profile>', 'plugins profile of the nodes').choices(['upstream', 'debian-1.1.1']).default('upstream'))
    .option('--image <base=image>', 'container image for a base image (repeatable), e.g. ubuntu=docker.io/library/ubuntu:22.04', collect, [])
    .option('--bridge-subnet <bridge=cidr>', 'host-local addressing on a bridge network (repeatable), e.g. lan01=192.168.100.0/24', collect, [])
    .action((file: string, opts: { renameEth0?: string; namespace: string; profile: string; image: string[]; bridgeSubnet: string[] }) => {
      // a regular file of at most 64 MiB (a FIFO or /dev/zero is refused, not read)
      const { text, problem } = readInputText(file);
      if (problem) {
        io.err(`cdk8s-nfv convert fog05: ${escapeControlCharacters(`${problem.file}: ${problem.message}`)}\n`);
        setExit(ExitCode.CANNOT_RUN);
        return;
      }
      const profile = profileByName(opts.profile);
      const result = convertFog05(text!, { ...opts, profile });
      for (const p of result.problems) io.err(`cdk8s-nfv convert fog05: ${escapeControlCharacters(`${file}: ${p}`)}\n`);
      if (result.yaml !== undefined) io.out(result.yaml);
      setExit(result.code);
    });
});
