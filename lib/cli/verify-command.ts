import { Option } from 'commander';
import { DEFAULT_CNI_PATH } from './dataplane/cni-exec';
import { ExitCode, registerSubcommand } from './main';
import { toolchainCacheDir } from '../toolchain/cache-dir';
import {
  DEFAULT_RUN_DIR,
  VERIFY_LIMITS,
  VerifyCannotRun,
  VerifyInterrupted,
  cleanupDeadRuns,
  formatVerifyTable,
  verdictOf,
  verifyManifests,
} from './verify';
import { multusEngine } from './verify/multus-engine';
import { findMultusToolchain } from './verify/multus-engine/toolchain';

/**
 * Exit status of a run in which no check passed and none failed (everything "unsupported here"):
 * nothing was verified, so it is not a success. (To move into main's ExitCode enum.)
 */
export const EXIT_NOTHING_VERIFIED = ExitCode.NOTHING_VERIFIED;

const HELP_AFTER = `
Exit status: 0 every check passed (unsupported-here checks do not fail a run), 1 a check failed,
2 it cannot run (not root, no plugin binaries, bad usage, input beyond the limits, interrupted,
timed out), ${EXIT_NOTHING_VERIFIED} nothing was verified (no check passed: every one is unsupported here).

Limits: ${VERIFY_LIMITS.maxReplicas} replicas per workload and ${VERIFY_LIMITS.maxAttachmentsPerPod} attachments per pod (past them the
object is a FAILED input row); ${VERIFY_LIMITS.maxPods} pods, ${VERIFY_LIMITS.maxObjects} objects and ${VERIFY_LIMITS.maxNodes} nodes per run (past them, exit 2).

Engines: --engine multus attaches every pod with the real Multus binary (CNI ADD/DEL as a
container runtime calls it), reading the Pod and NADs from a private API server (etcd and
kube-apiserver on 127.0.0.1, reached from the node namespaces through a unix socket of the run),
and checks the network-status it writes; --engine emulated does Multus's work itself. auto (the
default) is multus when \`npm run toolchain\` has built multus, etcd and kube-apiserver, else
emulated; the first progress line and the output name the engine that ran.

What verify touches: network namespaces named <prefix>-* (the prefix is random per run), a
temporary directory holding all plugin state, and its marker in ${DEFAULT_RUN_DIR}/<prefix>.json.
It refuses (unsupported here) options that reach outside the run: path options of a plugin and
the firewall plugin's firewalld backend. --cleanup removes the leftovers of killed runs only.

DRA: a pod's resourceClaims naming a ResourceClaimTemplate or ResourceClaim of the inputs whose
config carries cni-dra-driver's CNI parameters are attachments too, each run as the driver runs
it (the parameters' ifName and config, no capability arguments), with either engine. SR-IOV DRA
and DRANET claims are unsupported here (no VFs, no host interfaces to move).

CNI 1.1: STATUS goes before the first ADD of a network on a node (a failure fails its
attachments, ADD not run) and GC after the DELs (cni.dev/valid-attachments: those still alive),
where the config's version (cniVersion, or the highest of cniVersions) is 1.1.0 and every plugin's
VERSION lists 1.1.0. The output says per network which verb was sent or not, and why. Leaks (what
GC released, host-local reservations left in the run's state) are FAILED gc rows. Multus 4.3.0
itself sends neither verb to a pod's NADs.
`;

/**
 * `cdk8s-nfv verify <inputs...>`: brings the topology up with the real CNI plugins, checks
 * reachability, tears everything down. Progress goes to stderr, the table (or JSON) to stdout.
 * SIGINT/SIGTERM cancel the run through an AbortSignal (the library installs no handlers).
 */
registerSubcommand((program, io, setExit) => {
  program
    .command('verify')
    .description('bring the topology up on this machine with the real CNI plugins (root), check reachability, tear it down')
    .argument('[inputs...]', 'files, folders, or - for standard input')
    .option('--cni-path <dirs>', 'plugin directories, colon-separated', DEFAULT_CNI_PATH.join(':'))
    .option('--nodes <n>', 'emulated nodes (joined by an underlay bridge per uplink)', '1')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--timeout <seconds>', 'stop, tear down and exit 2 after this long', '600')
    .option('--no-probe-unselected', 'do not bring up probe pods on NADs no workload selects')
    .addOption(new Option('--engine <engine>', 'what attaches the pods: the real Multus binary with a private API server (multus), verify itself (emulated), or multus when the toolchain is built (auto)').choices(['auto', 'multus', 'emulated']).default('auto'))
    .option('--cleanup', 'remove the leftovers (namespaces, state) of verify runs that were killed, and only those; then exit')
    .addHelpText('after', HELP_AFTER)
    .action(async (inputs: string[], opts: { cniPath: string; nodes: string; format: string; timeout: string; probeUnselected: boolean; cleanup?: boolean; engine: string }) => {
      if (opts.cleanup) {
        const r = cleanupDeadRuns();
        for (const x of r.removed) io.err(`cdk8s-nfv verify: removed run ${x.prefix} (pid ${x.pid} is gone): ${x.namespaces.length} namespace(s)${x.stateDir ? `, ${x.stateDir}` : ''}\n`);
        for (const p of r.alive) io.err(`cdk8s-nfv verify: left run ${p} alone (its process is alive)\n`);
        if (opts.format === 'json') io.out(`${JSON.stringify(r, null, 2)}\n`);
        else io.out(`${r.removed.length} dead run(s) cleaned, ${r.alive.length} live run(s) left alone${r.failed.length ? `; could not remove ${r.failed.join(', ')}` : ''}\n`);
        setExit(r.failed.length > 0 ? ExitCode.FAILED : ExitCode.OK);
        return;
      }
      if (inputs.length === 0) {
        io.err("cdk8s-nfv verify: 'inputs' are missing: got none; pass files, folders or - (or --cleanup)\n");
        setExit(ExitCode.CANNOT_RUN);
        return;
      }
      const nodes = Number(opts.nodes);
      const timeout = Number(opts.timeout);
      if (!Number.isFinite(timeout) || timeout <= 0) {
        io.err(`cdk8s-nfv verify: '--timeout' must be a positive number of seconds: got ${JSON.stringify(opts.timeout)}; write e.g. --timeout 300\n`);
        setExit(ExitCode.CANNOT_RUN);
        return;
      }
      // the engine: the real Multus needs the toolchain (multus, etcd, kube-apiserver)
      const cache = toolchainCacheDir(process.env);
      const found = findMultusToolchain(cache);
      if (opts.engine === 'multus' && !found.toolchain) {
        io.err(`cdk8s-nfv verify: '--engine multus' needs the toolchain binaries: got none for ${found.missing.join(', ')} in ${cache}; run \`npm run toolchain\` (or set CDK8S_NFV_TOOLCHAIN_DIR), or pass --engine emulated\n`);
        setExit(ExitCode.CANNOT_RUN);
        return;
      }
      const engineName = opts.engine === 'emulated' || !found.toolchain ? 'emulated' : 'multus';
      const engineLine = `verify: engine ${engineName}${engineName === 'multus' ? ` (${found.toolchain!.multus})` : opts.engine === 'auto' ? ` (no toolchain for ${found.missing.join(', ')} in ${cache})` : ''}\n`;
      let engineSaid = false;
      const abort = new AbortController();
      const onSignal = (sig: 'SIGINT' | 'SIGTERM') => () => abort.abort(sig);
      const handlers = { SIGINT: onSignal('SIGINT'), SIGTERM: onSignal('SIGTERM') };
      process.on('SIGINT', handlers.SIGINT);
      process.on('SIGTERM', handlers.SIGTERM);
      try {
        const report = await verifyManifests(inputs, {
          cniPath: opts.cniPath.split(':').filter((d) => d !== ''),
          nodes,
          timeoutMs: timeout * 1000,
          probeUnselected: opts.probeUnselected,
          signal: abort.signal,
          progress: (line) => {
            if (!engineSaid) io.err(engineLine);
            engineSaid = true;
            io.err(`${line}\n`);
          },
          ...(engineName === 'multus' ? { engine: multusEngine({ ...found.toolchain!, signal: abort.signal, log: (line) => io.err(`${line}\n`) }) } : {}),
        });
        const verdict = verdictOf(report);
        if (opts.format === 'json') {
          const { checks, ...summary } = report;
          io.out(`${JSON.stringify({ ok: verdict === 'passed', verdict, engine: engineName, ...summary, checks }, null, 2)}\n`);
        } else {
          io.out(`${formatVerifyTable(report)}engine: ${engineName}\n`);
        }
        setExit(verdict === 'failed' ? ExitCode.FAILED : verdict === 'nothing-verified' ? EXIT_NOTHING_VERIFIED : ExitCode.OK);
      } catch (e) {
        if (e instanceof VerifyCannotRun || e instanceof VerifyInterrupted) {
          io.err(`cdk8s-nfv verify: ${e.message}\n`);
          setExit(ExitCode.CANNOT_RUN);
          return;
        }
        throw e;
      } finally {
        process.removeListener('SIGINT', handlers.SIGINT);
        process.removeListener('SIGTERM', handlers.SIGTERM);
      }
    });
});
