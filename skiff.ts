#!/usr/bin/env node
// The `skiff` command. It only dispatches: each subcommand lives in its component's room and is loaded on
// demand, so `skiff agent` never loads the control plane and the other way round.

interface Subcommand {
  summary: string;
  load: () => Promise<{ main(argv: string[]): Promise<void> }>;
}

const subcommands: Record<string, Subcommand> = {
  server: { summary: 'run the control plane (API server, store)', load: () => import('./control-plane/cmd/server.js') },
  agent: { summary: 'run the node agent (kubelet, with the CRI over Docker in-process)', load: () => import('./agent/cmd/agent.js') },
  'controller-manager': { summary: 'run the controllers against an API server', load: () => import('./control-plane/cmd/controller-manager.js') },
  cri: { summary: 'run the CRI runtime service over Docker on a Unix socket', load: () => import('./agent/cmd/cri.js') },
  proxy: { summary: 'run the service proxy (iptables) for one node', load: () => import('./agent/cmd/proxy.js') },
  scheduler: { summary: 'run the scheduler against an API server', load: () => import('./control-plane/cmd/scheduler.js') },
  token: { summary: 'create bootstrap tokens for joining nodes (`skiff token create`)', load: () => import('./control-plane/cmd/token.js') },
  kubeconfig: { summary: "print the admin kubeconfig of a server's data dir", load: () => import('./control-plane/cmd/kubeconfig.js') },
};

function usage(): string {
  const width = Math.max(...Object.keys(subcommands).map((n) => n.length)) + 2;
  const lines = Object.entries(subcommands).map(([name, c]) => `  ${name.padEnd(width)}${c.summary}`);
  return ['usage: skiff <command> [flags]', '', 'commands:', ...lines, '', 'Run `skiff <command> --help` for its flags.'].join('\n');
}

async function run(argv: string[]): Promise<void> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return;
  }
  const command = subcommands[name];
  if (!command) {
    console.error(`skiff: unknown command "${name}"\n\n${usage()}`);
    process.exitCode = 2;
    return;
  }
  const module = await command.load();
  await module.main(rest);
}

run(process.argv.slice(2)).catch((err: unknown) => {
  console.error(`skiff: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
