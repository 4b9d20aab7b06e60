import Handlebars from 'handlebars';
import { ValidationError } from '../errors';

/** What a message template can say about one learner. Unknown values stay undefined and render as nothing. */
export interface MergeContext {
  firstname?: string;
  fullname?: string;
  courseTitle?: string;
  lastWeekMinutes?: number;
  lastWeekProblems?: number;
  lastWeekVideoMinutes?: number;
  activeDays?: number;
  daysSinceActive?: number;
  totalMinutes?: number;
}

/** Handlebars fields a template may use (besides the `[:firstname:]` / `[:fullname:]` merge fields). */
export const TEMPLATE_FIELDS = ['firstname', 'fullname', 'courseTitle', 'lastWeekMinutes', 'lastWeekProblems', 'lastWeekVideoMinutes', 'activeDays', 'daysSinceActive', 'totalMinutes'] as const;
const FIELDS = new Set<string>(TEMPLATE_FIELDS);
const BLOCK_HELPERS = new Set(['if', 'unless']);
const MERGE_FIELD = /\[:\s*(firstname|fullname)\s*:\]/gi;

/** A rendered message: subject (one line), plain text and escaped HTML. */
export interface RenderedMessage {
  subject: string;
  text: string;
  html: string;
}

const hb = Handlebars.create();

/** Turns every `[:firstname:]` / `[:fullname:]` (any case, any number of times) into its Handlebars field. */
export function expandMergeFields(template: string): string {
  return template.replace(MERGE_FIELD, (_m, name: string) => `{{${name.toLowerCase()}}}`);
}

/**
 * Checks a subject or body: Handlebars syntax, only known fields, only `{{#if}}` / `{{#unless}}` blocks,
 * no partials, no raw `{{{ }}}` output, no parent or `this` paths. Throws a ValidationError naming the problem.
 */
export function validateTemplate(template: string, label = 'template'): void {
  let ast: hbs.AST.Program;
  try {
    ast = hb.parse(expandMergeFields(template));
  } catch (error) {
    throw ValidationError(`${label}: ${(error as Error).message.split('\n')[0]}`);
  }
  walk(ast, label);
}

function walk(node: hbs.AST.Program, label: string): void {
  for (const statement of node.body) {
    switch (statement.type) {
      case 'ContentStatement':
      case 'CommentStatement':
        break;
      case 'MustacheStatement': {
        const m = statement as hbs.AST.MustacheStatement;
        if (!m.escaped) throw ValidationError(`${label}: triple braces {{{ }}} are not allowed; values are always escaped`);
        if (m.params.length || m.hash) throw ValidationError(`${label}: helpers are not available in {{ }}`);
        checkField(m.path, label);
        break;
      }
      case 'BlockStatement': {
        const b = statement as hbs.AST.BlockStatement;
        const helper = (b.path as hbs.AST.PathExpression).original;
        if (!BLOCK_HELPERS.has(helper)) throw ValidationError(`${label}: only {{#if}} and {{#unless}} blocks are allowed, not {{#${helper}}}`);
        if (b.params.length !== 1) throw ValidationError(`${label}: {{#${helper}}} takes exactly one field`);
        checkField(b.params[0], label);
        walk(b.program, label);
        if (b.inverse) walk(b.inverse, label);
        break;
      }
      default:
        throw ValidationError(`${label}: ${statement.type.replace('Statement', '').toLowerCase()} syntax is not allowed`);
    }
  }
}

function checkField(expr: hbs.AST.Expression, label: string): void {
  if (expr.type !== 'PathExpression') throw ValidationError(`${label}: only plain field names are allowed`);
  const path = expr as hbs.AST.PathExpression;
  if (path.depth > 0 || path.parts.length !== 1 || !FIELDS.has(path.parts[0])) {
    throw ValidationError(`${label}: unknown field {{${path.original}}}; use one of ${TEMPLATE_FIELDS.join(', ')}`);
  }
}

/** Compiled subject and body of one campaign; render it once per learner. */
export class MessageTemplate {
  private readonly subject: HandlebarsTemplateDelegate;
  private readonly text: HandlebarsTemplateDelegate;
  private readonly html: HandlebarsTemplateDelegate;

  /** Validates and compiles; throws ValidationError for a bad template. */
  constructor(subject: string, body: string, private readonly nameFallback = 'there') {
    validateTemplate(subject, 'subject');
    validateTemplate(body, 'body');
    const options = { strict: false, knownHelpersOnly: true, knownHelpers: { if: true, unless: true } } as const;
    this.subject = hb.compile(expandMergeFields(subject), { ...options, noEscape: true });
    this.text = hb.compile(expandMergeFields(body), { ...options, noEscape: true });
    this.html = hb.compile(expandMergeFields(body), options);
  }

  /** Renders for one learner; missing names use the fallback, the subject is forced to one line. */
  render(context: MergeContext): RenderedMessage {
    const data: MergeContext = {
      ...context,
      firstname: clean(context.firstname) || this.nameFallback,
      fullname: clean(context.fullname) || clean(context.firstname) || this.nameFallback,
    };
    const subject = this.subject(data).replace(/[\r\n\t]+/g, ' ').trim().slice(0, 255);
    const text = this.text(data);
    const html = this.html(data)
      .split(/\n{2,}/)
      .map((p) => `<p>${p.replace(/\n/g, '<br>')}</p>`)
      .join('\n');
    return { subject, text, html };
  }
}

function clean(value: string | undefined): string {
  return (value ?? '').replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
}
