import { Command, CommanderError, Option } from 'commander';
import { PluginsProfile } from '../cni/profile';
import { ExternalNad, formatFinding, formatReadProblem, lintManifests, parseExternalNad, parseExternalNadFile } from './lint';
import { readInputText } from './manifests';
import { escapeControlCharacters } from './terminal-text';
import { packageInfo } from './package-info';

/**
 * Exit codes of the command (the README's table of exit codes lists the same).
 */
export enum ExitCode {
  /** Everything checked passed. */
  OK = 0,
  /** A check failed (lint errors, an unreachable pair). */
  FAILED = 1,
  /** The command could not run (bad usage, unreadable input, not root, no plugin binaries). */
  CANNOT_RUN = 2,
  /** verify: nothing was verified (no check passed and none failed: every one is unsupported here). */
  NOTHING_VERIFIED = 3,
}

/** Output streams, replaceable in tests. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
}

const defaultIo: Io = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
};

/** Collects repeated `--external` values (each checked as <namespace>/<name>). */
function collectExternal(value: string, previous: ExternalNad[]): ExternalNad[] {
  return [...previous, parseExternalNad(value)];
}

/** The values `--profile` takes. */
export const PROFILE_NAMES: readonly string[] = ['upstream', 'debian-1.1.1'];

/** The plugins profile a `--profile` value names (upstream or debian-1.1.1). */
export function profileByName(name: string): PluginsProfile {
  switch (name) {
    case 'upstream': return PluginsProfile.UPSTREAM;
    case 'debian-1.1.1': return PluginsProfile.DEBIAN_1_1_1;
    default: throw new Error(`'--profile' is not a known plugins profile: got ${JSON.stringify(name)}; use upstream or debian-1.1.1`);
  }
}

/**
 * The `--profile` option: its help lists the choices; a wrong value is refused in the house style
 * (exit 2).
 */
export function profileOption(): Option {
  return new Option('--profile <profile>', 'plugins profile of the nodes').choices(PROFILE_NAMES).default('upstream')
    .argParser((value: string) => { profileByName(value); return value; });
}

/**
 * The registry of subcommands: each module adds its own (lint here; verify, diagram and convert
 * in their files), so the command table stays in one place.
 */
export type Subcommand = (program: Command, io: Io, setExit: (code: number) => void) => void;
const subcommands: Subcommand[] = [];

/** Adds a subcommand to the program (called by the modules that implement them). */
export function registerSubcommand(s: Subcommand): void {
  subcommands.push(s);
}

registerSubcommand((program, io, setExit) => {
  program
    .command('lint')
    .description('check Kubernetes YAML (NADs, Multus attachments, the whole topology) as the constructs would')
    .argument('<inputs...>', 'files, folders, or - for standard input')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .addOption(profileOption())
    .option('--external <namespace/name>', 'a NAD that lives elsewhere (another chart, an operator): attachments to it resolve (repeatable)', collectExternal, [])
    .option('--external-file <file>', 'a file of such NADs, one <namespace>/<name> a line (# starts a comment)')
    .action((inputs: string[], opts: { format: string; profile: string; external: ExternalNad[]; externalFile?: string }) => {
      const external = [...opts.external];
      if (opts.externalFile !== undefined) {
        const read = readInputText(opts.externalFile);
        if (read.problem) throw new Error(`'--external-file' cannot be read: got ${JSON.stringify(opts.externalFile)}; ${read.problem.message}`);
        external.push(...parseExternalNadFile(read.text!, opts.externalFile));
      }
      const report = lintManifests(inputs, { profile: profileByName(opts.profile), external });
      // what could not be read is reported (and makes the exit 2); what could be read is still checked
      for (const p of report.readProblems) io.err(`cdk8s-nfv lint: ${formatReadProblem(p)}\n`);
      if (opts.format === 'json') {
        const { objects, errors, warnings, findings, readProblems } = report;
        io.out(`${JSON.stringify({ objects, errors, warnings, findings, readProblems }, null, 2)}\n`);
      } else {
        for (const f of report.findings) io.out(`${formatFinding(f)}\n`);
        io.out(`${report.objects} objects checked: ${report.errors} error(s), ${report.warnings} warning(s)${report.readProblems.length ? `, ${report.readProblems.length} input(s) not read` : ''}\n`);
      }
      if (report.readProblems.length > 0) setExit(ExitCode.CANNOT_RUN);
      else setExit(report.errors > 0 ? ExitCode.FAILED : ExitCode.OK);
    });
});

/** Loads the optional subcommand modules (each registers itself). */
function loadSubcommands(): void {
  for (const mod of ['./verify-command', './diagram-command', './convert-command']) {
    try {
      require(mod);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND' || !String((e as Error).message).includes(mod.slice(2))) throw e;
    }
  }
}

/** Examples printed at the end of each `--help`, by command ('' is the program itself). */
export const HELP_EXAMPLES: Readonly<Record<string, readonly string[]>> = {
  '': [
    'cdk8s-nfv lint dist/',
    'sudo cdk8s-nfv verify dist/five-g.k8s.yaml',
    'cdk8s-nfv diagram dist/ --output topology.svg',
    'cdk8s-nfv <command> --help',
  ],
  lint: [
    'cdk8s-nfv lint dist/                          # every .yaml, .yml and .json file of a folder',
    'helm template my-release ./chart | cdk8s-nfv lint -',
    'cdk8s-nfv lint nads.yaml --profile debian-1.1.1 --format json',
    'cdk8s-nfv lint chart/ --external kube-system/macvlan-conf   # a NAD another chart makes',
  ],
  verify: [
    'sudo cdk8s-nfv verify dist/five-g.k8s.yaml',
    'sudo cdk8s-nfv verify dist/ --nodes 2 --format json',
    'sudo cdk8s-nfv verify --cleanup                # remove what killed runs left behind',
  ],
  diagram: [
    'cdk8s-nfv diagram dist/ --output topology.svg',
    'cdk8s-nfv diagram dist/five-g.k8s.yaml --format mermaid',
  ],
  convert: [
    'cdk8s-nfv convert fog05 entity.json > entity.k8s.yaml',
  ],
  'convert fog05': [
    'cdk8s-nfv convert fog05 entity.json --namespace nfv > entity.k8s.yaml',
    'cdk8s-nfv convert fog05 entity.json --image ubuntu=docker.io/library/ubuntu:22.04 --bridge-subnet lan01=192.168.100.0/24',
  ],
};

/** Adds the examples of {@link HELP_EXAMPLES} to the help of the program and of each subcommand. */
function addExamples(program: Command): void {
  const text = (lines: readonly string[]) => `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`;
  program.addHelpText('after', `${text(HELP_EXAMPLES[''])}\nExit codes: 0 every check passed, 1 a check failed, 2 the command could not run, 3 (verify) nothing was verified.\n`);
  const visit = (cmd: Command, prefix: string) => {
    const key = `${prefix}${cmd.name()}`;
    const lines = HELP_EXAMPLES[key];
    if (lines) cmd.addHelpText('after', text(lines));
    for (const sub of cmd.commands) visit(sub, `${key} `);
  };
  for (const cmd of program.commands) visit(cmd, '');
}

/** Runs the command with arguments (without `node` and the script); resolves to the exit code. */
export async function run(args: string[], io: Io = defaultIo): Promise<number> {
  loadSubcommands();
  let code: number = ExitCode.OK;
  const setExit = (c: number) => { code = c; };
  const program = new Command('cdk8s-nfv')
    .description('lint, verify and draw multi-network Kubernetes topologies')
    .version(packageInfo().version, '-V, --version', 'print the version of cdk8s-nfv')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });
  for (const s of subcommands) s(program, io, setExit);
  addExamples(program);
  try {
    await program.parseAsync(args, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      return e.exitCode === 0 ? ExitCode.OK : ExitCode.CANNOT_RUN;
    }
    io.err(`cdk8s-nfv: ${escapeControlCharacters((e as Error).message)}\n`);
    return ExitCode.CANNOT_RUN;
  }
  return code;
}
