import { Option } from 'commander';
import { DEFAULT_CNI_PATH } from './dataplane/cni-exec';
import { ExitCode, registerSubcommand } from './main';
import { CheckResult, VerifyCannotRun, VerifyInterrupted, formatVerifyTable, verifyManifests } from './verify';

/**
 * `cdk8s-nfv verify <inputs...>`: brings the topology up with the real CNI plugins, checks
 * reachability, tears everything down. Progress goes to stderr, the table (or JSON) to stdout.
 * Exit 0 when every check passes (unsupported-here checks do not fail a run), 1 when one fails,
 * 2 when it cannot run (not root, no plugin binaries, bad input, interrupted, timed out).
 */
registerSubcommand((program, io, setExit) => {
  program
    .command('verify')
    .description('bring the topology up on this machine with the real CNI plugins (root), check reachability, tear it down')
    .argument('<inputs...>', 'files, folders, or - for standard input')
    .option('--cni-path <dirs>', 'plugin directories, colon-separated', DEFAULT_CNI_PATH.join(':'))
    .option('--nodes <n>', 'emulated nodes (joined by an underlay bridge per uplink)', '1')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--timeout <seconds>', 'stop, tear down and exit 2 after this long', '600')
    .option('--no-probe-unselected', 'do not bring up probe pods on NADs no workload selects')
    .action(async (inputs: string[], opts: { cniPath: string; nodes: string; format: string; timeout: string; probeUnselected: boolean }) => {
      const nodes = Number(opts.nodes);
      const timeout = Number(opts.timeout);
      if (!Number.isFinite(timeout) || timeout <= 0) {
        io.err(`cdk8s-nfv verify: '--timeout' must be a positive number of seconds: got ${JSON.stringify(opts.timeout)}; write e.g. --timeout 300\n`);
        setExit(ExitCode.CANNOT_RUN);
        return;
      }
      try {
        const report = await verifyManifests(inputs, {
          cniPath: opts.cniPath.split(':').filter((d) => d !== ''),
          nodes,
          timeoutMs: timeout * 1000,
          probeUnselected: opts.probeUnselected,
          progress: (line) => io.err(`${line}\n`),
        });
        if (opts.format === 'json') {
          const { checks, ...summary } = report;
          io.out(`${JSON.stringify({ ok: report.failed === 0, ...summary, checks }, null, 2)}\n`);
        } else {
          io.out(formatVerifyTable(report));
        }
        setExit(report.checks.some((c) => c.result === CheckResult.FAILED) ? ExitCode.FAILED : ExitCode.OK);
      } catch (e) {
        if (e instanceof VerifyCannotRun || e instanceof VerifyInterrupted) {
          io.err(`cdk8s-nfv verify: ${e.message}\n`);
          setExit(ExitCode.CANNOT_RUN);
          return;
        }
        throw e;
      }
    });
});
