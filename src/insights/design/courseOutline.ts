import { z } from 'zod';

/** One unit of a course (an Open edX vertical, a Canvas module item) as the design features read it. */
export interface OutlineUnit {
  id: string;
  title: string;
  /** 0-based section (Open edX chapter, Canvas module) the unit sits in. */
  section: number;
  hasVideo: boolean;
  /** Assessments that count toward the grade. */
  graded: number;
  /** Practice assessments (not graded). */
  practice: number;
  /** Holds an interactive element (discussion, poll, simulation, LTI tool). */
  interactive: boolean;
  /** Due time of graded work in the unit, epoch ms. */
  dueAt?: number;
}

/** A course's structure, normalized from Open edX course blocks or Canvas modules. */
export interface CourseOutline {
  source: 'openedx-blocks' | 'canvas-modules';
  units: OutlineUnit[];
  sections: string[];
}

const INTERACTIVE_BLOCKS = new Set(['discussion', 'poll', 'survey', 'drag-and-drop-v2', 'lti_consumer', 'openassessment', 'word_cloud', 'library_content']);
const ASSESSMENT_BLOCKS = new Set(['problem', 'openassessment']);

/** The part of an Open edX `GET /api/courses/v1/blocks/` response the outline needs. */
export const openEdxBlocksSchema = z.object({
  root: z.string(),
  blocks: z.record(
    z.string(),
    z.object({
      id: z.string().optional(),
      type: z.string(),
      display_name: z.string().optional().default(''),
      graded: z.boolean().optional(),
      format: z.string().nullable().optional(),
      due: z.string().nullable().optional(),
      children: z.array(z.string()).optional(),
    }),
  ),
});

/**
 * Outline from the Open edX Course Blocks API (`all_blocks=true&depth=all&requested_fields=graded,format,due,children`):
 * chapters are sections, verticals are units; problems in a graded subsequence are graded, others
 * practice; discussion, poll, ORA, drag-and-drop and LTI blocks make a unit interactive.
 */
export function outlineFromOpenEdxBlocks(input: unknown): CourseOutline {
  const parsed = openEdxBlocksSchema.safeParse(input);
  if (!parsed.success) throw new Error(`not an Open edX course blocks response: ${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}`);
  const { root, blocks } = parsed.data;
  const block = (id: string) => blocks[id];
  const children = (id: string) => (block(id)?.children ?? []).filter((c) => block(c));
  const units: OutlineUnit[] = [];
  const sections: string[] = [];
  for (const chapterId of children(root)) {
    const chapter = block(chapterId);
    if (chapter.type !== 'chapter') continue;
    const section = sections.push(chapter.display_name) - 1;
    for (const sequentialId of children(chapterId)) {
      const sequential = block(sequentialId);
      const graded = sequential.graded === true;
      const due = sequential.due ? Date.parse(sequential.due) : undefined;
      for (const verticalId of children(sequentialId)) {
        const vertical = block(verticalId);
        const unit: OutlineUnit = { id: verticalId, title: vertical.display_name, section, hasVideo: false, graded: 0, practice: 0, interactive: false };
        for (const componentId of descendants(verticalId, children)) {
          const type = block(componentId).type;
          if (type === 'video') unit.hasVideo = true;
          if (ASSESSMENT_BLOCKS.has(type)) {
            if (graded || block(componentId).graded) unit.graded++;
            else unit.practice++;
          }
          if (INTERACTIVE_BLOCKS.has(type)) unit.interactive = true;
        }
        if (unit.graded > 0 && due !== undefined && !Number.isNaN(due)) unit.dueAt = due;
        units.push(unit);
      }
    }
  }
  return { source: 'openedx-blocks', units, sections };
}

function descendants(id: string, children: (id: string) => string[]): string[] {
  const out: string[] = [];
  const stack = [...children(id)];
  while (stack.length) {
    const next = stack.pop()!;
    out.push(next);
    stack.push(...children(next));
  }
  return out;
}

/** The part of Canvas `GET /api/v1/courses/:id/modules?include[]=items&include[]=content_details` the outline needs. */
export const canvasModulesSchema = z.array(
  z.object({
    id: z.number(),
    name: z.string(),
    items: z
      .array(
        z.object({
          id: z.number(),
          title: z.string().default(''),
          type: z.string(),
          external_url: z.string().optional(),
          content_details: z.object({ points_possible: z.number().nullable().optional(), due_at: z.string().nullable().optional() }).partial().optional(),
        }),
      )
      .default([]),
  }),
);

/**
 * Outline from Canvas modules with items: modules are sections, items are units. Assignments and
 * quizzes with points are graded, without points practice; discussions and external tools are
 * interactive; items linking a video (file or URL on a video host) have a video.
 */
export function outlineFromCanvasModules(input: unknown): CourseOutline {
  const parsed = canvasModulesSchema.safeParse(input);
  if (!parsed.success) throw new Error(`not a Canvas modules response: ${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}`);
  const units: OutlineUnit[] = [];
  const sections: string[] = [];
  for (const module of parsed.data) {
    const section = sections.push(module.name) - 1;
    for (const item of module.items) {
      if (item.type === 'SubHeader') continue;
      const points = item.content_details?.points_possible ?? 0;
      const assessment = item.type === 'Assignment' || item.type === 'Quiz';
      const due = item.content_details?.due_at ? Date.parse(item.content_details.due_at) : undefined;
      units.push({
        id: String(item.id),
        title: item.title,
        section,
        hasVideo: /\.(mp4|webm|mov)$/i.test(item.title) || /youtube\.com|youtu\.be|vimeo\.com/.test(item.external_url ?? ''),
        graded: assessment && points > 0 ? 1 : 0,
        practice: assessment && points <= 0 ? 1 : 0,
        interactive: item.type === 'Discussion' || item.type === 'ExternalTool',
        dueAt: assessment && points > 0 && due !== undefined && !Number.isNaN(due) ? due : undefined,
      });
    }
  }
  return { source: 'canvas-modules', units, sections };
}
