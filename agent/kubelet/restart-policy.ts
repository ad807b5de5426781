// Whether an exited container runs again, per the pod's restartPolicy (upstream's ShouldContainerBeRestarted).
import type { RestartPolicy } from '../../api/index.js';

export function shouldRestart(policy: RestartPolicy | undefined, exitCode: number): boolean {
  switch (policy ?? 'Always') {
    case 'Always': return true;
    case 'OnFailure': return exitCode !== 0;
    default: return false;
  }
}
