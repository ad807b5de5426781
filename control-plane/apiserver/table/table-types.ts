// meta.k8s.io/v1 Table: what `kubectl get` asks for (Accept: application/json;as=Table;v=v1;g=meta.k8s.io)
// and prints column by column, hiding priority > 0 columns unless `-o wide`.
import type { KubeObject, ListMeta, ObjectMeta } from '../../../api/object.js';

export interface TableColumnDefinition {
  /** Upstream casing (`Nominated Node`); kubectl upper-cases it for the header. */
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  /** `name` marks the column kubectl uses for `-o name`-like output; otherwise ''. */
  format: string;
  description: string;
  /** 0: always shown; 1: shown only with `-o wide`. */
  priority: number;
}

export interface TableRowCondition {
  type: 'Completed';
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
}

/** The row's object, as chosen by `includeObject`. */
export type RowObject =
  | KubeObject
  | { kind: 'PartialObjectMetadata'; apiVersion: 'meta.k8s.io/v1'; metadata: ObjectMeta };

export interface TableRow {
  cells: Array<string | number | boolean>;
  conditions?: TableRowCondition[];
  object?: RowObject;
}

export interface Table {
  kind: 'Table';
  apiVersion: 'meta.k8s.io/v1';
  metadata: ListMeta;
  columnDefinitions: TableColumnDefinition[];
  rows: TableRow[];
}

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export interface TableOptions {
  /** `includeObject` query parameter; upstream's default is Metadata. */
  includeObject?: IncludeObject;
  listMeta?: ListMeta;
  /** The clock for AGE columns; defaults to the current time. */
  now?: Date;
}

/** One kind's printer: its columns and the cells of one object (same length and order as columns). */
export interface Printer {
  columns: TableColumnDefinition[];
  cells(obj: KubeObject, now: Date): Array<string | number | boolean>;
  conditions?(obj: KubeObject): TableRowCondition[] | undefined;
}
