/**
 * The CJK font of every document: Noto Sans SC from the `@expo-google-fonts/noto-sans-sc` npm package
 * (complete TTF files, OFL), resolved from node_modules so a machine needs no system fonts. pdfkit
 * embeds only the glyphs a document uses (a subset), with a ToUnicode map so text stays extractable.
 *
 * Why this package: the @fontsource WOFF2 files extract but render blank pages, and its Chinese subset
 * lacks about 1,000 GB2312 characters (docs/local-aws.md).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** Package paths of the two weights; resolved on first use, so code that never renders needs no font. */
export const FONT_PACKAGE_FILES = {
  regular: '@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf',
  bold: '@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf',
} as const;
export type FontWeight = keyof typeof FONT_PACKAGE_FILES;

export function fontFile(weight: FontWeight): string {
  return require.resolve(FONT_PACKAGE_FILES[weight]);
}

const loaded = new Map<FontWeight, Buffer>();

/** The font file's bytes, read once per process (about 10.5 MB each). */
export function fontData(weight: FontWeight): Buffer {
  let data = loaded.get(weight);
  if (!data) {
    data = readFileSync(fontFile(weight));
    loaded.set(weight, data);
  }
  return data;
}

interface GlyphLookup {
  hasGlyphForCodePoint(codePoint: number): boolean;
}

const lookups = new Map<FontWeight, GlyphLookup>();

/**
 * The characters of `text` the font has no glyph for (they would print as empty boxes). Uses fontkit,
 * the font parser pdfkit itself depends on, so the answer is the one pdfkit would reach.
 */
export function charactersMissingFromFont(text: string, weight: FontWeight = 'regular'): string[] {
  let lookup = lookups.get(weight);
  if (!lookup) {
    const pdfkitRequire = createRequire(require.resolve('pdfkit'));
    const fontkit = pdfkitRequire('fontkit') as { create(data: Buffer): GlyphLookup };
    lookup = fontkit.create(fontData(weight));
    lookups.set(weight, lookup);
  }
  const glyphs = lookup;
  const missing = [...new Set(text)].filter(
    (ch) => !/\s/.test(ch) && !glyphs.hasGlyphForCodePoint(ch.codePointAt(0) as number),
  );
  return missing;
}
