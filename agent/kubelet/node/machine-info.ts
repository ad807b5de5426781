// What the node is, read once at start from `systeminformation` (and cached): CPUs, memory, root disk,
// OS, kernel, architecture, machine id, and the primary IPv4 address.
import os from 'node:os';
import si from 'systeminformation';

export interface MachineInfo {
  hostname: string;
  cpus: number;
  memoryBytes: number;
  rootDiskBytes: number;
  osImage: string;
  kernelVersion: string;
  architecture: string;
  operatingSystem: string;
  machineID: string;
  systemUUID: string;
  bootID: string;
  primaryIPv4: string;
}

function goArch(arch: string): string {
  if (arch === 'x64') return 'amd64';
  if (arch === 'arm64' || arch === 'aarch64') return 'arm64';
  return arch;
}

/** The node's first non-internal IPv4 address on an interface that is not a Docker bridge; 127.0.0.1 if none. */
export function primaryIPv4(): string {
  for (const [name, addrs] of Object.entries(os.networkInterfaces())) {
    if (name.startsWith('docker') || name.startsWith('br-') || name.startsWith('veth')) continue;
    for (const a of addrs ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return '127.0.0.1';
}

/** Reads the machine's facts. */
export async function readMachineInfo(): Promise<MachineInfo> {
  const [osInfo, mem, cpu, disks, uuid] = await Promise.all([
    si.osInfo().catch(() => undefined),
    si.mem().catch(() => undefined),
    si.cpu().catch(() => undefined),
    si.fsSize().catch(() => []),
    si.uuid().catch(() => undefined),
  ]);
  const root = disks.find((d) => d.mount === '/') ?? disks[0];
  let bootID = '';
  try {
    bootID = (await import('node:fs')).readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    bootID = '';
  }
  return {
    hostname: os.hostname().toLowerCase(),
    cpus: cpu?.cores || os.cpus().length || 1,
    memoryBytes: mem?.total || os.totalmem(),
    rootDiskBytes: root?.size ?? 0,
    osImage: osInfo ? `${osInfo.distro} ${osInfo.release}`.trim() : os.type(),
    kernelVersion: osInfo?.kernel || os.release(),
    architecture: goArch(osInfo?.arch || os.arch()),
    operatingSystem: (osInfo?.platform || os.platform()) === 'win32' ? 'windows' : 'linux',
    machineID: uuid?.os ?? '',
    systemUUID: uuid?.hardware ?? '',
    bootID,
    primaryIPv4: primaryIPv4(),
  };
}
