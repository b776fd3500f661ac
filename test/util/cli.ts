import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { run } from '../../lib/cli/main';

/** What one in-process run of the command printed, and its exit code. */
export interface CliResult {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** Runs `cdk8s-nfv <args>` in-process, capturing standard output and error. */
export async function runCli(args: readonly string[]): Promise<CliResult> {
  let out = '';
  let err = '';
  const code = await run([...args], { out: (t) => { out += t; }, err: (t) => { err += t; } });
  return { code, out, err };
}

/** Writes objects as a multi-document YAML file `dir/name`; returns its path. */
export function writeYamlDocs(dir: string, name: string, docs: readonly unknown[]): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, docs.map((d) => YAML.stringify(d)).join('---\n'));
  return file;
}
