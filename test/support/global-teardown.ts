// After the whole run: remove the Docker networks the CRI made for nodes' pod CIDRs
// (skiff-pods-<cidr>). Test clusters running at the same time share one such network (their nodes get the
// same first /24), so no single test may remove it while others could still be using it; once every test
// file has finished, nothing is. A network that still has containers is left alone (docker refuses).
import Dockerode from 'dockerode';

export async function teardown(): Promise<void> {
  const docker = new Dockerode({ socketPath: '/var/run/docker.sock' });
  const networks = await docker.listNetworks({ filters: { name: ['skiff-pods-'] } }).catch(() => []);
  await Promise.all(
    networks.filter((n) => n.Name.startsWith('skiff-pods-')).map((n) => docker.getNetwork(n.Id).remove().catch(() => undefined)),
  );
}
