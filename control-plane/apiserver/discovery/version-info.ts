// GET /version. kubectl compares major.minor with its own and warns past one minor of skew, so Skiff
// reports the Kubernetes release whose API it serves.

export interface VersionInfo {
  major: string;
  minor: string;
  gitVersion: string;
  gitCommit: string;
  gitTreeState: string;
  buildDate: string;
  goVersion: string;
  compiler: string;
  platform: string;
}

export const servedKubernetesVersion = { major: '1', minor: '33', patch: '0' };

export function versionInfo(): VersionInfo {
  const { major, minor, patch } = servedKubernetesVersion;
  return {
    major,
    minor,
    gitVersion: `v${major}.${minor}.${patch}-skiff`,
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2026-01-01T00:00:00Z',
    // Not Go: the runtime that serves the API, in the field clients print.
    goVersion: `node${process.versions.node}`,
    compiler: 'tsc',
    platform: `${process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}`,
  };
}
