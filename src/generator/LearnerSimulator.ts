import { ARCHETYPE_PROFILES, ArchetypeProfile } from './archetypes';
import { CourseStructure, ProblemBlock, Vertical, allVerticals } from './CourseStructure';
import { DEFAULT_DESIGN_EFFECT, DesignEffect, designHazardMultiplier } from './designPresets';
import { Prng } from './Prng';
import { RosterEntry, utcOffsetMinutes } from './roster';
import type { SimEvent, SimPlace } from './simEvents';

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
/** Sessions are separated by more than this much inactivity, and no gap inside a session reaches it. */
export const SESSION_GAP_MS = 30 * MINUTE_MS;
/** Longest pause between two actions inside a session. */
const MAX_STEP_MS = 20 * MINUTE_MS;

/** A planted treatment effect for experiments (issue 7): multipliers applied to treated learners from `fromAt`. */
export interface PlantedEffect {
  /** Epoch ms from which treated learners change behaviour. */
  fromAt: number;
  /** Multiplier on active days per week (>1 more active). */
  activity?: number;
  /** Multiplier on the chance of playing a video and the share watched. */
  video?: number;
  /** Multiplier on the chance of answering a problem. */
  problems?: number;
  /** Added to the logit of answering correctly (0 = no change). */
  correct?: number;
}

/** What the simulation decided and observed for one learner. */
export interface SimulatedLearner {
  events: SimEvent[];
  enrolledAt: number;
  /** Week the learner planned to leave in (course weeks, may be >= weeks: never left). */
  plannedExitWeek: number;
  /** Latent motivation (standard normal), the hidden driver of both behaviour and outcomes. */
  motivation: number;
  treated: boolean;
  /** Per graded problem: points earned and whether it was submitted in time. */
  graded: Map<string, { earned: number; submitted: boolean }>;
}

/** A unit together with where it sits, and its release time. */
interface UnitRef {
  place: SimPlace;
  releaseAt: number;
  index: number;
}

/** Course-wide data shared by every learner's simulation (built once per course). */
export class CourseContext {
  readonly units: UnitRef[];
  /** Design effect on every learner's weekly dropout hazard (`dropout` channel). */
  readonly hazardMultiplier: number;
  /** Design effect on every learner's weekly active days and chance of answering a problem (`engagement` channel). */
  readonly engagementMultiplier: number;
  readonly seqPositions = new Map<Vertical, number>();

  constructor(
    readonly course: CourseStructure,
    designEffect: DesignEffect = DEFAULT_DESIGN_EFFECT,
  ) {
    this.units = [];
    for (const chapter of course.chapters) {
      for (const sequential of chapter.sequentials) {
        sequential.verticals.forEach((vertical, i) => {
          this.seqPositions.set(vertical, i + 1);
          this.units.push({ place: { chapter, sequential, vertical }, releaseAt: chapter.releaseAt, index: this.units.length });
        });
      }
    }
    const multiplier = designHazardMultiplier(course.design, course.weeks, designEffect);
    this.hazardMultiplier = designEffect.channel === 'dropout' ? multiplier : 1;
    this.engagementMultiplier = designEffect.channel === 'engagement' ? 1 / multiplier : 1;
    if (this.units.length !== allVerticals(course).length) throw new Error('course structure is inconsistent');
  }
}

/**
 * Simulates one learner's whole course: enrolment, weekly engagement with decay, a drawn exit week,
 * sessions per day at local-time hours, video watching, problem attempts and re-attempts, forum
 * reading and posting, navigation and page closes. Returns time-ordered actions.
 */
export function simulateLearner(ctx: CourseContext, learner: RosterEntry, random: Prng, effect?: PlantedEffect, treated = false): SimulatedLearner {
  const sim = new Simulation(ctx, learner, random, effect && treated ? effect : undefined);
  sim.run();
  return { events: sim.events, enrolledAt: sim.enrolledAt, plannedExitWeek: sim.exitWeek, motivation: sim.motivation, treated, graded: sim.graded };
}

class Simulation {
  readonly events: SimEvent[] = [];
  readonly graded = new Map<string, { earned: number; submitted: boolean }>();
  readonly profile: ArchetypeProfile;
  readonly motivation: number;
  readonly ability: number;
  readonly scale: number;
  enrolledAt = 0;
  exitWeek = 0;
  private frontier = 0;
  private threadsStarted: string[] = [];
  private session = '';
  private mobile = false;
  private t = 0;
  private sessionFirst = false;
  private problemState = new Map<ProblemBlock, { attempts: number; correct: boolean }>();
  private readonly course: CourseStructure;

  constructor(
    private readonly ctx: CourseContext,
    private readonly learner: RosterEntry,
    private readonly random: Prng,
    private readonly effect: PlantedEffect | undefined,
  ) {
    this.course = ctx.course;
    this.profile = ARCHETYPE_PROFILES[learner.archetype];
    this.motivation = random.normal();
    this.ability = this.profile.ability + 0.5 * this.motivation + random.normal(0, 0.5);
    this.scale = Math.exp(0.3 * this.motivation) * random.gamma(5, 0.2);
  }

  run(): void {
    const { course, random, profile, ctx } = this;
    this.enrolledAt = random.chance(0.65)
      ? course.startAt - Math.floor(random.uniform(0, 21) * DAY_MS)
      : Math.min(course.startAt + Math.floor(random.exponential(9) * DAY_MS), course.endAt - 3 * DAY_MS);
    this.enrolledAt = Math.floor(this.enrolledAt / 1000) * 1000 + random.int(1000);
    const firstWeek = Math.max(0, Math.floor((this.enrolledAt - course.startAt) / (7 * DAY_MS)));
    this.exitWeek = this.drawExitWeek(firstWeek);

    this.beginSession(this.enrolledAt - random.intBetween(30, 600) * 1000, false);
    if (random.chance(0.3)) this.push({ kind: 'anonymous_view' });
    this.t = this.enrolledAt;
    this.push({ kind: 'enroll', mode: random.chance(0.2) ? 'verified' : 'audit' });

    let lastSessionEnd = this.t;
    const exitAt = course.startAt + this.exitWeek * 7 * DAY_MS + Math.floor(random.uniform(0.5, 7) * DAY_MS);
    for (let week = firstWeek; week < course.weeks && week <= this.exitWeek; week++) {
      const weekStart = course.startAt + week * 7 * DAY_MS;
      const effectOn = this.effect !== undefined && weekStart >= this.effect.fromAt;
      const level = this.scale * ctx.engagementMultiplier * profile.activeDaysPerWeek * Math.pow(profile.weeklyDecay, week - firstWeek) * (effectOn ? (this.effect?.activity ?? 1) : 1);
      let activeDays = Math.min(7, random.poisson(level));
      if (week === firstWeek && activeDays === 0) activeDays = 1;
      const days = pickDays(random, activeDays);
      for (const day of days) {
        const dayStart = weekStart + day * DAY_MS;
        const sessions = 1 + random.poisson(profile.extraSessionsPerDay * this.scale);
        const offset = utcOffsetMinutes(this.learner.timeZone, dayStart) * MINUTE_MS;
        const starts: number[] = [];
        for (let s = 0; s < sessions; s++) starts.push(dayStart - offset + localHourMs(random));
        starts.sort((a, b) => a - b);
        for (let start of starts) {
          if (start < lastSessionEnd + SESSION_GAP_MS + MINUTE_MS) start = lastSessionEnd + SESSION_GAP_MS + MINUTE_MS + random.int(3 * 3_600_000);
          if (start < this.enrolledAt + MINUTE_MS || start < course.startAt) continue;
          if (start > exitAt && week === this.exitWeek) break;
          if (start > course.endAt - 2 * 3_600_000) break;
          this.runSession(start, effectOn);
          lastSessionEnd = this.t;
        }
      }
    }
  }

  private drawExitWeek(firstWeek: number): number {
    const { random, profile, course } = this;
    if (random.chance(profile.earlyExit * Math.min(1.5, this.ctx.hazardMultiplier))) return firstWeek + (random.chance(0.6) ? 0 : 1);
    const hazard = Math.min(0.95, profile.weeklyHazard * this.ctx.hazardMultiplier * Math.exp(-0.5 * this.motivation));
    let week = firstWeek;
    while (week < course.weeks && !random.chance(hazard)) week++;
    return week;
  }

  private beginSession(at: number, mobile: boolean): void {
    this.session = this.random.hex(32);
    this.mobile = mobile;
    this.t = at;
    this.sessionFirst = true;
  }

  /** Appends an action at the current time. */
  private push(event: DistributiveOmit<SimEvent, 't' | 'session' | 'mobile'>): void {
    const full = { ...event, t: this.t, session: this.session, mobile: this.mobile } as SimEvent;
    if (this.sessionFirst) {
      full.sessionStart = true;
      this.sessionFirst = false;
    }
    this.events.push(full);
  }

  /** Advances the clock by a think time (seconds), never to a gap that would split the session. */
  private step(meanSeconds: number): void {
    this.t += Math.min(MAX_STEP_MS, Math.max(1000, Math.round(this.random.exponential(meanSeconds) * 1000)));
  }

  private runSession(start: number, effectOn: boolean): void {
    const { random, profile } = this;
    this.beginSession(start, random.chance(0.1));
    this.push({ kind: 'page_view', page: 'course' });
    const released = this.ctx.units.filter((u) => u.releaseAt <= this.t);
    if (released.length === 0) return;
    const unitCount = 1 + random.poisson(Math.max(0, profile.unitsPerSession * Math.sqrt(this.scale) - 1));
    let previous: UnitRef | undefined;
    for (let i = 0; i < unitCount; i++) {
      const unit = this.chooseUnit(released);
      this.visitUnit(unit, previous, effectOn);
      previous = unit;
    }
    this.forumActivity();
    if (random.chance(0.04)) {
      this.step(20);
      this.push({ kind: 'page_view', page: 'progress' });
    }
    if (!this.mobile && random.chance(0.7)) {
      this.step(15);
      this.push({ kind: 'page_close', place: previous?.place });
    }
  }

  private chooseUnit(released: UnitRef[]): UnitRef {
    const { random } = this;
    if (random.chance(this.profile.homework)) {
      const open = released.find((u) => u.place.vertical.problems.some((p) => p.graded && (p.dueAt ?? 0) > this.t && !this.problemState.has(p)));
      if (open) return open;
    }
    const jumpy = this.learner.archetype === 'sampler' || this.learner.archetype === 'fading' ? 0.3 : 0.1;
    if (this.frontier < released.length && !random.chance(jumpy)) return released[this.frontier++];
    if (random.chance(0.5) && this.frontier > 0) return released[random.int(Math.min(this.frontier, released.length))];
    const unit = released[random.int(released.length)];
    this.frontier = Math.max(this.frontier, unit.index + 1);
    return unit;
  }

  private visitUnit(unit: UnitRef, previous: UnitRef | undefined, effectOn: boolean): void {
    const { random, profile, ctx } = this;
    const { place } = unit;
    this.step(12);
    const toTab = ctx.seqPositions.get(place.vertical) ?? 1;
    if (previous && previous.place.sequential === place.sequential) {
      const fromTab = ctx.seqPositions.get(previous.place.vertical) ?? 1;
      const action = toTab === fromTab + 1 ? 'next' : toTab === fromTab - 1 ? 'previous' : 'tab';
      this.push({ kind: 'nav', action, legacy: random.chance(0.15), place, fromTab, toTab });
    } else if (previous && random.chance(0.5)) {
      this.push({ kind: 'nav', action: 'outline', legacy: false, place, fromTab: 1, toTab });
    } else {
      this.push({ kind: 'page_view', page: 'courseware', place });
    }
    const videoBoost = effectOn ? (this.effect?.video ?? 1) : 1;
    for (const video of place.vertical.videos) {
      if (random.chance(Math.min(1, profile.videoPlayRate * videoBoost))) this.watchVideo(place, video, Math.min(1, profile.videoCompletion * videoBoost));
    }
    if (place.vertical.interactive && random.chance(0.3)) this.readThread(this.course.forumTopics[2 + place.chapter.week] ?? this.course.forumTopics[0]);
    const problemBoost = effectOn ? (this.effect?.problems ?? 1) : 1;
    for (const problem of place.vertical.problems) {
      if (random.chance(Math.min(1, profile.problemRate * ctx.engagementMultiplier * problemBoost))) this.answerProblem(place, problem, effectOn ? (this.effect?.correct ?? 0) : 0);
    }
    if (random.chance(0.03)) {
      this.step(20);
      this.push({ kind: 'wiki', slug: random.pick(this.course.wikiSlugs) });
    }
    if (random.chance(0.02)) {
      this.step(5);
      this.push({ kind: 'bookmark', place });
    }
  }

  private watchVideo(place: SimPlace, video: SimPlaceVideo, completion: number): void {
    const { random } = this;
    this.step(5);
    this.push({ kind: 'video', action: 'load', place, video, position: 0, watchedSeconds: 0 });
    this.step(4);
    const target = Math.min(video.duration, Math.max(5, Math.round(video.duration * Math.min(1, random.beta(4 * completion + 0.5, 4 * (1 - completion) + 0.5) * 1.1))));
    let position = 0;
    let playing = false;
    let segmentStart = 0;
    while (position < target) {
      if (!playing) {
        this.push({ kind: 'video', action: 'play', place, video, position: round3(position), watchedSeconds: 0 });
        playing = true;
        segmentStart = position;
      }
      const chunk = Math.min(target - position, Math.max(3, random.exponential(600)), MAX_STEP_MS / 1000 - 1);
      const whole = Math.round(chunk * 1000);
      this.t += whole;
      position = round3(position + whole / 1000);
      if (position >= target) break;
      if (random.chance(0.15)) {
        const watched = round3(position - segmentStart);
        const back = this.learner.archetype === 'reviser' || random.chance(0.4);
        const to = round3(back ? Math.max(0, position - random.uniform(5, 60)) : Math.min(target, position + random.uniform(10, 120)));
        this.push({ kind: 'video', action: 'seek', place, video, position: to, fromPosition: position, watchedSeconds: watched });
        position = to;
        segmentStart = to;
        this.t += random.intBetween(300, 1500);
      } else {
        this.push({ kind: 'video', action: 'pause', place, video, position, watchedSeconds: round3(position - segmentStart) });
        playing = false;
        this.t += Math.round(Math.min(MAX_STEP_MS - 60_000, random.exponential(25_000)) + 1000);
      }
    }
    const watched = playing ? round3(position - segmentStart) : 0;
    if (position >= video.duration) this.push({ kind: 'video', action: 'stop', place, video, position: video.duration, watchedSeconds: round3(video.duration - segmentStart) });
    else if (playing) this.push({ kind: 'video', action: 'pause', place, video, position, watchedSeconds: watched });
  }

  private answerProblem(place: SimPlace, problem: ProblemBlock, logitShift: number): void {
    const { random, profile, course } = this;
    const state = this.problemState.get(problem) ?? { attempts: 0, correct: false };
    this.problemState.set(problem, state);
    const maxAttempts = problem.graded ? 3 : 10;
    let tries = 0;
    for (;;) {
      if (state.attempts >= maxAttempts) return;
      const late = problem.dueAt !== undefined && this.t > problem.dueAt;
      if (late && course.platform === 'openedx') return;
      this.step(tries === 0 ? 70 : 30);
      const p = sigmoid(this.ability + problem.easiness + 0.6 * state.attempts + logitShift);
      state.correct = random.chance(p);
      state.attempts++;
      tries++;
      this.push({ kind: 'problem', action: 'check_browser', place, problem, correct: state.correct, attempts: state.attempts });
      this.t += random.intBetween(80, 900);
      this.push({ kind: 'problem', action: 'check', place, problem, correct: state.correct, attempts: state.attempts });
      if (problem.graded) this.graded.set(problem.id, { earned: state.correct ? problem.maxGrade : 0, submitted: true });
      const again = state.correct ? random.chance(profile.reviseCorrect) : random.chance(profile.retryAfterWrong);
      if (!again || tries >= 6) break;
    }
    if (!state.correct && !problem.graded && random.chance(0.3)) {
      this.step(10);
      this.push({ kind: 'problem', action: 'showanswer', place, problem, correct: false, attempts: state.attempts });
    }
  }

  private forumActivity(): void {
    const { random, profile, course } = this;
    const reads = random.poisson(profile.forumReads);
    for (let i = 0; i < reads; i++) this.readThread(random.pick(course.forumTopics));
    if (random.chance(0.05 * profile.forumReads)) {
      this.step(20);
      this.push({ kind: 'forum', action: 'searched', topic: course.forumTopics[0], threadId: '', postId: '', title: '' });
    }
    if (random.chance(profile.forumPost)) {
      const topic = random.pick(course.forumTopics);
      const roll = random.next();
      this.step(180);
      if (roll < 0.3 || this.threadsStarted.length === 0) {
        const threadId = random.hex(24);
        this.threadsStarted.push(threadId);
        this.push({ kind: 'forum', action: 'thread_created', topic, threadId, postId: threadId, title: `Question about ${topic.name}` });
      } else {
        const threadId = random.pick(this.threadsStarted);
        this.push({ kind: 'forum', action: roll < 0.8 ? 'response_created' : 'comment_created', topic, threadId, postId: random.hex(24), title: '' });
      }
    }
  }

  private readThread(topic: SimTopic): void {
    const { random } = this;
    this.step(25);
    const threadId = random.hex(24);
    this.push({ kind: 'forum', action: 'thread_viewed', topic, threadId, postId: threadId, title: `Discussion in ${topic.name}` });
    if (random.chance(0.08)) {
      this.step(10);
      this.push({ kind: 'forum', action: 'thread_voted', topic, threadId, postId: threadId, title: '' });
    }
  }
}

type SimPlaceVideo = SimPlace['vertical']['videos'][number];
type SimTopic = CourseStructure['forumTopics'][number];
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** A local time of day for a session start: evening peak, some daytime, little at night. */
function localHourMs(random: Prng): number {
  const hour = [8, 10, 12, 14, 17, 19, 20, 21, 22, 23][random.weighted([4, 6, 6, 6, 8, 12, 14, 13, 9, 4])];
  return hour * 3_600_000 + random.int(3_600_000);
}

/** `count` distinct days of a week (0..6), ascending. */
function pickDays(random: Prng, count: number): number[] {
  const days = [0, 1, 2, 3, 4, 5, 6];
  for (let i = 6; i > 0; i--) {
    const j = random.int(i + 1);
    [days[i], days[j]] = [days[j], days[i]];
  }
  return days.slice(0, count).sort((a, b) => a - b);
}

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}
