// Server-side printing: the meta.k8s.io/v1 Table `kubectl get` asks for, with upstream's columns.

/**
 * Renders objects of one resource as a Table: column definitions (priority 1 = `-o wide` only) and one
 * row per object whose `object` is chosen by `includeObject` (default Metadata: a PartialObjectMetadata,
 * which kubectl reads for `-A`'s NAMESPACE column, `--show-labels` and `-L`). Pure: `now` fixes AGE.
 */
export { toTable } from './to-table.js';
/** The printer used for a resource, for callers that need the columns alone (e.g. an empty watch). */
export { printerFor } from './printers.js';
/** `humanDuration(ms)` formats ages as kubectl does (`5s`, `3m2s`, `2d3h`); `ageSince(ts, now)`. */
export { humanDuration, ageSince } from './human-duration.js';
export type {
  IncludeObject, Printer, RowObject, Table, TableColumnDefinition, TableOptions, TableRow, TableRowCondition,
} from './table-types.js';
