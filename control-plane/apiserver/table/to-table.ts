// Objects to a meta.k8s.io/v1 Table with the printer of their resource.
import type { KubeObject } from '../../../api/object.js';
import type { ResourceInfo } from '../../../api/resources.js';
import { printerFor } from './printers.js';
import type { RowObject, Table, TableOptions, TableRow } from './table-types.js';

function rowObject(o: KubeObject, include: TableOptions['includeObject']): RowObject | undefined {
  switch (include ?? 'Metadata') {
    case 'None':
      return undefined;
    case 'Object':
      return o;
    case 'Metadata':
      return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata };
  }
}

export function toTable(resource: ResourceInfo, objects: readonly KubeObject[], options: TableOptions = {}): Table {
  const printer = printerFor(resource);
  const now = options.now ?? new Date();
  const rows = objects.map((o): TableRow => {
    const conditions = printer.conditions?.(o);
    const object = rowObject(o, options.includeObject);
    return {
      cells: printer.cells(o, now),
      ...(conditions ? { conditions } : {}),
      ...(object ? { object } : {}),
    };
  });
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { ...(options.listMeta ?? {}) },
    columnDefinitions: printer.columns,
    rows,
  };
}
