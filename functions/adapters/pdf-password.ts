/**
 * Whether an encrypted PDF opens without a password. Scanners and "protect" buttons encrypt PDFs in
 * two ways: an owner password only (printing or editing restricted; any reader opens the file), or a
 * user password (nobody opens it without the password). Commission staff must be able to open every
 * submission, so only the first is acceptable.
 *
 * The test is the standard security handler's own check of the user password, with the empty
 * password, from ISO 32000-2 §7.6.4.4 (algorithms 2, 4 and 5 for revisions 2–4; 2.A and 2.B for 5
 * and 6). Nothing is decrypted. pdf-lib reads encrypted files but has no password check; pdf.js has one
 * but brings a worker and several megabytes to the ingest function.
 */
import { createCipheriv, createHash } from 'node:crypto';
import {
  PDFArray,
  PDFBool,
  PDFDict,
  type PDFDocument,
  PDFHexString,
  PDFName,
  PDFNumber,
  type PDFObject,
  PDFString,
} from 'pdf-lib';

export type PdfProtection = 'none' | 'owner-password-only' | 'user-password' | 'unknown-handler';

/** The 32 padding bytes of algorithm 2, step a: what an empty password becomes. */
const PADDING = Buffer.from('28bf4e5e4e758a4164004e56fffa01082e2e00b6d0683e802f0ca9fe6453697a', 'hex');

export function pdfProtection(document: PDFDocument): PdfProtection {
  const { context } = document;
  const encrypt = context.lookup(context.trailerInfo.Encrypt);
  if (!encrypt) return 'none';
  if (!(encrypt instanceof PDFDict)) return 'unknown-handler';
  const name = (key: string) => {
    const value = encrypt.lookup(PDFName.of(key));
    return value instanceof PDFName ? value.asString() : undefined;
  };
  const number = (key: string) => {
    const value = encrypt.lookup(PDFName.of(key));
    return value instanceof PDFNumber ? value.asNumber() : undefined;
  };
  const bytes = (key: string) => bytesOf(encrypt.lookup(PDFName.of(key)));
  // Certificate (public-key) handlers and others need a key nobody at the commission holds.
  if (name('Filter') !== '/Standard') return 'unknown-handler';
  const revision = number('R');
  const owner = bytes('O');
  const user = bytes('U');
  if (revision === undefined || !owner || !user) return 'unknown-handler';

  if (revision >= 5) {
    if (user.length < 40) return 'unknown-handler';
    const validationSalt = user.subarray(32, 40);
    const hash =
      revision === 5
        ? createHash('sha256').update(validationSalt).digest()
        : hardenedHash(Buffer.alloc(0), validationSalt);
    return hash.equals(user.subarray(0, 32)) ? 'owner-password-only' : 'user-password';
  }

  const permissions = number('P');
  if (permissions === undefined || revision < 2) return 'unknown-handler';
  // Length is in bits; without it, 40 (revisions 2 and 3) or the 128 of AES-128 (version 4).
  const keyLength = revision === 2 ? 5 : (number('Length') ?? (number('V') === 4 ? 128 : 40)) / 8;
  if (!Number.isInteger(keyLength) || keyLength < 5 || keyLength > 16) return 'unknown-handler';
  const ids = context.lookup(context.trailerInfo.ID);
  const firstId = ids instanceof PDFArray ? (bytesOf(ids.lookup(0)) ?? Buffer.alloc(0)) : Buffer.alloc(0);
  const encryptMetadata = encrypt.lookup(PDFName.of('EncryptMetadata'));

  // Algorithm 2: the file key from the (empty) password.
  const p = Buffer.alloc(4);
  p.writeInt32LE(permissions | 0);
  const md5 = createHash('md5').update(PADDING).update(owner.subarray(0, 32)).update(p).update(firstId);
  if (revision >= 4 && encryptMetadata instanceof PDFBool && !encryptMetadata.asBoolean()) {
    md5.update(Buffer.from([0xff, 0xff, 0xff, 0xff]));
  }
  let key = md5.digest();
  if (revision >= 3) {
    for (let i = 0; i < 50; i++) key = createHash('md5').update(key.subarray(0, keyLength)).digest();
  }
  key = key.subarray(0, keyLength);

  // Algorithms 4 (revision 2) and 5 (3 and 4): what U holds if the empty password is the user's.
  if (revision === 2) {
    return rc4(key, PADDING).equals(user.subarray(0, 32)) ? 'owner-password-only' : 'user-password';
  }
  let check = rc4(key, createHash('md5').update(PADDING).update(firstId).digest());
  for (let i = 1; i <= 19; i++) {
    check = rc4(
      key.map((b) => b ^ i),
      check,
    );
  }
  return check.equals(user.subarray(0, 16)) ? 'owner-password-only' : 'user-password';
}

function bytesOf(value: PDFObject | undefined): Buffer | undefined {
  if (value instanceof PDFString || value instanceof PDFHexString) return Buffer.from(value.asBytes());
  return undefined;
}

/** RC4, as the PDF revisions 2–4 use it. (OpenSSL 3 keeps RC4 in its legacy provider only.) */
function rc4(key: Uint8Array, data: Uint8Array): Buffer {
  const s = Uint8Array.from({ length: 256 }, (_, i) => i);
  for (let i = 0, j = 0; i < 256; i++) {
    j = (j + (s[i] as number) + (key[i % key.length] as number)) & 0xff;
    [s[i], s[j]] = [s[j] as number, s[i] as number];
  }
  const out = Buffer.alloc(data.length);
  for (let n = 0, i = 0, j = 0; n < data.length; n++) {
    i = (i + 1) & 0xff;
    j = (j + (s[i] as number)) & 0xff;
    [s[i], s[j]] = [s[j] as number, s[i] as number];
    out[n] = (data[n] as number) ^ (s[((s[i] as number) + (s[j] as number)) & 0xff] as number);
  }
  return out;
}

/** Algorithm 2.B (revision 6): the hash of a password with a salt; no user data for the user password. */
function hardenedHash(password: Buffer, salt: Buffer): Buffer {
  let k = createHash('sha256').update(password).update(salt).digest();
  for (let round = 0; ; round++) {
    const k1 = Buffer.concat(Array.from({ length: 64 }, () => Buffer.concat([password, k])));
    const cipher = createCipheriv('aes-128-cbc', k.subarray(0, 16), k.subarray(16, 32));
    cipher.setAutoPadding(false);
    const e = Buffer.concat([cipher.update(k1), cipher.final()]);
    const remainder = e.subarray(0, 16).reduce((sum, b) => sum + b, 0) % 3;
    k = createHash(['sha256', 'sha384', 'sha512'][remainder] as string)
      .update(e)
      .digest();
    if (round >= 63 && (e[e.length - 1] as number) <= round - 31) break;
  }
  return k.subarray(0, 32);
}
