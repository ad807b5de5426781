// Defaulting: the room's public surface.

/** applyDefaults(resource, obj): fills upstream's defaults in place. */
export { applyDefaults } from './apply.js';
/** Pod spec defaults alone (for pod templates held elsewhere), and the image pull policy rule. */
export { defaultPodSpec, defaultPullPolicy, defaultTerminationGracePeriodSeconds } from './pod.js';
/** The Job registry's selector generation (needs metadata.uid), and the labels it uses. */
export { generateJobSelector, jobControllerUidLabel, jobNameLabel } from './workloads.js';
