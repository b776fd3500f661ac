import { JsonObject } from '../cni/common';
import { Diagram, DiagramInput, buildDiagram } from '../diagram/model';
import { DiagramFormat, renderDiagram } from '../diagram/render';
import { formatProblem } from '../cni/problem';
import { ManifestObject, ReadProblem, describeObject, visitManifests } from './manifests';
import { ManifestTopology, ManifestTopologyReader, topologyFromManifests } from './topology-from-manifests';

/**
 * The `diagram` command's work: manifests in, picture out. Reading goes through the same
 * topology reader as `lint` and `verify`; the picture model and its renderers live in
 * `lib/diagram/`. One invalid object never stops the picture: it is drawn in part or left out,
 * and named in a warning.
 */

function rawConfigOf(text: string | undefined): JsonObject | undefined {
  if (text === undefined) return undefined;
  try {
    const parsed = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed;
  } catch {
    // not JSON: drawn without plugin details (lint says why)
  }
  return undefined;
}

/** The diagram input of a topology read from manifests. */
function inputOf(topology: ManifestTopology): DiagramInput {
  return {
    // the raw config too: a config the typed model rejects is still drawn from it
    networks: topology.networks.map((n) => ({ ...n, rawConfig: rawConfigOf(n.configText) })),
    workloads: topology.pods,
  };
}

/** The diagram input of Kubernetes objects: NADs, and the workloads with Multus annotations. */
export function diagramInputFromManifests(objects: readonly ManifestObject[]): DiagramInput {
  return inputOf(topologyFromManifests(objects));
}

/** The picture of Kubernetes objects. */
export function diagramOfManifests(objects: readonly ManifestObject[]): Diagram {
  return buildDiagram(diagramInputFromManifests(objects));
}

/**
 * The warnings of a picture, one line each (`<file>: <Kind ns/name>: <what>`): the objects left
 * out because they could not be read, and those the picture drew in part.
 */
export function diagramWarnings(topology: ManifestTopology, diagram: Diagram): string[] {
  const out: string[] = [];
  for (const { source, problem } of topology.dropped ?? []) {
    out.push(`${source.file}: ${describeObject(source.object)}: not drawn: ${formatProblem(problem)}`);
  }
  for (const note of diagram.notes ?? []) {
    const w = topology.where.get(note.object);
    out.push(`${w ? `${w.file}: ${w.object}` : note.object}: ${note.message}`);
  }
  return out;
}

/** The outcome of {@link drawManifests}. */
export interface DrawResult {
  /** The picture as data. */
  readonly diagram: Diagram;
  /** The rendered picture. */
  readonly text: string;
  /** Files that could not be read or parsed. */
  readonly readProblems: ReadProblem[];
  /** Objects left out of the picture or drawn in part, each naming file and object. */
  readonly warnings: string[];
}

/** Reads the inputs (files, folders, `-`) and renders their topology. */
export async function drawManifests(inputs: readonly string[], format: DiagramFormat, stdin?: () => string): Promise<DrawResult> {
  const reader = new ManifestTopologyReader();
  const problems = visitManifests(inputs, (m) => reader.add(m), stdin);
  const topology = reader.result();
  const diagram = buildDiagram(inputOf(topology));
  const text = await renderDiagram(diagram, format);
  return { diagram, text, readProblems: problems, warnings: diagramWarnings(topology, diagram) };
}
