// The one description of every built-in kind's fields. Three readers, so the facts live once:
//  - the OpenAPI v2/v3 documents kubectl downloads (control-plane/apiserver/openapi/),
//  - strategic merge patch, which needs each list's merge key and strategy (upstream's patchMergeKey /
//    patchStrategy struct tags),
//  - strict field validation (`fieldValidation=Strict`), which reports unknown and mistyped fields.
// Definition names follow upstream's OpenAPI names, e.g. `io.k8s.api.core.v1.PodSpec`.

export type FieldSchema =
  | { type: 'string'; format?: 'date-time' | 'byte'; enum?: readonly string[]; description?: string }
  /** A resource.Quantity: a string on the wire ("500m", "128Mi"), also accepted as a JSON number. */
  | { type: 'quantity'; description?: string }
  /** intstr.IntOrString: a JSON integer or string (ports by name, "25%"). */
  | { type: 'int-or-string'; description?: string }
  | { type: 'integer'; format?: 'int32' | 'int64'; description?: string }
  | { type: 'number'; description?: string }
  | { type: 'boolean'; description?: string }
  /** A named definition, looked up with `getDefinition`. */
  | { type: 'ref'; ref: string; description?: string }
  | {
      type: 'array';
      items: FieldSchema;
      /** Strategic merge patch: merge list elements by this key (patchMergeKey). */
      mergeKey?: string;
      /** Strategic merge patch: 'merge' (by mergeKey, or as a set for scalars) or 'replace' (default). */
      patchStrategy?: 'merge' | 'replace';
      /**
       * Strategic merge patch: upstream's `patchStrategy:"merge,retainKeys"` (PodSpec.volumes): merge by
       * mergeKey, and when an element is replaced keep only the keys the patch names, so switching a
       * volume's source (emptyDir → configMap) does not leave both set.
       */
      retainKeys?: boolean;
      /** Server-side-apply list semantics, published as x-kubernetes-list-type. */
      listType?: 'atomic' | 'set' | 'map';
      listMapKeys?: readonly string[];
      description?: string;
    }
  /** map[string]T */
  | { type: 'map'; values: FieldSchema; description?: string }
  /** Free-form JSON (e.g. managedFields.fieldsV1, RawExtension). */
  | { type: 'any'; description?: string };

export interface Definition {
  /** Upstream OpenAPI name, e.g. `io.k8s.api.core.v1.Pod`. */
  name: string;
  description?: string;
  properties: Readonly<Record<string, FieldSchema>>;
  required?: readonly string[];
  /** Set on top-level kinds: the group/version/kind this definition is served as. */
  gvk?: { group: string; version: string; kind: string };
}
