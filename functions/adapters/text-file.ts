/**
 * Text files people export from spreadsheets: Excel on a Chinese-language Windows saves "CSV" in the
 * system code page (GB18030 family), newer Excel and WPS in UTF-8 with a BOM. Bytes that are valid
 * UTF-8 are read as UTF-8; anything else as GB18030 (a superset of GBK and GB2312), which Node's ICU
 * decodes. Nothing is guessed beyond that: a file in a third encoding shows its mojibake in the row
 * errors that follow.
 */
export type TextEncodingName = 'utf-8' | 'gb18030';

export function decodeExportedText(bytes: Uint8Array): { text: string; encoding: TextEncodingName } {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    return { text: new TextDecoder('gb18030').decode(bytes), encoding: 'gb18030' };
  }
}
