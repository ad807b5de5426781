// Deployments, ReplicaSets, DaemonSets, Jobs and ControllerRevisions.
import type { KubeObject } from '../../../api/object.js';
import { ageColumn, column, containersColumn, imagesColumn, nameColumn, selectorColumn } from './columns.js';
import { at, formatLabels, formatLabelSelector, int, list, str } from './fields.js';
import { ageSince, humanDuration } from './human-duration.js';
import type { Printer } from './table-types.js';

function templateContainers(o: KubeObject): [string, string] {
  const containers = list(at(o, 'spec', 'template', 'spec', 'containers'));
  return [containers.map((c) => str(c.name)).join(','), containers.map((c) => str(c.image)).join(',')];
}

function wideCells(o: KubeObject): string[] {
  return [...templateContainers(o), formatLabelSelector(at(o, 'spec', 'selector'))];
}

export const deploymentPrinter: Printer = {
  columns: [
    nameColumn,
    column('Ready', 'Number of the pod with ready state'),
    column('Up-to-date', 'Total number of non-terminated pods targeted by this deployment that have the desired template spec.', { type: 'integer' }),
    column('Available', 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.', { type: 'integer' }),
    ageColumn,
    containersColumn,
    imagesColumn,
    selectorColumn,
  ],
  cells(d, now) {
    const desired = typeof at(d, 'spec', 'replicas') === 'number' ? int(at(d, 'spec', 'replicas')) : 1;
    return [
      d.metadata.name ?? '',
      `${int(at(d, 'status', 'readyReplicas'))}/${desired}`,
      int(at(d, 'status', 'updatedReplicas')),
      int(at(d, 'status', 'availableReplicas')),
      ageSince(d.metadata.creationTimestamp, now),
      ...wideCells(d),
    ];
  },
};

export const replicaSetPrinter: Printer = {
  columns: [
    nameColumn,
    column('Desired', 'Replicas is the number of desired replicas.', { type: 'integer' }),
    column('Current', 'Replicas is the most recently observed number of replicas.', { type: 'integer' }),
    column('Ready', 'The number of ready replicas for this replica set.', { type: 'integer' }),
    ageColumn,
    containersColumn,
    imagesColumn,
    selectorColumn,
  ],
  cells(rs, now) {
    const desired = typeof at(rs, 'spec', 'replicas') === 'number' ? int(at(rs, 'spec', 'replicas')) : 1;
    return [
      rs.metadata.name ?? '',
      desired,
      int(at(rs, 'status', 'replicas')),
      int(at(rs, 'status', 'readyReplicas')),
      ageSince(rs.metadata.creationTimestamp, now),
      ...wideCells(rs),
    ];
  },
};

export const daemonSetPrinter: Printer = {
  columns: [
    nameColumn,
    column('Desired', 'The total number of nodes that should be running the daemon pod.', { type: 'integer' }),
    column('Current', 'The number of nodes that are running at least one daemon pod and are supposed to run the daemon pod.', { type: 'integer' }),
    column('Ready', 'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and ready.', { type: 'integer' }),
    column('Up-to-date', 'The total number of nodes that are running updated daemon pod', { type: 'integer' }),
    column('Available', 'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available.', { type: 'integer' }),
    column('Node Selector', 'NodeSelector is a selector which must be true for the pod to fit on a node.'),
    ageColumn,
    containersColumn,
    imagesColumn,
    selectorColumn,
  ],
  cells(ds, now) {
    const status = at(ds, 'status');
    return [
      ds.metadata.name ?? '',
      int(at(status, 'desiredNumberScheduled')),
      int(at(status, 'currentNumberScheduled')),
      int(at(status, 'numberReady')),
      int(at(status, 'updatedNumberScheduled')),
      int(at(status, 'numberAvailable')),
      formatLabels(at(ds, 'spec', 'template', 'spec', 'nodeSelector')),
      ageSince(ds.metadata.creationTimestamp, now),
      ...wideCells(ds),
    ];
  },
};

function jobHas(job: KubeObject, type: string): boolean {
  return list(at(job, 'status', 'conditions')).some((c) => c.type === type && c.status === 'True');
}

function jobStatus(job: KubeObject): string {
  if (jobHas(job, 'Complete')) return 'Complete';
  if (jobHas(job, 'Failed')) return 'Failed';
  if (job.metadata.deletionTimestamp !== undefined) return 'Terminating';
  if (jobHas(job, 'Suspended')) return 'Suspended';
  if (jobHas(job, 'FailureTarget')) return 'FailureTarget';
  if (jobHas(job, 'SuccessCriteriaMet')) return 'SuccessCriteriaMet';
  return 'Running';
}

function jobCompletions(job: KubeObject): string {
  const succeeded = int(at(job, 'status', 'succeeded'));
  const completions = at(job, 'spec', 'completions');
  if (typeof completions === 'number') return `${succeeded}/${int(completions)}`;
  const parallelism = int(at(job, 'spec', 'parallelism'));
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

function jobDuration(job: KubeObject, now: Date): string {
  const start = Date.parse(str(at(job, 'status', 'startTime')));
  if (Number.isNaN(start)) return '';
  const end = Date.parse(str(at(job, 'status', 'completionTime')));
  return humanDuration((Number.isNaN(end) ? now.getTime() : end) - start);
}

export const jobPrinter: Printer = {
  columns: [
    nameColumn,
    column('Status', 'Status of the job.'),
    column('Completions', 'The completion status of the job.'),
    column('Duration', 'Time required to complete the job.'),
    ageColumn,
    containersColumn,
    imagesColumn,
    selectorColumn,
  ],
  cells(job, now) {
    return [
      job.metadata.name ?? '',
      jobStatus(job),
      jobCompletions(job),
      jobDuration(job, now),
      ageSince(job.metadata.creationTimestamp, now),
      ...wideCells(job),
    ];
  },
};

/** `daemonset.apps/web`: the controller's group-qualified kind, lower-cased, and name. */
function controllerName(o: KubeObject): string {
  const ref = (o.metadata.ownerReferences ?? []).find((r) => r.controller === true);
  if (!ref) return '<none>';
  const slash = ref.apiVersion.indexOf('/');
  const group = slash >= 0 ? ref.apiVersion.slice(0, slash) : '';
  const kind = group ? `${ref.kind}.${group}` : ref.kind;
  return `${kind.toLowerCase()}/${ref.name}`;
}

export const controllerRevisionPrinter: Printer = {
  columns: [
    nameColumn,
    column('Controller', 'Controller of the object'),
    column('Revision', 'Revision indicates the revision of the state represented by Data.', { type: 'integer' }),
    ageColumn,
  ],
  cells(cr, now) {
    return [cr.metadata.name ?? '', controllerName(cr), int(at(cr, 'revision')), ageSince(cr.metadata.creationTimestamp, now)];
  },
};
