import { describe, expect, it } from 'vitest';
import { criUsageFromDockerStats, sumUsage } from '../../agent/cri/stats.js';
import { DockerFrameParser } from '../../agent/cri/docker-stream.js';

describe('Docker stats → CRI usage', () => {
  it('computes the working set as usage minus inactive file pages (cgroup v1 names)', () => {
    const u = criUsageFromDockerStats({
      read: '2024-05-01T10:00:00Z',
      cpu_stats: { cpu_usage: { total_usage: 123456789 } },
      memory_stats: { usage: 10_000_000, limit: 50_000_000, stats: { total_inactive_file: 4_000_000, total_rss: 5_000_000, total_pgfault: 10, total_pgmajfault: 1 } },
    });
    expect(u.cpu.usage_core_nano_seconds.value).toBe('123456789');
    expect(u.cpu.timestamp).toBe('1714557600000000000');
    expect(u.memory.working_set_bytes.value).toBe('6000000');
    expect(u.memory.available_bytes?.value).toBe('44000000');
    expect(u.memory.rss_bytes?.value).toBe('5000000');
  });

  it('uses cgroup v2 names when v1 ones are absent, and never goes negative', () => {
    const u = criUsageFromDockerStats({ read: '', memory_stats: { usage: 100, stats: { inactive_file: 500, anon: 7 } } });
    expect(u.memory.working_set_bytes.value).toBe('0');
    expect(u.memory.rss_bytes?.value).toBe('7');
    expect(u.cpu.usage_core_nano_seconds.value).toBe('0');
  });

  it('sums containers into a pod', () => {
    const a = criUsageFromDockerStats({ read: '', cpu_stats: { cpu_usage: { total_usage: 5 } }, memory_stats: { usage: 10 } });
    const b = criUsageFromDockerStats({ read: '', cpu_stats: { cpu_usage: { total_usage: 7 } }, memory_stats: { usage: 20 } });
    const sum = sumUsage([a, b], '1');
    expect(sum.cpu.usage_core_nano_seconds.value).toBe('12');
    expect(sum.memory.working_set_bytes.value).toBe('30');
  });
});

describe('Docker stream framing', () => {
  it('splits frames across and within chunks', () => {
    const got: [string, string][] = [];
    const p = new DockerFrameParser((s, b) => got.push([s, b.toString()]));
    const f = (type: number, text: string): Buffer => {
      const h = Buffer.alloc(8);
      h[0] = type;
      h.writeUInt32BE(Buffer.byteLength(text), 4);
      return Buffer.concat([h, Buffer.from(text)]);
    };
    const all = Buffer.concat([f(1, 'out\n'), f(2, 'err\n'), f(1, 'x')]);
    p.push(all.subarray(0, 5));
    p.push(all.subarray(5, 20));
    p.push(all.subarray(20));
    expect(got).toEqual([['stdout', 'out\n'], ['stderr', 'err\n'], ['stdout', 'x']]);
  });
});
