import { JsonObject } from '../cni/common';
import { Diagram, DiagramInput, buildDiagram } from '../diagram/model';
import { DiagramFormat, renderDiagram } from '../diagram/render';
import { ManifestObject, ReadProblem, readManifests } from './manifests';
import { topologyFromManifests } from './topology-from-manifests';

/**
 * The `diagram` command's work: manifests in, picture out. Reading goes through the same
 * topology reader as `lint` and `verify`; the picture model and its renderers live in
 * `lib/diagram/`.
 */

/** The diagram input of Kubernetes objects: NADs, and the workloads with Multus annotations. */
export function diagramInputFromManifests(objects: readonly ManifestObject[]): DiagramInput {
  const topology = topologyFromManifests(objects);
  return {
    networks: topology.networks.map((n) => {
      let rawConfig: JsonObject | undefined;
      if (!n.config && n.configText !== undefined) {
        try {
          const parsed = JSON.parse(n.configText);
          if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) rawConfig = parsed;
        } catch {
          // not JSON: drawn without plugin details (lint says why)
        }
      }
      return { ...n, rawConfig };
    }),
    workloads: topology.pods,
  };
}

/** The picture of Kubernetes objects. */
export function diagramOfManifests(objects: readonly ManifestObject[]): Diagram {
  return buildDiagram(diagramInputFromManifests(objects));
}

/** The outcome of {@link drawManifests}. */
export interface DrawResult {
  /** The picture as data. */
  readonly diagram: Diagram;
  /** The rendered picture. */
  readonly text: string;
  /** Files that could not be read or parsed. */
  readonly readProblems: ReadProblem[];
}

/** Reads the inputs (files, folders, `-`) and renders their topology. */
export async function drawManifests(inputs: readonly string[], format: DiagramFormat, stdin?: () => string): Promise<DrawResult> {
  const { objects, problems } = readManifests(inputs, stdin);
  const diagram = diagramOfManifests(objects);
  const text = await renderDiagram(diagram, format);
  return { diagram, text, readProblems: problems };
}
