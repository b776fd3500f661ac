/**
 * The command run from the TypeScript sources in a child process (the tests' stand-in for
 * bin/cdk8s-nfv.js, which prefers a compiled build/ that may be older than the sources):
 *   node --import tsx test/cli/dataplane/cli-child.ts verify <inputs...>
 */
import { run } from '../../../lib/cli/main';

run(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (err: Error) => {
  process.stderr.write(`cdk8s-nfv: ${err.stack ?? String(err)}\n`);
  process.exitCode = 2;
});
