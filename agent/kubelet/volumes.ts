// Pod volumes materialised on the node under <data-dir>/pods/<uid>/volumes/<plugin>/<name>, then
// bind-mounted into the pod's containers. emptyDir is a directory shared by the pod's containers; hostPath
// is the node's path; configMap, secret and downwardAPI are projected files, rewritten atomically when their
// source changes (each pod sync refreshes them).
import fs from 'node:fs';
import path from 'node:path';
import type { KeyToPath, Pod, Volume } from '../../api/index.js';
import { ContainerConfigError } from './env.js';
import { fieldRefValue, resourceFieldRefValue, type FieldContext } from './field-ref.js';
import { configMapBytes, secretBytes, type ObjectSource } from './object-source.js';
import { writeAtomically, type FileProjection } from './atomic-writer.js';
import { mountTmpfs, unmountBelow } from './memory-medium.js';

const defaultModeBits = 0o644;

/** Volume name → host path, for the pod's mounts. */
export type VolumePaths = Map<string, string>;

export interface VolumeContext extends FieldContext {
  objects: ObjectSource;
  allocatable: Record<string, string>;
}

/** Where a pod's volumes live on the node. */
export function podDir(dataDir: string, uid: string): string {
  return path.join(dataDir, 'pods', uid);
}

function pluginOf(v: Volume): string {
  if (v.emptyDir) return 'empty-dir';
  if (v.configMap) return 'configmap';
  if (v.secret) return 'secret';
  if (v.downwardAPI) return 'downward-api';
  if (v.projected) return 'projected';
  return 'other';
}

function project(all: Record<string, Buffer>, items: KeyToPath[] | undefined, defaultMode: number, what: string): Map<string, FileProjection> {
  const out = new Map<string, FileProjection>();
  if (!items?.length) {
    for (const [k, data] of Object.entries(all)) out.set(k, { data, mode: defaultMode });
    return out;
  }
  for (const item of items) {
    const data = all[item.key];
    if (!data) throw new ContainerConfigError(`configmap references non-existent config key: ${item.key} (${what})`);
    out.set(item.path, { data, mode: item.mode ?? defaultMode });
  }
  return out;
}

/** Sets up every volume of `pod`; answers their host paths. Throws ContainerConfigError for a missing source. */
export async function setUpVolumes(pod: Pod, dataDir: string, ctx: VolumeContext): Promise<VolumePaths> {
  const uid = pod.metadata.uid ?? '';
  const ns = pod.metadata.namespace ?? 'default';
  const paths: VolumePaths = new Map();
  for (const v of pod.spec?.volumes ?? []) {
    if (v.hostPath) {
      const type = v.hostPath.type ?? '';
      if (type === 'DirectoryOrCreate') fs.mkdirSync(v.hostPath.path, { recursive: true });
      if (type === 'FileOrCreate' && !fs.existsSync(v.hostPath.path)) fs.writeFileSync(v.hostPath.path, '');
      paths.set(v.name, v.hostPath.path);
      continue;
    }
    const dir = path.join(podDir(dataDir, uid), 'volumes', pluginOf(v), v.name);
    if (v.emptyDir) {
      fs.mkdirSync(dir, { recursive: true, mode: 0o777 });
      if (v.emptyDir.medium === 'Memory') mountTmpfs(dir, v.emptyDir.sizeLimit);
      fs.chmodSync(dir, 0o777);
    } else if (v.configMap) {
      const cm = await ctx.objects.configMap(ns, v.configMap.name ?? '');
      if (!cm && !v.configMap.optional) throw new ContainerConfigError(`configmap "${v.configMap.name ?? ''}" not found`);
      writeAtomically(dir, project(cm ? configMapBytes(cm) : {}, v.configMap.items, v.configMap.defaultMode ?? defaultModeBits, 'configmap'));
    } else if (v.secret) {
      const s = await ctx.objects.secret(ns, v.secret.secretName ?? '');
      if (!s && !v.secret.optional) throw new ContainerConfigError(`secret "${v.secret.secretName ?? ''}" not found`);
      writeAtomically(dir, project(s ? secretBytes(s) : {}, v.secret.items, v.secret.defaultMode ?? defaultModeBits, 'secret'));
    } else if (v.downwardAPI) {
      const files = new Map<string, FileProjection>();
      for (const item of v.downwardAPI.items ?? []) {
        const text = item.fieldRef
          ? fieldRefValue(pod, item.fieldRef, ctx)
          : item.resourceFieldRef
            ? resourceFieldRefValue(pod, item.resourceFieldRef, pod.spec?.containers[0]?.name ?? '', ctx.allocatable)
            : '';
        files.set(item.path, { data: Buffer.from(text), mode: item.mode ?? v.downwardAPI.defaultMode ?? defaultModeBits });
      }
      writeAtomically(dir, files);
    } else {
      // Unsupported sources (persistentVolumeClaim, projected) get an empty directory so the pod still runs.
      fs.mkdirSync(dir, { recursive: true });
    }
    paths.set(v.name, dir);
  }
  return paths;
}

/** Removes everything the pod had on the node (its volumes and pod directory). hostPath data is untouched. */
export function tearDownVolumes(dataDir: string, uid: string): void {
  unmountBelow(podDir(dataDir, uid));
  fs.rmSync(podDir(dataDir, uid), { recursive: true, force: true });
}
