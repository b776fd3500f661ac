import * as fs from 'fs';
import { Option } from 'commander';
import { DiagramFormat } from '../diagram/render';
import { drawManifests } from './diagram';
import { ExitCode, registerSubcommand } from './main';
import { escapeControlCharacters } from './terminal-text';

registerSubcommand((program, io, setExit) => {
  program
    .command('diagram')
    .description('draw the networks of Kubernetes YAML and the workloads attached to them (interfaces, addresses, plugin, uplink)')
    .argument('<inputs...>', 'files, folders, or - for standard input')
    .addOption(new Option('--format <format>', 'picture format').choices([DiagramFormat.SVG, DiagramFormat.MERMAID, DiagramFormat.DOT]).default(DiagramFormat.SVG))
    .option('-o, --output <file>', 'write the picture to a file instead of standard output')
    .action(async (inputs: string[], opts: { format: DiagramFormat; output?: string }) => {
      const result = await drawManifests(inputs, opts.format);
      if (result.readProblems.length > 0) {
        for (const p of result.readProblems) io.err(`cdk8s-nfv diagram: ${escapeControlCharacters(`${p.file}: ${p.message}`)}\n`);
        setExit(ExitCode.CANNOT_RUN);
        return;
      }
      // objects drawn in part or left out: said on stderr, the rest is drawn
      for (const w of result.warnings) io.err(`cdk8s-nfv diagram: warning: ${escapeControlCharacters(w)}\n`);
      const { networks, functions } = result.diagram;
      if (networks.length === 0 && functions.length === 0) {
        io.err('cdk8s-nfv diagram: no NetworkAttachmentDefinition and no workload with a Multus annotation in the inputs; nothing to draw\n');
        setExit(ExitCode.FAILED);
        return;
      }
      if (opts.output) {
        try {
          fs.writeFileSync(opts.output, result.text);
        } catch (e) {
          io.err(`cdk8s-nfv diagram: ${escapeControlCharacters(`'--output' cannot be written: got ${JSON.stringify(opts.output)}; ${(e as Error).message}`)}\n`);
          setExit(ExitCode.CANNOT_RUN);
          return;
        }
        io.err(`cdk8s-nfv diagram: wrote ${escapeControlCharacters(opts.output)} (${networks.length} network(s), ${functions.length} workload(s))\n`);
      } else {
        io.out(result.text);
      }
      setExit(ExitCode.OK);
    });
});
