import { describe, expect, it } from 'vitest';
import { itemSizeInBytes, MAX_ITEM_BYTES } from '../../functions/adapters/dynamo-item-size.ts';

describe('DynamoDB item size, as DynamoDB counts it', () => {
  it('is 400 KB of 1,024 bytes', () => {
    expect(MAX_ITEM_BYTES).toBe(409_600);
  });

  it('counts strings in UTF-8 bytes: three per Chinese character, one per ASCII character', () => {
    expect(itemSizeInBytes({ name: 'abc' })).toBe(4 + 3);
    expect(itemSizeInBytes({ name: '张三丰' })).toBe(4 + 9);
    expect(itemSizeInBytes({ name: '𠮷' })).toBe(4 + 4);
    expect(itemSizeInBytes({ name: '张'.repeat(300_000) })).toBe(4 + 900_000);
  });

  it('counts attribute names in UTF-8 bytes too', () => {
    expect(itemSizeInBytes({ 姓名: '' })).toBe(6);
    expect(itemSizeInBytes({ PK: 'INST#a', SK: 'META' })).toBe(2 + 6 + 2 + 4);
  });

  it('counts numbers by significant digits, booleans and null as one byte', () => {
    // 1 byte per two significant digits, plus 1; leading and trailing zeroes do not count.
    expect(itemSizeInBytes({ n: 12345 })).toBe(1 + 3 + 1);
    expect(itemSizeInBytes({ n: 0.001 })).toBe(1 + 1 + 1);
    expect(itemSizeInBytes({ n: 1_000_000 })).toBe(1 + 1 + 1);
    expect(itemSizeInBytes({ n: -12 })).toBe(1 + 1 + 1);
    expect(itemSizeInBytes({ ok: true, no: null })).toBe(2 + 1 + 2 + 1);
  });

  it('counts lists and maps with 3 bytes each and 1 byte per element, and skips undefined', () => {
    expect(itemSizeInBytes({ l: [] })).toBe(1 + 3);
    expect(itemSizeInBytes({ l: ['ab', 7] })).toBe(1 + 3 + (2 + 1) + (2 + 1));
    expect(itemSizeInBytes({ m: { a: 'x', b: undefined } })).toBe(1 + 3 + (1 + 1 + 1));
    expect(itemSizeInBytes({ m: { 省: { 市: '福州' } } })).toBe(1 + 3 + (3 + 3 + (3 + 6 + 1) + 1));
    expect(itemSizeInBytes({ gone: undefined })).toBe(0);
  });

  it('counts binary values by their raw bytes and sets by their elements', () => {
    expect(itemSizeInBytes({ b: new Uint8Array(10) })).toBe(1 + 10);
    expect(itemSizeInBytes({ s: new Set(['ab', 'cde']) })).toBe(1 + 2 + 3);
  });

  it('puts an item of exactly 400 KB within the limit and one byte more over it', () => {
    const exactly = { PK: 'x'.repeat(MAX_ITEM_BYTES - 2) };
    expect(itemSizeInBytes(exactly)).toBe(MAX_ITEM_BYTES);
    const over = { PK: 'x'.repeat(MAX_ITEM_BYTES - 1) };
    expect(itemSizeInBytes(over)).toBe(MAX_ITEM_BYTES + 1);
    // The same number of characters in Chinese is three times the bytes.
    expect(itemSizeInBytes({ name: '张'.repeat(136_532) })).toBe(MAX_ITEM_BYTES);
    expect(itemSizeInBytes({ name: '张'.repeat(136_533) })).toBeGreaterThan(MAX_ITEM_BYTES);
  });
});
