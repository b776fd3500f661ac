/**
 * The cold start of the `cdk8s-nfv` command, as a user meets it (part of `npm run bench:cold-start`):
 *
 * - clone: the committed tree (`git archive HEAD`, so that edits in progress in the working tree
 *   neither break the build nor change the report) with this checkout's node_modules, as a clone
 *   after `npm ci`: `bin/cdk8s-nfv.js` runs the TypeScript sources through tsx, called directly
 *   (`node bin/cdk8s-nfv.js`) and through `npx cdk8s-nfv`;
 * - installed: `npm pack` of that clone (built as prepack builds it, emit only) installed with the README's install
 *   command into a fresh project; the `bin` then runs the compiled library, called directly
 *   (`node_modules/.bin/cdk8s-nfv`) and through `npx cdk8s-nfv`.
 *
 * Each is timed for `--version` (start-up only) and for `lint` of one small file (the talk
 * example's manifests, the same relative path in both folders), each run a fresh process, the
 * conditions alternated and rotated from round to round. Every lint must exit 0 and print the same
 * report in every condition. The 1-minute load average is sampled before every run.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..');
/** The small file linted, relative to the working folder of each condition. */
export const LINT_FILE = path.join('examples', 'talk', 'dist', 'talk.k8s.yaml');

/** One way of starting the command. */
export interface CommandCondition {
  readonly name: string;
  readonly description: string;
  /** The working folder. */
  readonly cwd: string;
  /** The program and the arguments before the command's own. */
  readonly argv: readonly string[];
}

/** One timed run. */
export interface CommandSample {
  readonly condition: string;
  readonly command: 'version' | 'lint';
  readonly round: number;
  readonly ms: number;
  /** The 1-minute load average just before the run. */
  readonly load1: number;
}

/** The summary of one condition and command (or why it could not be measured). */
export type CommandResult = MeasuredCommand | FailedCommand;

/** A condition whose command failed: the failure, and how many runs had succeeded before. */
export interface FailedCommand {
  readonly condition: string;
  readonly description: string;
  readonly command: string;
  readonly failed: string | undefined;
  readonly runs: number;
}

/** The timings of one condition and command. */
export interface MeasuredCommand {
  readonly condition: string;
  readonly description: string;
  readonly command: string;
  readonly median_ms: number;
  readonly min_ms: number;
  readonly max_ms: number;
  /** The first run of the bench in this condition (cold file cache for npx's own start). */
  readonly first_ms: number;
  /** Median of the 1-minute load averages sampled before the runs. */
  readonly load1_median: number;
}

const ENV = { ...process.env, CDK8S_CHECK_UPGRADE: 'false', npm_config_update_notifier: 'false', npm_config_audit: 'false', npm_config_fund: 'false', NO_COLOR: '1' };

function run(program: string, args: readonly string[], cwd: string, timeout = 600_000): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(program, [...args], { cwd, encoding: 'utf8', timeout, env: ENV, shell: false });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

function must(r: { status: number | null; stdout: string; stderr: string }, what: string): string {
  if (r.status !== 0) throw new Error(`${what} failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/** The committed tree of this checkout in `work`/clone, with this checkout's node_modules linked in. */
export function cloneHead(work: string, log: (line: string) => void): string {
  const clone = path.join(work, 'clone');
  fs.mkdirSync(clone);
  const commit = must(run('git', ['rev-parse', 'HEAD'], ROOT), 'git rev-parse').trim();
  log(`git archive ${commit} ...`);
  const tar = path.join(work, 'head.tar');
  must(run('git', ['archive', '--format=tar', '-o', tar, commit], ROOT), 'git archive');
  must(run('tar', ['-xf', tar, '-C', clone], work), 'tar');
  fs.rmSync(tar);
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(clone, 'node_modules'), 'dir');
  return clone;
}

/**
 * Packs the clone (prepack builds build/) and installs the tarball into a fresh project the way
 * the README's Install section says, with the peer versions this repository develops against.
 * Returns the project folder.
 */
export function installPackage(work: string, clone: string, log: (line: string) => void): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(clone, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
  const dev = pkg.devDependencies;
  // what prepack does, emit only (a type error committed by someone else must not stop the measurement)
  log('tsc -p tsconfig.build.json --noCheck, npm pack ...');
  must(run(process.execPath, [path.join(clone, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json', '--noCheck'], clone), 'tsc');
  const packed = must(run('npm', ['pack', '--ignore-scripts', '--pack-destination', work, '--silent'], clone), 'npm pack').trim().split('\n').pop()!;
  const project = path.join(work, 'project');
  fs.mkdirSync(project);
  fs.writeFileSync(path.join(project, 'package.json'), `${JSON.stringify({ name: 'cold-start', version: '1.0.0', private: true }, null, 2)}\n`);
  log('npm install cdk8s-nfv cdk8s cdk8s-plus-27 constructs ...');
  must(run('npm', ['install', '--prefer-offline', path.join(work, packed), `cdk8s@${dev.cdk8s}`, `cdk8s-plus-27@${dev['cdk8s-plus-27']}`, `constructs@${dev.constructs}`], project), 'npm install');
  const target = path.join(project, LINT_FILE);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.copyFileSync(path.join(clone, LINT_FILE), target);
  return project;
}

/** The four ways of starting the command, given the clone and the installed project. */
export function commandConditions(clone: string, project: string): CommandCondition[] {
  return [
    {
      name: 'installed, bin',
      description: 'after `npm install cdk8s-nfv cdk8s cdk8s-plus-27 constructs` (the packed checkout): node_modules/.bin/cdk8s-nfv, compiled JavaScript',
      cwd: project,
      argv: [path.join(project, 'node_modules', '.bin', 'cdk8s-nfv')],
    },
    {
      name: 'installed, npx',
      description: 'the same install: `npx cdk8s-nfv`',
      cwd: project,
      argv: ['npx', '--no-install', 'cdk8s-nfv'],
    },
    {
      name: 'clone, bin (tsx)',
      description: 'in a clone after `npm ci`: `node bin/cdk8s-nfv.js`, the TypeScript sources through tsx',
      cwd: clone,
      argv: [process.execPath, path.join(clone, 'bin', 'cdk8s-nfv.js')],
    },
    {
      name: 'clone, npx (tsx)',
      description: 'in a clone after `npm ci`: `npx cdk8s-nfv`; npm runs a package\'s own bin by first installing the folder into its npx cache (packing it: prepack builds the library), then the TypeScript sources through tsx',
      cwd: clone,
      argv: ['npx', '--no-install', 'cdk8s-nfv'],
    },
  ];
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const COMMANDS: { readonly command: 'version' | 'lint'; readonly args: readonly string[] }[] = [
  { command: 'version', args: ['--version'] },
  { command: 'lint', args: ['lint', LINT_FILE] },
];

/** Times every condition and command `rounds` times; throws when a run fails or reports differ. */
export function measureCommand(conditions: readonly CommandCondition[], rounds: number, log: (line: string) => void): { samples: CommandSample[]; results: CommandResult[] } {
  const samples: CommandSample[] = [];
  const reports = new Map<string, string>();
  // a condition whose command fails is reported with the failure and not run again
  const failed = new Map<string, string>();
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < conditions.length; k++) {
      const c = conditions[(k + round) % conditions.length];
      for (const cmd of COMMANDS) {
        if (failed.has(c.name)) continue;
        const load1 = os.loadavg()[0];
        const t0 = process.hrtime.bigint();
        const r = run(c.argv[0], [...c.argv.slice(1), ...cmd.args], c.cwd);
        const ms = Number(process.hrtime.bigint() - t0) / 1e6;
        if (r.status !== 0) {
          const why = `cdk8s-nfv ${cmd.args.join(' ')} exited ${r.status} after ${ms.toFixed(0)} ms: ${(r.stderr || r.stdout).trim().split('\n').slice(-3).join(' / ') || 'no output'}`;
          failed.set(c.name, why);
          log(`round ${round + 1}/${rounds} ${c.name}: FAILED: ${why}`);
          continue;
        }
        const out = r.stdout;
        const key = cmd.command;
        if (!reports.has(key)) reports.set(key, out);
        else if (reports.get(key) !== out) throw new Error(`${c.name}: cdk8s-nfv ${cmd.args.join(' ')} printed another report:\n${out}\nthan:\n${reports.get(key)}`);
        samples.push({ condition: c.name, command: cmd.command, round, ms: Math.round(ms), load1 });
        log(`round ${round + 1}/${rounds} ${c.name}: ${cmd.args.join(' ')} ${ms.toFixed(0)} ms (load ${load1.toFixed(2)})`);
      }
    }
  }
  const results: CommandResult[] = [];
  for (const c of conditions) {
    for (const cmd of COMMANDS) {
      const mine = samples.filter((s) => s.condition === c.name && s.command === cmd.command);
      if (failed.has(c.name)) {
        results.push({ condition: c.name, description: c.description, command: `cdk8s-nfv ${cmd.args.join(' ')}`, failed: failed.get(c.name), runs: mine.length });
        continue;
      }
      const ms = mine.map((s) => s.ms);
      results.push({
        condition: c.name,
        description: c.description,
        command: `cdk8s-nfv ${cmd.args.join(' ')}`,
        median_ms: Math.round(median(ms)),
        min_ms: Math.min(...ms),
        max_ms: Math.max(...ms),
        first_ms: mine[0].ms,
        load1_median: Math.round(median(mine.map((s) => s.load1)) * 100) / 100,
      });
    }
  }
  return { samples, results };
}
