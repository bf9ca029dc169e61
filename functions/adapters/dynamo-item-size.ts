/**
 * The size of an item as DynamoDB counts it against its item limit, after AWS's documented rules
 * ("DynamoDB item sizes and formats" in the developer guide):
 *
 * - an attribute name or a string: its UTF-8 bytes (a Chinese character is 3, an ASCII one 1);
 * - a number: about 1 byte per two significant digits, plus 1 (leading and trailing zeroes trimmed);
 * - a binary value: its raw bytes; a boolean or null: 1 byte;
 * - a list or map: 3 bytes, plus each element's size and 1 byte per element (a map's element counts
 *   its name too); a set: the sum of its elements.
 *
 * Local stand-ins do not all count this way (dynalite measures strings in characters, so a value it
 * accepts can be three times the limit on AWS), which is why the store measures items itself before
 * it sends them. Items are in the document client's shape: plain values, `undefined` dropped.
 */
import { NumberValue } from '@aws-sdk/lib-dynamodb';
import { userFacingError } from '../domain/errors.ts';

/** DynamoDB's item limit: 400 KB, in kilobytes of 1,024 bytes. */
export const MAX_ITEM_BYTES = 400 * 1024;

/** An item DynamoDB would refuse for its size, found before any item of the same write was sent. */
export class ItemTooLargeError extends userFacingError('item-too-large') {
  override readonly name = 'ItemTooLargeError';
  constructor(
    readonly itemKeys: { PK: string; SK: string },
    readonly bytes: number,
    itemsInWrite: number,
  ) {
    super(
      `item ${itemKeys.PK} / ${itemKeys.SK} is ${bytes} bytes, over DynamoDB's limit of ${MAX_ITEM_BYTES} ` +
        `bytes (400 KB); none of the ${itemsInWrite} item(s) of this write were sent`,
    );
  }
}

/** Throws ItemTooLargeError naming the first item over DynamoDB's item limit, as DynamoDB counts it. */
export function assertEachFits(
  items: readonly (Record<string, unknown> & { PK: string; SK: string })[],
): void {
  for (const item of items) {
    const bytes = itemSizeInBytes(item);
    if (bytes > MAX_ITEM_BYTES)
      throw new ItemTooLargeError({ PK: item.PK, SK: item.SK }, bytes, items.length);
  }
}

export function itemSizeInBytes(item: Record<string, unknown>): number {
  let bytes = 0;
  for (const [name, value] of Object.entries(item)) {
    if (value !== undefined) bytes += utf8Bytes(name) + valueBytes(value);
  }
  return bytes;
}

function valueBytes(value: unknown): number {
  if (typeof value === 'string') return utf8Bytes(value);
  if (typeof value === 'number' || typeof value === 'bigint') return numberBytes(String(value));
  if (value instanceof NumberValue) return numberBytes(value.value);
  if (typeof value === 'boolean' || value === null) return 1;
  if (value instanceof ArrayBuffer) return value.byteLength;
  if (ArrayBuffer.isView(value)) return value.byteLength;
  if (value instanceof Set) return [...value].reduce((sum: number, v) => sum + valueBytes(v), 0);
  if (Array.isArray(value)) return 3 + elementBytes(value.map((v) => ['', v]));
  if (value instanceof Map) return 3 + elementBytes([...value.entries()].map(([k, v]) => [String(k), v]));
  if (typeof value === 'object') return 3 + elementBytes(Object.entries(value));
  return 0; // functions and symbols are not stored
}

/** Elements of a list (no names) or a map, each with its 1 byte of overhead. */
function elementBytes(elements: readonly (readonly [string, unknown])[]): number {
  let bytes = 0;
  for (const [name, value] of elements) {
    if (value !== undefined && typeof value !== 'function') bytes += utf8Bytes(name) + valueBytes(value) + 1;
  }
  return bytes;
}

function numberBytes(text: string): number {
  const mantissa = text.replace(/^[+-]/, '').split(/e/i)[0] ?? '';
  const significant = mantissa.replace('.', '').replace(/^0+/, '').replace(/0+$/, '');
  return Math.ceil(Math.max(1, significant.length) / 2) + 1;
}

function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}
