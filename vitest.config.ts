import { defineConfig } from 'vitest/config';

// One suite, three kinds of test told apart by folder name only:
//   test/**/            unit tests (fakes, no Docker, no network)
//   test/integration/   real SQLite, etcd, Docker, iptables
//   test/e2e/           `skiff` processes driven by the real kubectl
// hack/test.sh prepares the machine (Docker engine, images, etcd, kubectl) before vitest runs.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    // Two cores: integration and e2e files start servers and containers, so keep parallelism modest.
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    testTimeout: 60_000,
    hookTimeout: 120_000,
    teardownTimeout: 30_000,
    globalSetup: ['test/support/global-teardown.ts'],
  },
});
