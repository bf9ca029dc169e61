/**
 * Where `templates/` is, for every module that reads wording from disk. This module sits two folders
 * below the repository root, as the bundled handler does in a Lambda package (functions/handlers/
 * index.mjs), so the one relative URL resolves to the same folder in the source tree and in a bundle;
 * a module deeper down resolving its own URL would point above the package root once bundled.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const TEMPLATES_DIR = fileURLToPath(new URL('../../templates/', import.meta.url));

/** A file or folder under `templates/`. */
export const templatePath = (...parts: string[]): string => join(TEMPLATES_DIR, ...parts);
