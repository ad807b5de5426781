// Docker's stats (one sample) → CRI's CpuUsage and MemoryUsage. Working set is usage minus inactive file
// pages, the figure the kubelet evicts on (cgroup v1: total_inactive_file; v2: inactive_file).

/** The parts of Docker's stats response that are read. */
export interface DockerStatsSample {
  read: string;
  cpu_stats?: { cpu_usage?: { total_usage?: number } };
  memory_stats?: { usage?: number; limit?: number; stats?: Record<string, number> };
}

/** CPU and memory figures in CRI's shapes. Numbers are decimal strings (uint64 on the wire). */
export interface CriUsage {
  cpu: { timestamp: string; usage_core_nano_seconds: { value: string }; usage_nano_cores: null };
  memory: {
    timestamp: string;
    working_set_bytes: { value: string };
    available_bytes: { value: string } | null;
    usage_bytes: { value: string };
    rss_bytes: { value: string } | null;
    page_faults: { value: string } | null;
    major_page_faults: { value: string } | null;
  };
}

function nowNanos(read: string): string {
  const ms = Date.parse(read);
  return (BigInt(Number.isNaN(ms) || ms <= 0 ? Date.now() : ms) * 1_000_000n).toString();
}

const v = (n: number): { value: string } => ({ value: String(Math.max(0, Math.round(n))) });

/** Converts one Docker stats sample. */
export function criUsageFromDockerStats(s: DockerStatsSample): CriUsage {
  const ts = nowNanos(s.read);
  const mem = s.memory_stats ?? {};
  const st = mem.stats ?? {};
  const usage = mem.usage ?? 0;
  const inactive = st.total_inactive_file ?? st.inactive_file ?? 0;
  const workingSet = Math.max(0, usage - inactive);
  // Docker reports the host's memory as the limit when none is set; "available" only means something with one.
  const limit = mem.limit ?? 0;
  const rss = st.total_rss ?? st.anon;
  const faults = st.total_pgfault ?? st.pgfault;
  const major = st.total_pgmajfault ?? st.pgmajfault;
  return {
    cpu: { timestamp: ts, usage_core_nano_seconds: v(s.cpu_stats?.cpu_usage?.total_usage ?? 0), usage_nano_cores: null },
    memory: {
      timestamp: ts,
      working_set_bytes: v(workingSet),
      available_bytes: limit > 0 ? v(limit - workingSet) : null,
      usage_bytes: v(usage),
      rss_bytes: rss === undefined ? null : v(rss),
      page_faults: faults === undefined ? null : v(faults),
      major_page_faults: major === undefined ? null : v(major),
    },
  };
}

/** Sums several containers' usage into a pod's (for PodSandboxStats). */
export function sumUsage(parts: CriUsage[], timestamp: string): CriUsage {
  const add = (f: (u: CriUsage) => string | undefined): string =>
    parts.reduce((acc, u) => acc + BigInt(f(u) ?? '0'), 0n).toString();
  return {
    cpu: { timestamp, usage_core_nano_seconds: { value: add((u) => u.cpu.usage_core_nano_seconds.value) }, usage_nano_cores: null },
    memory: {
      timestamp,
      working_set_bytes: { value: add((u) => u.memory.working_set_bytes.value) },
      available_bytes: null,
      usage_bytes: { value: add((u) => u.memory.usage_bytes.value) },
      rss_bytes: { value: add((u) => u.memory.rss_bytes?.value) },
      page_faults: null,
      major_page_faults: null,
    },
  };
}
