// Column definitions shared by printers, with upstream's descriptions shortened.
import type { TableColumnDefinition } from './table-types.js';

export function column(
  name: string,
  description: string,
  opts: { type?: TableColumnDefinition['type']; format?: string; wide?: boolean } = {},
): TableColumnDefinition {
  return { name, type: opts.type ?? 'string', format: opts.format ?? '', description, priority: opts.wide ? 1 : 0 };
}

export const nameColumn = column(
  'Name',
  'Name must be unique within a namespace. Cannot be updated.',
  { format: 'name' },
);

export const ageColumn = column(
  'Age',
  'CreationTimestamp is a timestamp representing the server time when this object was created.',
);

export const containersColumn = column('Containers', 'Names of each container in the template.', { wide: true });
export const imagesColumn = column('Images', 'Images referenced by each container in the template.', { wide: true });
export const selectorColumn = column('Selector', 'Label query over pods that should match the replica count.', { wide: true });
