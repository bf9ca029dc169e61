/**
 * The staff sign-in pages from the Handlebars templates in `templates/pages/`, in the upload pages'
 * look: compiled once, strict (a misspelt field fails instead of printing nothing), every value
 * escaped except the sign-out form, which the identity provider builds (its action and one-time
 * token).
 */
import type { MessagePageView } from '../domain/upload.ts';
import { pageTemplates } from './page-templates.ts';
import { templatePath } from './templates-dir.ts';

const DEFAULT_TEMPLATES_DIR = templatePath('pages');

export interface SignInPageView {
  /** Where the form posts: the provider's interaction URL for this sign-in. */
  action: string;
  /** What was typed, kept after a wrong password. */
  email?: string;
  /** Why the last attempt failed, in Chinese. */
  error?: string;
  /** A line under the form, e.g. where the demo accounts are listed. */
  hint?: string;
}

export interface SignOutPageView {
  /** The provider's hidden form (`<form id=… method=post>` with its token). */
  form: string;
  /** The id of that form, which the buttons submit. */
  formId: string;
}

export interface SignInPageRenderer {
  signInPage(view: SignInPageView): string;
  signOutPage(view: SignOutPageView): string;
  messagePage(view: MessagePageView): string;
}

export function createSignInPageRenderer(templatesDir: string = DEFAULT_TEMPLATES_DIR): SignInPageRenderer {
  const templates = pageTemplates(templatesDir);
  const { compile } = templates;
  const signIn = compile('staff-sign-in.html.hbs');
  const signOut = compile('staff-sign-out.html.hbs');
  const message = compile('message.html.hbs');
  return {
    signInPage: (view) =>
      signIn({
        action: view.action,
        email: view.email ?? '',
        error: view.error ?? '',
        hint: view.hint ?? '',
      }),
    signOutPage: (view) => signOut(view),
    messagePage: (view) => message({ title: view.title, message: view.message, hint: view.hint ?? '' }),
  };
}
