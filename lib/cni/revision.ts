/**
 * Formerly a process-wide counter of model changes that the whole-topology check compared to
 * reuse its result. The check now keeps its result on the App with the state it was computed from
 * (lib/topology-validation.ts), so nothing counts changes any more.
 *
 * @deprecated does nothing; the remaining calls (NetworkAttachmentDefinition, ExternalNetwork,
 * CniConfig.add, CniPlugin.addCapability) are to be removed with this file.
 */
export function modelChanged(): void {}
