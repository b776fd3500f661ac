/**
 * `npm run api`: writes the API reports of the public entry points (api/*.api.md) from the
 * declarations, with API Extractor. `npm run api -- --check` (what the test runs) fails when a
 * report differs from the committed one: a change to the public surface is always deliberate.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Extractor, ExtractorConfig, ExtractorLogLevel } from '@microsoft/api-extractor';

const root = path.join(__dirname, '..');

/** The public entry points: report name and source module. */
export const ENTRY_POINTS: ReadonlyArray<readonly [string, string]> = [
  ['cdk8s-nfv', 'lib/index'],
  ['cdk8s-nfv-plugin-kit', 'lib/plugin-kit'],
  ['cdk8s-nfv-pulumi', 'lib/pulumi/index'],
];

/** Writes (or, with check, compares) every report; returns the names of reports that differ. */
export function apiReports(check: boolean): string[] {
  const declarations = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-nfv-api-'));
  try {
    const tsc = spawnSync(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', path.join(root, 'tsconfig.build.json'),
      '--declaration', '--emitDeclarationOnly', '--outDir', declarations], { encoding: 'utf8' });
    if (tsc.status !== 0) throw new Error(`tsc failed:\n${tsc.stdout}${tsc.stderr}`);
    const changed: string[] = [];
    for (const [name, entry] of ENTRY_POINTS) {
      const config = ExtractorConfig.prepare({
        configObject: {
          projectFolder: root,
          mainEntryPointFilePath: path.join(declarations, `${entry}.d.ts`),
          compiler: { tsconfigFilePath: path.join(root, 'tsconfig.build.json') },
          apiReport: { enabled: true, reportFileName: `${name}.api.md`, reportFolder: path.join(root, 'api'), reportTempFolder: path.join(declarations, 'report-temp') },
          docModel: { enabled: false },
          dtsRollup: { enabled: false },
          tsdocMetadata: { enabled: false },
          messages: {
            extractorMessageReporting: {
              'default': { logLevel: ExtractorLogLevel.None },
              'ae-missing-release-tag': { logLevel: ExtractorLogLevel.None },
            },
            tsdocMessageReporting: { default: { logLevel: ExtractorLogLevel.None } },
            compilerMessageReporting: { default: { logLevel: ExtractorLogLevel.Warning } },
          },
        },
        configObjectFullPath: path.join(root, 'api', 'api-extractor.json'),
        packageJsonFullPath: path.join(root, 'package.json'),
      });
      const result = Extractor.invoke(config, { localBuild: !check, showVerboseMessages: false, messageCallback: (m) => { m.handled = true; } });
      if (result.apiReportChanged) changed.push(name);
    }
    return changed;
  } finally {
    fs.rmSync(declarations, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const check = process.argv.includes('--check');
  const changed = apiReports(check);
  if (changed.length > 0 && check) {
    console.error(`API report changed: ${changed.join(', ')}; review the change, then run \`npm run api\` to accept it`);
    process.exit(1);
  }
  console.log(changed.length ? `API report updated: ${changed.join(', ')}` : 'API reports up to date');
}
