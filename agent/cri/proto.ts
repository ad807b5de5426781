// Loads proto/api.proto for both the server and the client, with one set of options so both sides agree on
// JS shapes: snake_case field names as in the proto (keepCase), int64/uint64 as decimal strings (CRI
// timestamps are nanoseconds, beyond a double's exact range), enums as their names, and every field
// present with its default (so handlers never meet `undefined`).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

/**
 * Where the CRI proto lives: `proto/api.proto` at the repository root, found from the sources
 * (agent/cri/) or from a build (dist/agent/cri/, since tsc does not copy .proto files into dist/).
 */
export const protoPath = ['../../proto/api.proto', '../../../proto/api.proto']
  .map((rel) => fileURLToPath(new URL(rel, import.meta.url)))
  .find((p) => existsSync(p)) ?? fileURLToPath(new URL('../../proto/api.proto', import.meta.url));

export const loaderOptions: protoLoader.Options = {
  keepCase: true,
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
};

/** The `runtime.v1` package: the service constructors and their service definitions. */
export interface RuntimeV1 {
  RuntimeService: grpc.ServiceClientConstructor;
  ImageService: grpc.ServiceClientConstructor;
}

let cached: RuntimeV1 | undefined;

/** The loaded `runtime.v1` package (loaded once per process). */
export function loadRuntimeV1(): RuntimeV1 {
  if (cached) return cached;
  const definition = protoLoader.loadSync(protoPath, loaderOptions);
  const root = grpc.loadPackageDefinition(definition) as unknown as { runtime: { v1: RuntimeV1 } };
  cached = root.runtime.v1;
  return cached;
}
