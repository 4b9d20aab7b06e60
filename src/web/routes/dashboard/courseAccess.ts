import type { Request } from 'express';
import { Types } from 'mongoose';
import { Course, CourseDoc } from '../../../storage/models/Course';
import { NotFoundError } from '../../../errors';
import { assertInstructorOf } from '../../policies/course';

/** The `:courseId` of a dashboard request after checking the session is an instructor's of that very course. */
export function courseIdOf(req: Request): Types.ObjectId {
  const id = String(req.params.courseId ?? '');
  if (!/^[a-f0-9]{24}$/.test(id)) throw NotFoundError('No such course.');
  assertInstructorOf(req.session!, id);
  return new Types.ObjectId(id);
}

/** Loads the course of an authorized request. */
export async function loadCourse(courseId: Types.ObjectId): Promise<CourseDoc> {
  const course = await Course.findById(courseId).lean<CourseDoc>();
  if (!course) throw NotFoundError('No such course.');
  return course;
}

/** The audit actor of a request. */
export function actorOf(req: Request): string {
  return `instructor:${req.session!.userSub}`;
}
