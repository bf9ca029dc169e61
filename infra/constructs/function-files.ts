/**
 * What the functions read from disk at run time, each copied into its package at its repository path
 * (defaults.ts `bundleLayout`). JSON wording (`templates/labels.zh.json`, `templates/pdf/*.json`) is
 * imported, so it is inside the bundle already.
 */
export const FUNCTION_FILES = {
  /** Every function builds the wiring, which compiles every email template at cold start. */
  email: ['templates/email'],
  /** The API's HTML pages (functions/adapters/page-renderer.ts). */
  pages: ['templates/pages'],
  /**
   * The CJK font of the PDFs, both weights, with its licence (functions/adapters/pdf/fonts.ts). The
   * annex-3 form text (`templates/pdf/agreement-form.zh.md`) is in no package: the tick renders the
   * status documents only; the pre-filled form is made with `bangfu report form`.
   */
  cjkFont: [
    'node_modules/@expo-google-fonts/noto-sans-sc/package.json',
    'node_modules/@expo-google-fonts/noto-sans-sc/LICENSE_FONT',
    'node_modules/@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf',
    'node_modules/@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf',
  ],
} as const;
