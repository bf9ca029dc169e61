/**
 * The pages' Handlebars templates, read from `templates/pages/`: every page renderer (upload pages,
 * sign-in pages, the console) loads them the same way, with the shared `<head>` as a partial and
 * strict compilation, so a misspelt field fails loudly instead of rendering blank.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';

export interface PageTemplates {
  read(name: string): string;
  /** Registers a partial (`{{> name}}`) from a template file. */
  partial(name: string, file: string): void;
  compile(name: string): HandlebarsTemplateDelegate;
}

export function pageTemplates(templatesDir: string): PageTemplates {
  const read = (name: string) => {
    const path = join(templatesDir, name);
    try {
      return readFileSync(path, 'utf8');
    } catch (error) {
      throw new Error(`page template ${name} could not be read from ${path}`, { cause: error });
    }
  };
  const handlebars = Handlebars.create();
  handlebars.registerPartial('head', read('_layout-head.hbs'));
  return {
    read,
    partial: (name, file) => handlebars.registerPartial(name, read(file)),
    compile: (name) => handlebars.compile(read(name), { strict: true }),
  };
}
