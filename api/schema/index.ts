// The field schemas of every built-in kind: the one source for OpenAPI documents, strategic merge patch
// metadata and strict field validation. Definition names follow upstream's OpenAPI names.

export type { Definition, FieldSchema } from './field-schema.js';
/** Look up a definition by upstream name (`io.k8s.api.core.v1.PodSpec`); `allDefinitions()` lists them all. */
export { getDefinition, allDefinitions } from './registry.js';
/**
 * The definition of a served resource's kind, found by group/version/kind (throws for a resource with
 * no schema, which is a bug in this room); `findDefinitionByGvk` is the non-throwing form.
 */
export { definitionForResource, findDefinitionByGvk } from './registry.js';
/**
 * `fieldSchemaAt(def, ['spec','containers'])` gives the schema of a nested field (lists and maps are
 * stepped into with any segment); `definitionOf(schema)` resolves a `ref`.
 * `findUnknownFields(name, value)` lists dotted paths the schema does not know (fieldValidation=Strict);
 * `findTypeErrors(name, value)` lists fields whose JSON type is wrong.
 */
export { fieldSchemaAt, definitionOf, findUnknownFields, findTypeErrors } from './field-walk.js';
export type { FieldTypeError } from './field-walk.js';
