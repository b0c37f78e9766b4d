// Inventory files: which format a file is (by its content; --format overrides), and its
// observations. Formats and their shapes: docs/inventory.md.
import { readText } from '../cloud/files';
import { fromAws, isAwsInventory } from './aws';
import { fromInventoryCsv } from './csv';
import { fromInventoryJson } from '../../lib/inventory/json';
import { fromKubernetes, isKubernetesList } from './kubernetes';
import { emptyResult, INVENTORY_FORMATS, type AdapterResult, type InventoryFormat } from './types';
import { fromVcenter, vcenterVms } from './vcenter';

export { fromFlows } from './flows';
export { INVENTORY_FORMATS, type AdapterResult, type InventoryFormat } from './types';

export interface InventoryFile {
  format: InventoryFormat;
  result: AdapterResult;
}

/** The inventory format of a parsed JSON document, or null. */
export function detectJsonFormat(doc: unknown): InventoryFormat | null {
  if (isKubernetesList(doc)) return 'kubernetes';
  if (isAwsInventory(doc)) return 'aws';
  if (vcenterVms(doc)) return 'vcenter';
  const list = Array.isArray(doc) ? doc : (doc as { workloads?: unknown })?.workloads;
  if (Array.isArray(list) && (list.length === 0 || list.some((e) => e && typeof e === 'object' && 'name' in e))) return 'json';
  return null;
}

export function parseInventory(text: string, format?: InventoryFormat): InventoryFile {
  const body = text.replace(/^\uFEFF/, '');
  const lead = body.trimStart()[0];
  if (format === 'csv' || (!format && lead !== '[' && lead !== '{')) return { format: 'csv', result: fromInventoryCsv(body) };
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch (e) {
    const r = emptyResult();
    r.errors.push({ where: '(file)', reason: `not valid JSON: ${(e as Error).message}` });
    return { format: format ?? 'json', result: r };
  }
  const f = format ?? detectJsonFormat(doc);
  if (!f) {
    const r = emptyResult();
    const keys = doc && typeof doc === 'object' && !Array.isArray(doc) ? Object.keys(doc).slice(0, 6).join(', ') : Array.isArray(doc) ? 'an array' : typeof doc;
    r.errors.push({ where: '(root)', reason: `not an inventory format Bulkhead knows (${keys}); formats: ${INVENTORY_FORMATS.join(', ')} (--format)` });
    return { format: 'json', result: r };
  }
  const result = f === 'kubernetes' ? fromKubernetes(doc) : f === 'aws' ? fromAws(doc) : f === 'vcenter' ? fromVcenter(doc) : fromInventoryJson(doc);
  return { format: f, result };
}

/** Read an inventory file (plain or gzip) and turn it into observations. */
export async function readInventoryFile(path: string, format?: InventoryFormat): Promise<InventoryFile> {
  let text = '';
  for await (const chunk of readText(path)) text += chunk;
  return parseInventory(text, format);
}
