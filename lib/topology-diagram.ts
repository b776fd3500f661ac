import * as fs from 'fs';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { Diagram, DiagramWorkloadInput, buildDiagram } from './diagram/model';
import { DIAGRAM_EXTENSIONS, DiagramFormat, diagramTitle, renderDiagram } from './diagram/render';
import { TOPOLOGY_SOURCE, TopologyValidation } from './topology-validation';

/** Options of {@link writeTopologyDiagram}. */
export interface TopologyDiagramOptions {
  /**
   * The picture format.
   * @default DiagramFormat.SVG
   */
  readonly format?: DiagramFormat;
  /**
   * The file to write.
   * @default - `<app.outdir>/topology.<svg|mmd|dot>`, next to the synthesized YAML
   */
  readonly file?: string;
  /**
   * The title drawn above the picture.
   * @default - the ids of the App's charts, with the count of networks and workloads
   */
  readonly title?: string;
}

/**
 * The picture of an App (or any construct tree): every NAD, logical network and external
 * network, and every attached workload (a NetworkFunction's, or any workload attached with
 * PodNetworks) drawn with its kind and its attachments, from the same topology data the
 * synth-time checks read. The command line draws the same picture from the synthesized YAML
 * (`cdk8s-nfv diagram dist`).
 */
export function topologyDiagram(scope: Construct): Diagram {
  const topology = TopologyValidation.of(scope).topology();
  const kindOf = new Map<string, string>();
  for (const c of scope.node.root.node.findAll()) {
    // the workload kind of the pod template an attach facility (PodNetworks, which NetworkFunction
    // uses, or another copy of the package) registered on the workload
    const kind = (c as unknown as Record<symbol, { template?: { kind?: unknown } } | undefined>)[TOPOLOGY_SOURCE]?.template?.kind;
    if (typeof kind === 'string') kindOf.set(c.node.path, kind);
  }
  const workloads: DiagramWorkloadInput[] = topology.pods.map((p) => ({ ...p, kind: kindOf.get(p.path ?? '') ?? 'Pod' }));
  return buildDiagram({ networks: topology.networks, workloads });
}

/** Renders the picture of an App in a format (SVG rendering is asynchronous). */
export async function renderTopologyDiagram(scope: Construct, format: DiagramFormat = DiagramFormat.SVG, title?: string): Promise<string> {
  const diagram = topologyDiagram(scope);
  return renderDiagram(diagram, format, title ?? defaultTitle(scope, diagram));
}

/** The charts drawn (their ids), then what the picture shows, counted. */
function defaultTitle(scope: Construct, diagram: ReturnType<typeof topologyDiagram>): string {
  const charts = scope.node.findAll().filter((c) => Chart.isChart(c)).map((c) => c.node.id);
  const counted = diagramTitle(diagram).replace(/^Networks and attachments: /, '');
  return charts.length > 0 ? `${charts.join(', ')}: ${counted}` : diagramTitle(diagram);
}

/**
 * Writes the picture of an App next to its synthesized YAML. Call it after `app.synth()`:
 *
 * ```ts
 * const app = new App();
 * new MyChart(app, 'my-chart');
 * app.synth();
 * await writeTopologyDiagram(app); // dist/topology.svg
 * ```
 *
 * @returns the path of the file written
 */
export async function writeTopologyDiagram(app: App, options: TopologyDiagramOptions = {}): Promise<string> {
  const format = options.format ?? DiagramFormat.SVG;
  const file = options.file ?? path.join(app.outdir, `topology.${DIAGRAM_EXTENSIONS[format]}`);
  const text = await renderTopologyDiagram(app, format, options.title);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}
