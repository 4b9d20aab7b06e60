/** The part of a generator course.json the conversion reads (see docs/generator.md). */
export interface GeneratedCourseJson {
  courseId: string;
  title: string;
  timeZone: string;
  start: string;
  end: string;
  weeks: number;
  design: { certificateOffered: boolean; preset: string };
  chapters: Array<{
    id: string;
    displayName: string;
    sequentials: Array<{
      id: string;
      displayName: string;
      graded: boolean;
      format: string | null;
      dueAt: string | null;
      verticals: Array<{ id: string; displayName: string; interactive: boolean; videos: Array<{ id: string; displayName: string }>; problems: Array<{ id: string; displayName: string; graded: boolean }> }>;
    }>;
  }>;
}

/**
 * Renders a generated course's outline as the Open edX Course Blocks API answers it
 * (`{ root, blocks: { id: { id, type, display_name, graded, format, due, children } } }`), so generated
 * courses enter through the same parser as real ones. Interactive units get an inline discussion block.
 */
export function generatedCourseBlocks(course: GeneratedCourseJson): { root: string; blocks: Record<string, Record<string, unknown>> } {
  const key = course.courseId.replace(/^course-v1:/, '');
  const root = `block-v1:${key}+type@course+block@course`;
  const blocks: Record<string, Record<string, unknown>> = {};
  const add = (id: string, type: string, name: string, extra: Record<string, unknown> = {}, children?: string[]) => {
    blocks[id] = { id, type, display_name: name, graded: false, format: null, due: null, ...extra, ...(children ? { children } : {}) };
  };
  add(root, 'course', course.title, {}, course.chapters.map((c) => c.id));
  for (const chapter of course.chapters) {
    add(chapter.id, 'chapter', chapter.displayName, {}, chapter.sequentials.map((s) => s.id));
    for (const sequential of chapter.sequentials) {
      add(sequential.id, 'sequential', sequential.displayName, { graded: sequential.graded, format: sequential.format, due: sequential.dueAt }, sequential.verticals.map((v) => v.id));
      for (const vertical of sequential.verticals) {
        const children = [...vertical.videos.map((x) => x.id), ...vertical.problems.map((p) => p.id)];
        for (const video of vertical.videos) add(video.id, 'video', video.displayName);
        for (const problem of vertical.problems) add(problem.id, 'problem', problem.displayName, { graded: problem.graded });
        if (vertical.interactive) {
          const discussion = vertical.id.replace('type@vertical', 'type@discussion');
          add(discussion, 'discussion', `${vertical.displayName} discussion`);
          children.push(discussion);
        }
        add(vertical.id, 'vertical', vertical.displayName, {}, children);
      }
    }
  }
  return { root, blocks };
}
