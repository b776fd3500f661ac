import { PropType, pArray, pBool, pInstance, pInt, pJsonObject, pRecord, pString } from '../cni/props-check';
import { ContainerImage } from './container-image';

/**
 * Prop types shared by the installer props (runtime checks for callers without a type checker);
 * each installer declares the shape of its props next to them with these.
 */

/** A container image, built with `ContainerImage.of(...)`. */
export const IMAGE_PROP: PropType = pInstance([ContainerImage], 'a ContainerImage', 'build it with ContainerImage.of("registry/repository:tag"), not a string');
/** A Kubernetes name or path. */
export const STRING_PROP: PropType = pString();
/** A free string (may be empty). */
export const TEXT_PROP: PropType = pString({ allowEmpty: true });
export const BOOL_PROP: PropType = pBool();
/** Labels, annotations, node selectors. */
export const STRING_MAP_PROP: PropType = pRecord(pString({ allowEmpty: true }));
/** A list of names. */
export const STRING_LIST_PROP: PropType = pArray(pString());
/** Kubernetes tolerations (L1 objects). */
export const TOLERATIONS_PROP: PropType = pArray(pJsonObject());
/** A nested options object whose own checks run in the installer. */
export const OBJECT_PROP: PropType = pJsonObject();
/** An interface MTU. */
export const MTU_PROP: PropType = pInt({ min: 68, max: 65535 });
/** A TCP or UDP port. */
export const PORT_PROP: PropType = pInt({ min: 1, max: 65535 });
/** A count or a duration in seconds. */
export const COUNT_PROP: PropType = pInt({ min: 0, max: 2147483647 });
